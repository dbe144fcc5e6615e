package dedup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/storage"
)

// shardReader reads an Arrow IPC shard, stream or file format, through
// the shard package's reader, which bounds every length by the file's size
// and checks metadata before arrow-go decodes it.
type shardReader struct {
	r      shard.Reader
	path   string
	format shard.Format // the input's container, the output's by default
	done   func()       // removes the local copy of a remote shard
}

// openShard opens a local or s3:// shard; a remote one is read from a
// local copy that Close removes.
func openShard(loc string) (r *shardReader, err error) {
	defer recoverDamaged(loc, &err)
	local, done, err := localCopy(loc)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			done()
		}
	}()
	format, err := shard.DetectFormat(local)
	if err != nil {
		return nil, err
	}
	sr, err := shard.Open(local)
	if err != nil {
		return nil, fmt.Errorf("%s: not an Arrow IPC or Parquet shard: %w", loc, err)
	}
	return &shardReader{r: sr, path: loc, format: format, done: done}, nil
}

func (r *shardReader) Schema() *arrow.Schema { return r.r.Schema() }

// Next returns the next record batch (owned by the caller, who releases
// it) or io.EOF.
func (r *shardReader) Next() (rec arrow.RecordBatch, err error) {
	defer recoverDamaged(r.path, &err)
	rec, err = r.r.Next()
	if err != nil {
		return nil, err
	}
	rec.Retain()
	return rec, nil
}

func (r *shardReader) Close() error {
	err := r.r.Close()
	r.done()
	return err
}

// docColumns are the columns dedup reads from a record batch.
type docColumns struct {
	id, text, url stringColumn
	keep          arrow.Array
}

// stringColumn reads utf8, large_utf8, string_view or dictionary-encoded
// string values (see shard.StringsOf).
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
	col, err := shard.StringsOf(rec.Column(idx[0]))
	if err != nil {
		return nil, fmt.Errorf("column %q: %w", name, err)
	}
	return col, nil
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

// recordWriter writes record batches to an Arrow IPC file (stream or file
// format), atomically, through the shard package's writer.
// A remote output is written to a local temporary file and uploaded whole
// on close (the shard package writes only local files).
type recordWriter struct {
	done   bool // closed or aborted
	w      *shard.RecordWriter
	local  string // the file written
	remote string // where it is uploaded on close; "" for local outputs
}

func newRecordWriter(loc string, schema *arrow.Schema, format shard.Format, compression string) (*recordWriter, error) {
	local := loc
	if storage.IsRemote(loc) {
		if err := os.MkdirAll(tempDir(), 0o755); err != nil {
			return nil, err
		}
		f, err := os.CreateTemp(tempDir(), "sieve-dedup-out-*-"+baseName(loc))
		if err != nil {
			return nil, err
		}
		f.Close()
		local = f.Name()
	} else if err := os.MkdirAll(filepath.Dir(loc), 0o755); err != nil {
		return nil, err
	}
	w, err := shard.CreateRecordWriter(local, schema, format, compression)
	if err != nil {
		if local != loc {
			os.Remove(local)
		}
		return nil, err
	}
	rw := &recordWriter{w: w, local: local}
	if local != loc {
		rw.remote = loc
	}
	return rw, nil
}

func (w *recordWriter) write(rec arrow.RecordBatch) error { return w.w.Write(rec) }

func (w *recordWriter) close() error {
	if w.done {
		return errors.New("record writer already closed")
	}
	w.done = true
	if err := w.w.Close(); err != nil || w.remote == "" {
		return err
	}
	defer os.Remove(w.local)
	return store().Upload(storeCtx(), w.local, w.remote)
}

func (w *recordWriter) abort() {
	if w.done {
		return
	}
	w.done = true
	w.w.Abort()
	if w.remote != "" {
		os.Remove(w.local)
	}
}

var errStop = errors.New("stop")
