package dedup

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// decisionCursor walks the decisions file forward.
type decisionCursor struct {
	r    *checkedReader
	rec  [decisionSize]byte
	have bool
	done bool
	cur  decision
}

type decision struct {
	dense, cluster uint64
	size           uint32
	removed        bool
}

func openDecisions(path string) (*decisionCursor, error) {
	r, err := openChecked(path, kindDecis, decisionSize)
	if err != nil {
		return nil, err
	}
	return &decisionCursor{r: r}, nil
}

// at returns the decision for dense, or ok=false for a document that is
// alone in its cluster. Calls must come in increasing dense order.
func (c *decisionCursor) at(dense uint64) (decision, bool, error) {
	for !c.done {
		if !c.have {
			err := c.r.next(c.rec[:])
			if errors.Is(err, io.EOF) {
				c.done = true
				break
			}
			if err != nil {
				return decision{}, false, err
			}
			c.cur = decision{
				dense:   binary.LittleEndian.Uint64(c.rec[0:]),
				cluster: binary.LittleEndian.Uint64(c.rec[8:]),
				size:    binary.LittleEndian.Uint32(c.rec[16:]),
				removed: binary.LittleEndian.Uint32(c.rec[20:]) != 0,
			}
			c.have = true
		}
		if c.cur.dense > dense {
			return decision{}, false, nil
		}
		c.have = false
		if c.cur.dense == dense {
			return c.cur, true, nil
		}
	}
	return decision{}, false, nil
}

func (c *decisionCursor) close() error { return c.r.close() }

// OutputSchema is the schema of the shards dedup writes for input shards
// of schema in: every input column, then dedup_cluster_id (int64) and
// dedup_cluster_size (int32). (For dataset metadata written next to them.)
func OutputSchema(in *arrow.Schema) *arrow.Schema {
	s, _ := outputSchema(in)
	return s
}

// outputSchema is the input schema without old dedup columns, plus fresh
// ones, so deduplicating twice does not duplicate columns.
func outputSchema(in *arrow.Schema) (*arrow.Schema, []int) {
	var fields []arrow.Field
	var keep []int
	for i, f := range in.Fields() {
		if f.Name == ColClusterID || f.Name == ColClusterSize {
			continue
		}
		fields = append(fields, f)
		keep = append(keep, i)
	}
	// Nullable although never null: Hugging Face datasets' features are
	// always nullable, and a schema that differs from them only in
	// nullability makes Dataset cast every table on load, which fails on a
	// shard with no record batch (datasets 5.2: "cannot construct
	// ChunkedArray from empty vector"), so load_from_disk failed outright.
	fields = append(fields,
		arrow.Field{Name: ColClusterID, Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: ColClusterSize, Type: arrow.PrimitiveTypes.Int32, Nullable: true})
	md := in.Metadata()
	return arrow.NewSchema(fields, &md), keep
}

// filterShard writes the survivors of one input shard to outPath with
// every input column unchanged plus the cluster columns, and returns the
// rows kept.
func filterShard(ctx context.Context, span shardSpan, outPath string, dc *decisionCursor, o Output) (kept int64, err error) {
	defer recoverDamaged(span.Path, &err)
	r, err := openShard(span.Path)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	schema, keepCols := outputSchema(r.Schema())
	format := o.Format
	if format == "" {
		format = r.format // Parquet in, Parquet out (zstd, the default)
	}
	w, err := newRecordWriter(outPath, schema, format, o.Compression)
	if err != nil {
		return 0, err
	}
	mem := memory.DefaultAllocator
	dense := span.Dense
	defer func() {
		if err != nil {
			w.abort()
		}
	}()
	rows := 0
	fail := func(err error) (int64, error) {
		return 0, fmt.Errorf("%s: %w", span.Path, err)
	}
	for {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(err)
		}
		n := int(rec.NumRows())
		keepRow := make([]bool, n)
		ids := array.NewInt64Builder(mem)
		sizes := array.NewInt32Builder(mem)
		for i := 0; i < n; i++ {
			d, ok, err := dc.at(dense)
			if err != nil {
				ids.Release()
				sizes.Release()
				rec.Release()
				return fail(err)
			}
			if !ok {
				d = decision{cluster: dense, size: 1}
			}
			keepRow[i] = !d.removed
			ids.Append(int64(d.cluster))
			sizes.Append(int32(d.size))
			dense++
		}
		rows += n
		cols := make([]arrow.Array, 0, len(keepCols)+2)
		for _, c := range keepCols {
			cols = append(cols, rec.Column(c))
		}
		idArr, sizeArr := ids.NewArray(), sizes.NewArray()
		ids.Release()
		sizes.Release()
		cols = append(cols, idArr, sizeArr)
		full := array.NewRecordBatch(schema, cols, int64(n))
		idArr.Release()
		sizeArr.Release()
		rec.Release()
		out, err := keepRows(full, keepRow, mem)
		full.Release()
		if err != nil {
			return fail(err)
		}
		kept += out.NumRows()
		err = w.write(out)
		out.Release()
		if err != nil {
			return fail(err)
		}
	}
	if rows != span.Rows {
		return fail(fmt.Errorf("%w: shard has %d rows now, %d when signatures were computed", ErrCorrupt, rows, span.Rows))
	}
	if err := w.close(); err != nil {
		return 0, err
	}
	return kept, nil
}

// keepRows returns the rows of rec where keep is true, in order. Runs of
// kept rows are sliced (zero-copy) and concatenated per column, which keeps
// every column type, nested or not, exactly as it was.
func keepRows(rec arrow.RecordBatch, keep []bool, mem memory.Allocator) (arrow.RecordBatch, error) {
	type run struct{ lo, hi int64 }
	var runs []run
	var total int64
	for i := 0; i < len(keep); {
		if !keep[i] {
			i++
			continue
		}
		j := i
		for j < len(keep) && keep[j] {
			j++
		}
		runs = append(runs, run{int64(i), int64(j)})
		total += int64(j - i)
		i = j
	}
	if len(runs) == 1 && total == rec.NumRows() {
		rec.Retain()
		return rec, nil
	}
	cols := make([]arrow.Array, rec.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for c := range cols {
		if len(runs) == 0 {
			cols[c] = array.NewSlice(rec.Column(c), 0, 0)
			continue
		}
		parts := make([]arrow.Array, len(runs))
		for k, r := range runs {
			parts[k] = array.NewSlice(rec.Column(c), r.lo, r.hi)
		}
		var err error
		cols[c], err = array.Concatenate(parts, mem)
		for _, p := range parts {
			p.Release()
		}
		if err != nil {
			return nil, err
		}
	}
	return array.NewRecordBatch(rec.Schema(), cols, total), nil
}
