package shard

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// ExtraRow is a document's carried-through input columns, the columns of
// a dataset that sieve does not map to a Document field: row Row of Batch,
// where Cols[j] is the column of Batch that holds the writer's extra field
// j (WriterOptions.Extra), or -1 when the input has no such column (the
// value is written as null). A reader sets it as pipeline.Document.Extra;
// documents of one batch share Batch and Cols. Values are copied into the
// output unchanged, whatever their type.
type ExtraRow struct {
	Batch arrow.RecordBatch
	Cols  []int
	Row   int
}

// extraBuilder collects the extra columns of a pending record batch as
// runs of input rows, concatenated when the batch is taken: consecutive
// documents from one input batch (the usual case) cost one slice.
type extraBuilder struct {
	mem    memory.Allocator
	fields []arrow.Field
	parts  [][]arrow.Array
	// the run being extended
	batch      arrow.RecordBatch
	cols       []int
	start, len int
}

func newExtraBuilder(mem memory.Allocator, fields []arrow.Field) *extraBuilder {
	return &extraBuilder{mem: mem, fields: fields, parts: make([][]arrow.Array, len(fields))}
}

// checkExtra rejects an ExtraRow that does not fit the writer's fields,
// before it is appended.
func (b *extraBuilder) check(x *ExtraRow) error {
	if x == nil {
		return nil
	}
	if len(x.Cols) != len(b.fields) || x.Row < 0 || int64(x.Row) >= x.Batch.NumRows() {
		return fmt.Errorf("shard: carried-through columns do not match the writer's %d extra fields", len(b.fields))
	}
	for j, c := range x.Cols {
		if c < 0 {
			continue
		}
		if c >= int(x.Batch.NumCols()) || !arrow.TypeEqual(x.Batch.Column(c).DataType(), b.fields[j].Type) {
			return fmt.Errorf("shard: carried-through column %s is not of type %s", b.fields[j].Name, b.fields[j].Type)
		}
	}
	return nil
}

func (b *extraBuilder) append(x *ExtraRow) {
	if b.len > 0 {
		if x != nil && b.batch == x.Batch && sameCols(b.cols, x.Cols) && x.Row == b.start+b.len {
			b.len++
			return
		}
		if x == nil && b.batch == nil {
			b.len++
			return
		}
		b.flushRun()
	}
	b.len = 1
	if x == nil {
		b.batch, b.cols, b.start = nil, nil, 0
		return
	}
	b.batch, b.cols, b.start = x.Batch, x.Cols, x.Row
}

func sameCols(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) > 0 && &a[0] == &b[0] {
		return true
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (b *extraBuilder) flushRun() {
	for j, f := range b.fields {
		var part arrow.Array
		if b.batch == nil || b.cols[j] < 0 {
			part = array.MakeArrayOfNull(b.mem, f.Type, b.len)
		} else {
			part = array.NewSlice(b.batch.Column(b.cols[j]), int64(b.start), int64(b.start+b.len))
		}
		b.parts[j] = append(b.parts[j], part)
	}
	b.batch, b.cols, b.len = nil, nil, 0
}

// take returns the pending extra columns and resets the builder.
func (b *extraBuilder) take() ([]arrow.Array, error) {
	if b.len > 0 {
		b.flushRun()
	}
	out := make([]arrow.Array, len(b.fields))
	for j, f := range b.fields {
		parts := b.parts[j]
		b.parts[j] = nil
		switch len(parts) {
		case 0:
			out[j] = array.MakeArrayOfNull(b.mem, f.Type, 0)
		case 1:
			out[j] = parts[0]
		default:
			a, err := array.Concatenate(parts, b.mem)
			for _, p := range parts {
				p.Release()
			}
			if err != nil {
				return nil, fmt.Errorf("shard: carried-through column %s: %w", f.Name, err)
			}
			out[j] = a
		}
	}
	return out, nil
}
