package fasttext

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// reader reads the little-endian binary layout fastText writes, counting
// the bytes left so that no allocation is sized by a header field larger
// than what the file can still hold.
type reader struct {
	r    *bufio.Reader
	off  int64 // bytes consumed
	left int64 // bytes the source still holds
	buf  [8]byte
}

var errTruncated = errors.New("unexpected end of file")

func newReader(r io.Reader, size int64) *reader {
	return &reader{r: bufio.NewReaderSize(r, 1<<16), left: size}
}

func (r *reader) fail(what string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = errTruncated
	}
	return fmt.Errorf("%s at offset %d: %w", what, r.off, err)
}

func (r *reader) full(p []byte, what string) error {
	n, err := io.ReadFull(r.r, p)
	r.off += int64(n)
	r.left -= int64(n)
	if err != nil {
		return r.fail(what, err)
	}
	return nil
}

func (r *reader) i32(what string) (int32, error) {
	if err := r.full(r.buf[:4], what); err != nil {
		return 0, err
	}
	return int32(binary.LittleEndian.Uint32(r.buf[:4])), nil
}

func (r *reader) i64(what string) (int64, error) {
	if err := r.full(r.buf[:8], what); err != nil {
		return 0, err
	}
	return int64(binary.LittleEndian.Uint64(r.buf[:8])), nil
}

func (r *reader) f64(what string) (float64, error) {
	v, err := r.i64(what)
	return math.Float64frombits(uint64(v)), err
}

func (r *reader) u8(what string) (byte, error) {
	if err := r.full(r.buf[:1], what); err != nil {
		return 0, err
	}
	return r.buf[0], nil
}

// room checks that n items of size bytes each fit in what is left.
func (r *reader) room(n, size int64, what string) error {
	if n < 0 || (size > 0 && n > r.left/size) {
		return fmt.Errorf("%s at offset %d: %d entries of %d bytes do not fit in the %d bytes left (corrupt or truncated file)", what, r.off, n, size, r.left)
	}
	return nil
}

// floats reads n little-endian float32 values.
func (r *reader) floats(n int64, what string) ([]float32, error) {
	if err := r.room(n, 4, what); err != nil {
		return nil, err
	}
	out := make([]float32, n)
	var chunk [4096]byte
	for i := int64(0); i < n; {
		c := min(n-i, int64(len(chunk)/4))
		if err := r.full(chunk[:c*4], what); err != nil {
			return nil, err
		}
		for j := int64(0); j < c; j++ {
			out[i+j] = math.Float32frombits(binary.LittleEndian.Uint32(chunk[j*4:]))
		}
		i += c
	}
	return out, nil
}

// bytesN reads n raw bytes.
func (r *reader) bytesN(n int64, what string) ([]byte, error) {
	if err := r.room(n, 1, what); err != nil {
		return nil, err
	}
	out := make([]byte, n)
	return out, r.full(out, what)
}

// cstring appends a NUL-terminated string to dst (without the NUL).
func (r *reader) cstring(dst []byte, what string) ([]byte, error) {
	for {
		b, err := r.r.ReadByte()
		if err != nil {
			return dst, r.fail(what, err)
		}
		r.off++
		r.left--
		if b == 0 {
			return dst, nil
		}
		dst = append(dst, b)
	}
}
