package shard

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// RecordWriter writes record batches of any schema to one shard file,
// atomically like Writer: nothing appears under path before Close. Tools
// that rewrite shards while carrying every column through (refilter) use it.
type RecordWriter struct {
	s *openShard
}

// CreateRecordWriter starts a shard at path in the given format ("" is the
// stream format) and compression ("" is the format's default; see
// WriterOptions.Compression).
func CreateRecordWriter(path string, schema *arrow.Schema, format Format, compression string) (*RecordWriter, error) {
	format, err := parseFormat(format)
	if err != nil {
		return nil, err
	}
	if compression, err = ParseCompression(format, compression); err != nil {
		return nil, err
	}
	s, err := createShard(path, schema, format, compression, ContainerOptions{})
	if err != nil {
		return nil, err
	}
	return &RecordWriter{s: s}, nil
}

// Write appends one record batch; its schema must be the writer's.
func (w *RecordWriter) Write(rec arrow.RecordBatch) error {
	if err := w.s.ipc.Write(rec); err != nil {
		return fmt.Errorf("shard: writing %s: %w", w.s.file.final, err)
	}
	return nil
}

// Close finishes the shard and renames it into place.
func (w *RecordWriter) Close() error {
	if err := w.s.ipc.Close(); err != nil {
		w.s.file.abort()
		return fmt.Errorf("shard: closing %s: %w", w.s.file.final, err)
	}
	return w.s.file.commit()
}

// Abort removes the partial shard.
func (w *RecordWriter) Abort() error {
	w.s.ipc.Close()
	return w.s.file.abort()
}
