package dedup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// arrow-go trusts the vector lengths inside an IPC schema: a damaged count
// of child fields makes it allocate hundreds of gigabytes and the process
// dies (found by FuzzOpenShard; a fatal out-of-memory cannot be
// recovered). checkSchemaLengths walks the schema's flatbuffer first and
// rejects any vector longer than the buffer that holds it. It follows only
// the fields it needs (Arrow's Schema.fbs / File.fbs / Message.fbs):
//
//	Footer  { version:0, schema:1, dictionaries:2, recordBatches:3, custom_metadata:4 }
//	Message { version:0, header_type:1, header:2, bodyLength:3, custom_metadata:4 }
//	Schema  { endianness:0, fields:1, custom_metadata:2, features:3 }
//	Field   { name:0, nullable:1, type_type:2, type:3, dictionary:4, children:5, custom_metadata:6 }
var errBadSchema = errors.New("damaged Arrow schema")

type fbuf []byte

func (b fbuf) u32(p int) (int, error) {
	if p < 0 || p+4 > len(b) {
		return 0, errBadSchema
	}
	return int(binary.LittleEndian.Uint32(b[p:])), nil
}

// field returns the absolute position of field i of the table at t, or -1.
func (b fbuf) field(t, i int) (int, error) {
	so, err := b.u32(t)
	if err != nil {
		return 0, err
	}
	vt := t - int(int32(so))
	if vt < 0 || vt+4 > len(b) {
		return 0, errBadSchema
	}
	vsize := int(binary.LittleEndian.Uint16(b[vt:]))
	at := vt + 4 + 2*i
	if at+2 > vt+vsize || at+2 > len(b) {
		return -1, nil
	}
	off := int(binary.LittleEndian.Uint16(b[at:]))
	if off == 0 {
		return -1, nil
	}
	return t + off, nil
}

// ref follows the offset stored at p.
func (b fbuf) ref(p int) (int, error) {
	u, err := b.u32(p)
	if err != nil {
		return 0, err
	}
	if p+u >= len(b) {
		return 0, errBadSchema
	}
	return p + u, nil
}

// vector checks the vector referenced by field i of table t and returns
// its element positions' start and length (-1 when absent).
func (b fbuf) vector(t, i int) (int, int, error) {
	p, err := b.field(t, i)
	if err != nil || p < 0 {
		return 0, -1, err
	}
	v, err := b.ref(p)
	if err != nil {
		return 0, 0, err
	}
	n, err := b.u32(v)
	if err != nil {
		return 0, 0, err
	}
	if n > (len(b)-v-4)/4 {
		return 0, 0, fmt.Errorf("%w: vector of %d elements in %d bytes", errBadSchema, n, len(b))
	}
	return v + 4, n, nil
}

func (b fbuf) table(t, i int) (int, error) {
	p, err := b.field(t, i)
	if err != nil || p < 0 {
		return -1, err
	}
	return b.ref(p)
}

func (b fbuf) checkSchema(s int) error {
	if _, _, err := b.vector(s, 2); err != nil {
		return err
	}
	if _, _, err := b.vector(s, 3); err != nil {
		return err
	}
	return b.checkFields(s, 1, 0)
}

func (b fbuf) checkFields(t, i, depth int) error {
	if depth > 64 {
		return fmt.Errorf("%w: fields nested deeper than 64", errBadSchema)
	}
	start, n, err := b.vector(t, i)
	if err != nil {
		return err
	}
	for k := 0; k < n; k++ {
		f, err := b.ref(start + 4*k)
		if err != nil {
			return err
		}
		if _, _, err := b.vector(f, 6); err != nil {
			return err
		}
		if err := b.checkFields(f, 5, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// checkSchemaLengths checks the schema of an IPC file (footer) or stream
// (first message) before arrow-go parses it.
func checkSchemaLengths(f *os.File, isFile bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errBadSchema, r)
		}
	}()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	var buf fbuf
	if isFile {
		if size < 18 {
			return fmt.Errorf("%w: file too short", errBadSchema)
		}
		var tail [10]byte
		if _, err := f.ReadAt(tail[:], size-10); err != nil {
			return err
		}
		n := int64(int32(binary.LittleEndian.Uint32(tail[:4])))
		if n <= 0 || n > size-18 {
			return fmt.Errorf("%w: footer length %d", errBadSchema, n)
		}
		buf = make(fbuf, n)
		if _, err := f.ReadAt(buf, size-10-n); err != nil {
			return err
		}
		root, err := buf.ref(0)
		if err != nil {
			return err
		}
		if _, _, err := buf.vector(root, 2); err != nil {
			return err
		}
		if _, _, err := buf.vector(root, 3); err != nil {
			return err
		}
		s, err := buf.table(root, 1)
		if err != nil || s < 0 {
			return fmt.Errorf("%w: no schema in footer", errBadSchema)
		}
		return buf.checkSchema(s)
	}
	var head [8]byte
	if _, err := f.ReadAt(head[:], 0); err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%w: file too short", errBadSchema)
		}
		return err
	}
	off, n := int64(8), int64(int32(binary.LittleEndian.Uint32(head[4:])))
	if binary.LittleEndian.Uint32(head[:4]) != 0xFFFFFFFF { // pre-1.0 framing
		off, n = 4, int64(int32(binary.LittleEndian.Uint32(head[:4])))
	}
	if n <= 0 || n > size-off {
		return fmt.Errorf("%w: schema message length %d", errBadSchema, n)
	}
	buf = make(fbuf, n)
	if _, err := f.ReadAt(buf, off); err != nil {
		return err
	}
	root, err := buf.ref(0)
	if err != nil {
		return err
	}
	if _, _, err := buf.vector(root, 4); err != nil {
		return err
	}
	s, err := buf.table(root, 2)
	if err != nil || s < 0 {
		return fmt.Errorf("%w: first message has no schema", errBadSchema)
	}
	return buf.checkSchema(s)
}
