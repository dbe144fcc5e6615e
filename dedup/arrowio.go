package dedup

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// shardReader reads an Arrow IPC shard in stream or file format (detected
// by the file format's "ARROW1" magic).
type shardReader struct {
	f      *os.File
	stream *ipc.Reader
	file   *ipc.FileReader
	next   int
	isFile bool
}

func openShard(path string) (r *shardReader, err error) {
	defer recoverDamaged(path, &err)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	magic := make([]byte, 6)
	n, _ := io.ReadFull(f, magic)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	r = &shardReader{f: f}
	isFile := n == 6 && bytes.Equal(magic, []byte("ARROW1"))
	if err := checkSchemaLengths(f, isFile); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: not an Arrow IPC shard: %w", path, err)
	}
	mem := &boundedAllocator{limit: maxAllocation(f)}
	if isFile {
		r.isFile = true
		r.file, err = ipc.NewFileReader(f, ipc.WithAllocator(mem))
	} else {
		r.stream, err = ipc.NewReader(bufio.NewReaderSize(f, 1<<20), ipc.WithAllocator(mem))
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: not an Arrow IPC shard: %w", path, err)
	}
	return r, nil
}

func (r *shardReader) Schema() *arrow.Schema {
	if r.isFile {
		return r.file.Schema()
	}
	return r.stream.Schema()
}

// Next returns the next record batch (owned by the caller, who releases
// it) or io.EOF.
func (r *shardReader) Next() (rec arrow.RecordBatch, err error) {
	defer recoverDamaged(r.f.Name(), &err)
	if r.isFile {
		if r.next >= r.file.NumRecords() {
			return nil, io.EOF
		}
		rec, err := r.file.RecordBatch(r.next)
		r.next++
		if err != nil {
			return nil, err
		}
		rec.Retain()
		return rec, nil
	}
	if r.stream.Next() {
		rec := r.stream.RecordBatch()
		rec.Retain()
		return rec, nil
	}
	if err := r.stream.Err(); err != nil {
		return nil, err
	}
	return nil, io.EOF
}

func (r *shardReader) Close() error {
	if r.isFile {
		r.file.Close()
	} else {
		r.stream.Release()
	}
	return r.f.Close()
}

// boundedAllocator refuses single allocations larger than a damaged file
// could justify (a body length or decompressed size read from the file
// would otherwise be allocated as is); the refusal panics inside arrow-go
// and recoverDamaged turns it into an error.
type boundedAllocator struct{ limit int }

func (a *boundedAllocator) Allocate(size int) []byte {
	if size > a.limit {
		panic(fmt.Sprintf("buffer of %d bytes requested, more than %d this file can hold", size, a.limit))
	}
	return memory.DefaultAllocator.Allocate(size)
}

func (a *boundedAllocator) Reallocate(size int, b []byte) []byte {
	if size > a.limit {
		panic(fmt.Sprintf("buffer of %d bytes requested, more than %d this file can hold", size, a.limit))
	}
	return memory.DefaultAllocator.Reallocate(size, b)
}

func (a *boundedAllocator) Free(b []byte) { memory.DefaultAllocator.Free(b) }

// maxAllocation allows 64 times the file size (compressed shards expand)
// and at least 64 MiB.
func maxAllocation(f *os.File) int {
	st, err := f.Stat()
	if err != nil {
		return 1 << 26
	}
	return int(max(st.Size()*64, 1<<26))
}

// docColumns are the columns dedup reads from a record batch.
type docColumns struct {
	id, text, url stringColumn
	keep          arrow.Array
}

// stringColumn reads utf8 or large_utf8 values.
type stringColumn interface {
	Value(i int) string
	IsNull(i int) bool
}

func columnsOf(rec arrow.RecordBatch, needURL bool, keep string) (docColumns, error) {
	var c docColumns
	var err error
	if c.id, err = stringCol(rec, "id"); err != nil {
		return c, err
	}
	if c.text, err = stringCol(rec, "text"); err != nil {
		return c, err
	}
	if needURL {
		if c.url, err = stringCol(rec, "url"); err != nil {
			return c, err
		}
	}
	if keep != "" {
		idx := rec.Schema().FieldIndices(keep)
		if len(idx) == 0 {
			return c, fmt.Errorf("keep_highest column %q is not in the shard", keep)
		}
		c.keep = rec.Column(idx[0])
		if !arrow.IsInteger(c.keep.DataType().ID()) && !arrow.IsFloating(c.keep.DataType().ID()) {
			return c, fmt.Errorf("keep_highest column %q has type %s; want a number", keep, c.keep.DataType())
		}
	}
	return c, nil
}

func stringCol(rec arrow.RecordBatch, name string) (stringColumn, error) {
	idx := rec.Schema().FieldIndices(name)
	if len(idx) == 0 {
		return nil, fmt.Errorf("shard has no %q column (have %v)", name, fieldNames(rec.Schema()))
	}
	switch a := rec.Column(idx[0]).(type) {
	case *array.String:
		if err := validOffsets(a.Validate(), a.ValueOffsets()); err != nil {
			return nil, fmt.Errorf("column %q is damaged: %w", name, err)
		}
		return a, nil
	case *array.LargeString:
		if err := validOffsets(a.Validate(), a.ValueOffsets()); err != nil {
			return nil, fmt.Errorf("column %q is damaged: %w", name, err)
		}
		return a, nil
	default:
		return nil, fmt.Errorf("column %q has type %s; want utf8", name, a.DataType())
	}
}

// validOffsets checks what arrow-go's Validate leaves out: offsets that
// never decrease, so Value(i) cannot slice out of range on damaged input.
// (ValidateFull would also reject invalid UTF-8, which dedup tolerates.)
func validOffsets[T int32 | int64](err error, offs []T) error {
	if err != nil {
		return err
	}
	for i := 1; i < len(offs); i++ {
		if offs[i] < offs[i-1] || offs[i-1] < 0 {
			return fmt.Errorf("offsets decrease at %d", i)
		}
	}
	return nil
}

// recoverDamaged turns a panic inside arrow-go on damaged input (it does
// not check every buffer of every type) into an error naming the file.
func recoverDamaged(path string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: damaged Arrow data: %v", path, r)
	}
}

func fieldNames(s *arrow.Schema) []string {
	names := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		names[i] = f.Name
	}
	return names
}

// numericValue returns a numeric column's value as float64; nulls and
// non-numeric types report false.
func numericValue(a arrow.Array, i int) (float64, bool) {
	if a.IsNull(i) {
		return 0, false
	}
	switch c := a.(type) {
	case *array.Int8:
		return float64(c.Value(i)), true
	case *array.Int16:
		return float64(c.Value(i)), true
	case *array.Int32:
		return float64(c.Value(i)), true
	case *array.Int64:
		return float64(c.Value(i)), true
	case *array.Uint8:
		return float64(c.Value(i)), true
	case *array.Uint16:
		return float64(c.Value(i)), true
	case *array.Uint32:
		return float64(c.Value(i)), true
	case *array.Uint64:
		return float64(c.Value(i)), true
	case *array.Float16:
		return float64(c.Value(i).Float32()), true
	case *array.Float32:
		return float64(c.Value(i)), true
	case *array.Float64:
		return c.Value(i), true
	}
	return 0, false
}

// atomicFile is written under a temporary name and renamed into place on
// commit, so a reader never sees a half-written output.
type atomicFile struct {
	*os.File
	final string
}

func createAtomic(final string) (*atomicFile, error) {
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(final), "."+filepath.Base(final)+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &atomicFile{File: f, final: final}, nil
}

func (a *atomicFile) commit() error {
	if err := a.File.Sync(); err != nil {
		a.abort()
		return err
	}
	if err := a.File.Close(); err != nil {
		os.Remove(a.Name())
		return err
	}
	return os.Rename(a.Name(), a.final)
}

func (a *atomicFile) abort() {
	a.File.Close()
	os.Remove(a.Name())
}

// recordWriter writes record batches to an Arrow IPC file (stream or file
// format), atomically.
type recordWriter struct {
	done   bool // closed or aborted
	af     *atomicFile
	bw     *bufio.Writer
	stream *ipc.Writer
	file   *ipc.FileWriter
}

func newRecordWriter(path string, schema *arrow.Schema, fileFormat bool) (*recordWriter, error) {
	af, err := createAtomic(path)
	if err != nil {
		return nil, err
	}
	w := &recordWriter{af: af, bw: bufio.NewWriterSize(af, 1<<20)}
	opts := []ipc.Option{ipc.WithSchema(schema), ipc.WithAllocator(memory.DefaultAllocator)}
	if fileFormat {
		w.file, err = ipc.NewFileWriter(w.bw, opts...)
		if err != nil {
			af.abort()
			return nil, err
		}
	} else {
		w.stream = ipc.NewWriter(w.bw, opts...)
	}
	return w, nil
}

func (w *recordWriter) write(rec arrow.RecordBatch) error {
	if w.file != nil {
		return w.file.Write(rec)
	}
	return w.stream.Write(rec)
}

func (w *recordWriter) close() error {
	if w.done {
		return errors.New("record writer already closed")
	}
	w.done = true
	var err error
	if w.file != nil {
		err = w.file.Close()
	} else {
		err = w.stream.Close()
	}
	if err == nil {
		err = w.bw.Flush()
	}
	if err != nil {
		w.af.abort()
		return err
	}
	return w.af.commit()
}

func (w *recordWriter) abort() {
	if w.done {
		return
	}
	w.done = true
	if w.file != nil {
		w.file.Close()
	} else if w.stream != nil {
		w.stream.Close()
	}
	w.af.abort()
}

var errStop = errors.New("stop")
