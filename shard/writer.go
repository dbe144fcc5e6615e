package shard

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sieve-data/sieve/pipeline"
)

// Defaults for WriterOptions.
const (
	DefaultMaxBytes  = 256 << 20
	DefaultBatchRows = 1024
	// maxBatchBytes cuts a record batch by size as well as by rows, so a
	// run of huge pages neither grows memory nor nears utf8's 2 GiB limit.
	maxBatchBytes = 64 << 20
)

// WriterOptions configure a Writer.
type WriterOptions struct {
	Dir    string // output folder, created if missing (e.g. OUT/shards)
	Prefix string // file name prefix; files are <Prefix>-<NNNNN><Suffix>
	Format Format // FormatStream (default), FormatFile, FormatParquet, FormatJSONL
	// Compression: for Arrow "" (none, the default) or "zstd" (IPC body
	// compression; readable by pyarrow, polars, DuckDB, arrow-go); for
	// Parquet "zstd" (default), "snappy", "gzip" or "none"; for JSONL
	// "gzip" (default, as datatrove), "zstd" or "none".
	Compression string
	Container   ContainerOptions
	MaxBytes    int64 // roll to a new shard at about this size (default 256 MiB)
	BatchRows   int   // rows per record batch (default 1024; also cut at 64 MiB)
	SignalNames []string
	Removed     bool // add drop_step and drop_reason (audit shards)
	// Extra are the input dataset's carried-through columns, written after
	// sieve's from each document's ExtraRow (see pipeline.Document.Extra).
	Extra []arrow.Field
}

// Writer writes documents into a numbered series of shards. It is not safe
// for concurrent use. Memory is bounded by one record batch.
type Writer struct {
	opts     WriterOptions
	schema   *arrow.Schema
	batch    *batchBuilder
	batchMax int64
	cur      *openShard
	files    []string
	rows     int64
	closed   bool
	aborted  bool
}

// openShard is the shard being written.
type openShard struct {
	file *atomicFile
	ipc  container
}

// NewWriter validates opts and prepares a writer. No file is created until
// the first document (or Close, which always leaves at least one shard so
// the schema is discoverable even when every document was dropped).
func NewWriter(opts WriterOptions) (*Writer, error) {
	var err error
	if opts.Format, err = parseFormat(opts.Format); err != nil {
		return nil, err
	}
	if opts.Compression, err = ParseCompression(opts.Format, opts.Compression); err != nil {
		return nil, err
	}
	if opts.Dir == "" {
		return nil, errors.New("shard: WriterOptions.Dir is empty")
	}
	if opts.Prefix == "" || filepath.Base(opts.Prefix) != opts.Prefix {
		return nil, fmt.Errorf("shard: WriterOptions.Prefix %q must be a plain file name part", opts.Prefix)
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.BatchRows <= 0 {
		opts.BatchRows = DefaultBatchRows
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("shard: %w", err)
	}
	opts.SignalNames = sortedSignalNames(opts.SignalNames)
	base := Schema(opts.SignalNames, opts.Removed)
	schema, err := WithExtra(base, opts.Extra)
	if err != nil {
		return nil, err
	}
	return &Writer{
		opts:     opts,
		schema:   schema,
		batch:    newBatchBuilder(memory.DefaultAllocator, schema, base, opts.SignalNames, opts.Removed),
		batchMax: min(maxBatchBytes, max(opts.MaxBytes/4, 1<<16)),
	}, nil
}

// Schema is the schema of every shard this writer produces.
func (w *Writer) Schema() *arrow.Schema { return w.schema }

// Rows is the number of documents written so far.
func (w *Writer) Rows() int64 { return w.rows }

// RepairedStrings is how many string values were not valid UTF-8 and were
// written with U+FFFD in place of the bad bytes.
func (w *Writer) RepairedStrings() int64 { return w.batch.repaired }

// Write adds a kept document.
func (w *Writer) Write(d *pipeline.Document) error {
	if w.opts.Removed {
		return errors.New("shard: Write on a removed-documents writer; use WriteRemoved")
	}
	return w.add(d, "", "")
}

// WriteRemoved adds a dropped document with the step and reason that
// dropped it, for the audit shards.
func (w *Writer) WriteRemoved(d *pipeline.Document, step, reason string) error {
	if !w.opts.Removed {
		return errors.New("shard: WriteRemoved on a writer without WriterOptions.Removed")
	}
	return w.add(d, step, reason)
}

func (w *Writer) add(d *pipeline.Document, step, reason string) error {
	if w.closed {
		return errors.New("shard: write after Close or Abort")
	}
	if err := checkFieldSizes(d, step, reason); err != nil {
		return err
	}
	if w.batch.extra != nil {
		x, _ := d.Extra.(*ExtraRow)
		if err := w.batch.extra.check(x); err != nil {
			return fmt.Errorf("%w (document %.200q)", err, d.ID)
		}
	}
	if w.batch.rows > 0 && w.batch.bytes+docBytes(d, len(w.opts.SignalNames), step, reason) > w.batchMax {
		if err := w.flush(); err != nil {
			return err
		}
	}
	w.batch.append(d, step, reason)
	w.rows++
	if w.batch.rows >= w.opts.BatchRows || w.batch.bytes >= w.batchMax {
		return w.flush()
	}
	return nil
}

// flush writes the pending batch and rolls to a new shard once the current
// one has reached MaxBytes.
func (w *Writer) flush() error {
	if w.batch.rows == 0 {
		return nil
	}
	if w.cur == nil {
		if err := w.open(); err != nil {
			return err
		}
	}
	rec, err := w.batch.take()
	if err != nil {
		return err
	}
	err = w.cur.ipc.Write(rec)
	rec.Release()
	if err != nil {
		return fmt.Errorf("shard: writing %s: %w", w.cur.file.final, err)
	}
	if w.cur.file.n >= w.opts.MaxBytes {
		return w.closeShard()
	}
	return nil
}

func (w *Writer) open() error {
	name := fmt.Sprintf("%s-%05d%s", w.opts.Prefix, len(w.files), Suffix(w.opts.Format, w.opts.Compression))
	s, err := createShard(filepath.Join(w.opts.Dir, name), w.schema, w.opts.Format, w.opts.Compression, w.opts.Container)
	if err != nil {
		return err
	}
	w.cur = s
	return nil
}

// createShard starts a container of the given format on an atomic file.
func createShard(path string, schema *arrow.Schema, format Format, compression string, o ContainerOptions) (*openShard, error) {
	spec, ok := formats[format]
	if !ok {
		return nil, fmt.Errorf("shard: unknown format %q", format)
	}
	f, err := createAtomic(path)
	if err != nil {
		return nil, err
	}
	c, err := spec.open(f, schema, compression, o)
	if err != nil {
		f.abort()
		return nil, err
	}
	return &openShard{file: f, ipc: c}, nil
}

func (w *Writer) closeShard() error {
	s := w.cur
	w.cur = nil
	if err := s.ipc.Close(); err != nil {
		s.file.abort()
		return fmt.Errorf("shard: closing %s: %w", s.file.final, err)
	}
	if err := s.file.commit(); err != nil {
		return err
	}
	w.files = append(w.files, s.file.final)
	return nil
}

// Close writes what is pending and returns the paths of all shards, in
// order. A writer that got no documents still leaves one empty shard, so
// every task's output has a readable schema.
func (w *Writer) Close() ([]string, error) {
	if w.aborted {
		return nil, errors.New("shard: Close after Abort")
	}
	if w.closed {
		return w.files, nil
	}
	err := w.flush()
	if err == nil && w.cur == nil && len(w.files) == 0 {
		err = w.open()
	}
	if err == nil && w.cur != nil {
		err = w.closeShard()
	}
	if err != nil {
		w.Abort()
		return nil, err
	}
	w.closed = true
	w.batch.release()
	return w.files, nil
}

// Abort stops the writer and removes the shard being written (its .tmp
// file). Shards already completed under their final names stay: a caller
// retrying the task removes <Prefix>-* first, as the runner does.
func (w *Writer) Abort() error {
	if w.closed {
		return nil
	}
	w.closed, w.aborted = true, true
	w.batch.release()
	if w.cur == nil {
		return nil
	}
	s := w.cur
	w.cur = nil
	s.ipc.Close()
	return s.file.abort()
}
