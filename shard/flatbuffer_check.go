package shard

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// checkMessageMeta verifies the flatbuffer of one IPC message before
// arrow-go decodes it, and returns the message's body length.
//
// arrow-go trusts the vector lengths in message metadata: a damaged schema
// whose field count reads as a billion makes it allocate a slice of a
// billion fields, and the Go runtime aborts on such an allocation (it
// cannot be recovered). So every vector arrow-go sizes an allocation by is
// checked to fit inside the metadata buffer, which bounds what it
// allocates by the metadata's size. This is not a full flatbuffer
// verifier: fields arrow-go only reads (out-of-range reads panic and are
// recovered) are left to its own checks.
func checkMessageMeta(buf []byte) (bodyLen int64, err error) {
	fb := flatBuf(buf)
	msg, err := fb.root()
	if err != nil {
		return 0, err
	}
	headerType, err := fb.uint8Field(msg, 1)
	if err != nil {
		return 0, err
	}
	if bodyLen, err = fb.int64Field(msg, 3); err != nil {
		return 0, err
	}
	if err := fb.checkKeyValues(msg, 4); err != nil {
		return 0, err
	}
	header, ok, err := fb.tableField(msg, 2)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, errors.New("IPC message without a header")
	}
	switch headerType {
	case 1: // Schema
		err = fb.checkSchema(header)
	case 2: // DictionaryBatch
		var data int
		if data, ok, err = fb.tableField(header, 1); err == nil && ok {
			err = fb.checkRecordBatch(data)
		}
	case 3: // RecordBatch
		err = fb.checkRecordBatch(header)
	default:
		err = fmt.Errorf("IPC message of type %d is not a schema or record batch", headerType)
	}
	return bodyLen, err
}

// flatBuf reads a flatbuffer with every access bounds-checked.
type flatBuf []byte

var errFlatBounds = errors.New("damaged IPC metadata: flatbuffer offset out of range")

func (b flatBuf) u32(pos int) (int, error) {
	if pos < 0 || pos+4 > len(b) {
		return 0, errFlatBounds
	}
	return int(binary.LittleEndian.Uint32(b[pos:])), nil
}

func (b flatBuf) root() (int, error) {
	off, err := b.u32(0)
	if err != nil {
		return 0, err
	}
	return off, b.checkTable(off)
}

// checkTable checks that the table at pos and its vtable lie in the buffer.
func (b flatBuf) checkTable(pos int) error {
	if pos < 0 || pos+4 > len(b) {
		return errFlatBounds
	}
	vt := pos - int(int32(binary.LittleEndian.Uint32(b[pos:])))
	if vt < 0 || vt+4 > len(b) {
		return errFlatBounds
	}
	vtSize := int(binary.LittleEndian.Uint16(b[vt:]))
	if vtSize < 4 || vt+vtSize > len(b) {
		return errFlatBounds
	}
	return nil
}

// field returns the position of field i of the table at pos, or 0 when the
// field is absent.
func (b flatBuf) field(pos, i int) (int, error) {
	vt := pos - int(int32(binary.LittleEndian.Uint32(b[pos:])))
	vtSize := int(binary.LittleEndian.Uint16(b[vt:]))
	slot := 4 + 2*i
	if slot+2 > vtSize {
		return 0, nil
	}
	off := int(binary.LittleEndian.Uint16(b[vt+slot:]))
	if off == 0 {
		return 0, nil
	}
	if pos+off >= len(b) {
		return 0, errFlatBounds
	}
	return pos + off, nil
}

func (b flatBuf) uint8Field(pos, i int) (uint8, error) {
	p, err := b.field(pos, i)
	if err != nil || p == 0 {
		return 0, err
	}
	return b[p], nil
}

func (b flatBuf) int64Field(pos, i int) (int64, error) {
	p, err := b.field(pos, i)
	if err != nil || p == 0 {
		return 0, err
	}
	if p+8 > len(b) {
		return 0, errFlatBounds
	}
	return int64(binary.LittleEndian.Uint64(b[p:])), nil
}

// target follows the offset stored in field i.
func (b flatBuf) target(pos, i int) (int, bool, error) {
	p, err := b.field(pos, i)
	if err != nil || p == 0 {
		return 0, false, err
	}
	off, err := b.u32(p)
	if err != nil {
		return 0, false, err
	}
	return p + off, true, nil
}

func (b flatBuf) tableField(pos, i int) (int, bool, error) {
	t, ok, err := b.target(pos, i)
	if err != nil || !ok {
		return 0, false, err
	}
	return t, true, b.checkTable(t)
}

// vectorField returns the start and length of the vector in field i after
// checking that length*elemSize bytes fit in the buffer.
func (b flatBuf) vectorField(pos, i, elemSize int) (start, n int, err error) {
	v, ok, err := b.target(pos, i)
	if err != nil || !ok {
		return 0, 0, err
	}
	n, err = b.u32(v)
	if err != nil {
		return 0, 0, err
	}
	if n > (len(b)-v-4)/elemSize {
		return 0, 0, fmt.Errorf("damaged IPC metadata: vector of %d elements in %d bytes", n, len(b))
	}
	return v + 4, n, nil
}

// tables checks a vector of tables and calls fn on each.
func (b flatBuf) tables(pos, i int, fn func(int) error) error {
	start, n, err := b.vectorField(pos, i, 4)
	if err != nil {
		return err
	}
	for k := range n {
		p := start + 4*k
		off, _ := b.u32(p)
		if err := b.checkTable(p + off); err != nil {
			return err
		}
		if err := fn(p + off); err != nil {
			return err
		}
	}
	return nil
}

func (b flatBuf) checkKeyValues(pos, i int) error {
	return b.tables(pos, i, func(kv int) error {
		if _, _, err := b.vectorField(kv, 0, 1); err != nil {
			return err
		}
		_, _, err := b.vectorField(kv, 1, 1)
		return err
	})
}

func (b flatBuf) checkSchema(s int) error {
	if err := b.checkKeyValues(s, 2); err != nil {
		return err
	}
	if _, _, err := b.vectorField(s, 3, 8); err != nil {
		return err
	}
	return b.tables(s, 1, func(f int) error { return b.checkField(f, 0) })
}

const maxFieldDepth = 64

func (b flatBuf) checkField(f, depth int) error {
	if depth > maxFieldDepth {
		return errors.New("damaged IPC metadata: fields nested too deep")
	}
	if _, _, err := b.vectorField(f, 0, 1); err != nil { // name
		return err
	}
	if err := b.checkKeyValues(f, 6); err != nil {
		return err
	}
	if _, _, err := b.tableField(f, 4); err != nil { // dictionary encoding
		return err
	}
	typeType, err := b.uint8Field(f, 2)
	if err != nil {
		return err
	}
	typ, ok, err := b.tableField(f, 3)
	if err != nil {
		return err
	}
	if ok {
		switch typeType {
		case 10: // Timestamp: timezone string
			_, _, err = b.vectorField(typ, 1, 1)
		case 14: // Union: type ids
			_, _, err = b.vectorField(typ, 1, 4)
		}
		if err != nil {
			return err
		}
	}
	return b.tables(f, 5, func(c int) error { return b.checkField(c, depth+1) })
}

func (b flatBuf) checkRecordBatch(rb int) error {
	if _, _, err := b.vectorField(rb, 1, 16); err != nil { // nodes
		return err
	}
	if _, _, err := b.vectorField(rb, 2, 16); err != nil { // buffers
		return err
	}
	if _, _, err := b.tableField(rb, 3); err != nil { // compression
		return err
	}
	_, _, err := b.vectorField(rb, 4, 8) // variadic buffer counts
	return err
}

// fileBlock is one Block of an IPC file footer: where a message starts,
// the length of its metadata (with its length prefix) and of its body.
type fileBlock struct {
	offset int64
	meta   int32
	body   int64
}

// checkFooter verifies the footer flatbuffer of an IPC file as
// checkMessageMeta does a message's (arrow-go's FileReader trusts its
// vector lengths too) and returns its dictionary and record batch blocks.
func checkFooter(buf []byte) (dicts, records []fileBlock, err error) {
	fb := flatBuf(buf)
	footer, err := fb.root()
	if err != nil {
		return nil, nil, err
	}
	schema, ok, err := fb.tableField(footer, 1)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, errors.New("IPC file footer without a schema")
	}
	if err := fb.checkSchema(schema); err != nil {
		return nil, nil, err
	}
	if err := fb.checkKeyValues(footer, 4); err != nil {
		return nil, nil, err
	}
	blocks := func(i int) ([]fileBlock, error) {
		start, n, err := fb.vectorField(footer, i, 24)
		if err != nil {
			return nil, err
		}
		out := make([]fileBlock, n)
		for k := range out {
			p := start + 24*k
			out[k] = fileBlock{
				offset: int64(binary.LittleEndian.Uint64(fb[p:])),
				meta:   int32(binary.LittleEndian.Uint32(fb[p+8:])),
				body:   int64(binary.LittleEndian.Uint64(fb[p+16:])),
			}
		}
		return out, nil
	}
	if dicts, err = blocks(2); err != nil {
		return nil, nil, err
	}
	if records, err = blocks(3); err != nil {
		return nil, nil, err
	}
	return dicts, records, nil
}
