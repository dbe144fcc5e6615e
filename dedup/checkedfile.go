package dedup

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/zeebo/xxh3"

	"github.com/sieve-data/sieve/storage"
)

// Files between the staged-mode stages are self-verifying, because partial
// or corrupt signature files silently broke datatrove runs (datatrove issue
// 301). Layout:
//
//	header  16 bytes: "SIEVEDD1", kind (4 bytes), record size (uint32, 0 = variable)
//	payload records
//	trailer 32 bytes: record count, payload length, xxh3 of the payload (uint64 each), "SDDEND01"
//
// Files are written under a temporary name and renamed when complete, and a
// reader checks sizes up front and the checksum when it reaches the end; a
// mismatch is an error naming the file, never a silent short read.
const (
	checkedMagic   = "SIEVEDD1"
	checkedEnd     = "SDDEND01"
	checkedHeader  = 16
	checkedTrailer = 32
)

// ErrCorrupt marks a stage file that is truncated or fails its checksum.
var ErrCorrupt = errors.New("corrupt dedup stage file")

type checkedWriter struct {
	af    storage.Writer
	bw    *bufio.Writer
	h     *xxh3.Hasher
	count uint64
	n     uint64
}

func createChecked(path, kind string, recordSize int) (*checkedWriter, error) {
	af, err := store().Create(storeCtx(), path)
	if err != nil {
		return nil, err
	}
	w := &checkedWriter{af: af, bw: bufio.NewWriterSize(af, 1<<20), h: xxh3.New()}
	var hdr [checkedHeader]byte
	copy(hdr[:8], checkedMagic)
	copy(hdr[8:12], kind)
	binary.LittleEndian.PutUint32(hdr[12:], uint32(recordSize))
	if _, err := w.bw.Write(hdr[:]); err != nil {
		af.Abort()
		return nil, err
	}
	return w, nil
}

// record writes one record.
func (w *checkedWriter) record(p []byte) error {
	w.count++
	w.n += uint64(len(p))
	w.h.Write(p)
	_, err := w.bw.Write(p)
	return err
}

func (w *checkedWriter) close() error {
	var tr [checkedTrailer]byte
	binary.LittleEndian.PutUint64(tr[0:], w.count)
	binary.LittleEndian.PutUint64(tr[8:], w.n)
	binary.LittleEndian.PutUint64(tr[16:], w.h.Sum64())
	copy(tr[24:], checkedEnd)
	if _, err := w.bw.Write(tr[:]); err != nil {
		w.af.Abort()
		return err
	}
	if err := w.bw.Flush(); err != nil {
		w.af.Abort()
		return err
	}
	return w.af.Commit()
}

func (w *checkedWriter) abort() { w.af.Abort() }

// checkedReader streams a checked file's records and verifies the checksum
// when the last byte is read.
type checkedReader struct {
	path       string
	f          storage.File
	br         *bufio.Reader
	h          *xxh3.Hasher
	count      uint64
	payload    uint64
	sum        uint64
	read       uint64
	records    uint64
	recordSize int
}

func openChecked(path, kind string, recordSize int) (*checkedReader, error) {
	f, err := store().OpenFile(storeCtx(), path)
	if err != nil {
		return nil, err
	}
	r, err := readCheckedFrame(f, path, kind, recordSize)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

func readCheckedFrame(f storage.File, path, kind string, recordSize int) (*checkedReader, error) {
	size := f.Size()
	if size < checkedHeader+checkedTrailer {
		return nil, fmt.Errorf("%s: %w: %d bytes is shorter than header and trailer", path, ErrCorrupt, size)
	}
	var hdr [checkedHeader]byte
	var tr [checkedTrailer]byte
	if _, err := f.ReadAt(hdr[:], 0); err != nil {
		return nil, err
	}
	if _, err := f.ReadAt(tr[:], size-checkedTrailer); err != nil {
		return nil, err
	}
	if string(hdr[:8]) != checkedMagic || string(tr[24:]) != checkedEnd {
		return nil, fmt.Errorf("%s: %w: bad magic (truncated or not a dedup file)", path, ErrCorrupt)
	}
	if string(hdr[8:12]) != kind {
		return nil, fmt.Errorf("%s: %w: holds %q records, want %q", path, ErrCorrupt, hdr[8:12], kind)
	}
	if rs := int(binary.LittleEndian.Uint32(hdr[12:])); rs != recordSize {
		return nil, fmt.Errorf("%s: %w: record size %d, want %d", path, ErrCorrupt, rs, recordSize)
	}
	r := &checkedReader{path: path, f: f, h: xxh3.New(), recordSize: recordSize,
		count:   binary.LittleEndian.Uint64(tr[0:]),
		payload: binary.LittleEndian.Uint64(tr[8:]),
		sum:     binary.LittleEndian.Uint64(tr[16:]),
	}
	if r.payload != uint64(size-checkedHeader-checkedTrailer) {
		return nil, fmt.Errorf("%s: %w: trailer says %d payload bytes, file has %d", path, ErrCorrupt, r.payload, size-checkedHeader-checkedTrailer)
	}
	if recordSize > 0 && r.count*uint64(recordSize) != r.payload {
		return nil, fmt.Errorf("%s: %w: %d records of %d bytes do not fill %d bytes", path, ErrCorrupt, r.count, recordSize, r.payload)
	}
	// The payload is streamed (one GET on S3), not read with ReadAt.
	if _, err := f.Seek(checkedHeader, io.SeekStart); err != nil {
		return nil, err
	}
	r.br = bufio.NewReaderSize(io.LimitReader(f, int64(r.payload)), 1<<20)
	return r, nil
}

// next reads one fixed-size record into p; io.EOF after the last one, once
// the checksum has been verified.
func (r *checkedReader) next(p []byte) error {
	if r.read == r.payload {
		return r.end()
	}
	r.records++
	if _, err := io.ReadFull(r.br, p); err != nil {
		return fmt.Errorf("%s: %w: %v", r.path, ErrCorrupt, err)
	}
	r.read += uint64(len(p))
	r.h.Write(p)
	return nil
}

// nextBytes reads a variable-length record written as uvarint length + bytes.
func (r *checkedReader) nextBytes(buf []byte) ([]byte, error) {
	if r.read == r.payload {
		return nil, r.end()
	}
	r.records++
	var lb [binary.MaxVarintLen64]byte
	n := 0
	for {
		if r.read+uint64(n) >= r.payload || n == len(lb) {
			return nil, fmt.Errorf("%s: %w: bad record length", r.path, ErrCorrupt)
		}
		c, err := r.br.ReadByte()
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %v", r.path, ErrCorrupt, err)
		}
		lb[n] = c
		n++
		if c < 0x80 {
			break
		}
	}
	l, _ := binary.Uvarint(lb[:n])
	if l > r.payload-r.read-uint64(n) {
		return nil, fmt.Errorf("%s: %w: record of %d bytes runs past the end", r.path, ErrCorrupt, l)
	}
	r.h.Write(lb[:n])
	buf = grow(buf, int(l))
	if _, err := io.ReadFull(r.br, buf); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", r.path, ErrCorrupt, err)
	}
	r.h.Write(buf)
	r.read += uint64(n) + l
	return buf, nil
}

// end checks the checksum and record count after the last record and
// returns io.EOF when both agree.
func (r *checkedReader) end() error {
	if r.h.Sum64() != r.sum {
		return fmt.Errorf("%s: %w: checksum mismatch", r.path, ErrCorrupt)
	}
	if r.records != r.count {
		return fmt.Errorf("%s: %w: %d records, trailer says %d", r.path, ErrCorrupt, r.records, r.count)
	}
	return io.EOF
}

func (r *checkedReader) close() error { return r.f.Close() }

// writeBytesRecord writes a variable-length record (uvarint length + bytes).
func (w *checkedWriter) writeBytesRecord(p []byte) error {
	var lb [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(lb[:], uint64(len(p)))
	w.h.Write(lb[:n])
	w.h.Write(p)
	w.count++
	w.n += uint64(n + len(p))
	if _, err := w.bw.Write(lb[:n]); err != nil {
		return err
	}
	_, err := w.bw.Write(p)
	return err
}

// verifyChecked reads a whole fixed-record file and checks its checksum;
// it returns the record count. Used before random access (ReadAt).
func verifyChecked(path, kind string, recordSize int) (uint64, error) {
	r, err := openChecked(path, kind, recordSize)
	if err != nil {
		return 0, err
	}
	defer r.close()
	buf := make([]byte, 1<<16)
	for r.read < r.payload {
		n := min(uint64(len(buf)), r.payload-r.read)
		if _, err := io.ReadFull(r.br, buf[:n]); err != nil {
			return 0, fmt.Errorf("%s: %w: %v", path, ErrCorrupt, err)
		}
		r.h.Write(buf[:n])
		r.read += n
	}
	if r.h.Sum64() != r.sum {
		return 0, fmt.Errorf("%s: %w: checksum mismatch", path, ErrCorrupt)
	}
	return r.count, nil
}
