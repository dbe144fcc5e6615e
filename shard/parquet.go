package shard

import (
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Defaults for ContainerOptions.
const (
	// DefaultRowGroupBytes: 128 MiB of Arrow data per row group, the
	// size FineWeb's and DuckDB's row groups are near. The writer holds
	// one row group's encoded pages in memory.
	DefaultRowGroupBytes = 128 << 20
	// DefaultRowGroupRows caps a row group of short documents.
	DefaultRowGroupRows = 100_000
)

// parquetContainer writes Parquet through arrow-go's pqarrow, buffering
// record batches into row groups of bounded size. The Arrow schema is
// stored in the file's metadata (ARROW:schema), so Arrow readers get back
// utf8 strings and timestamp[us, UTC] exactly; readers without it
// (DuckDB, polars, datasets) see the plain Parquet types: BYTE_ARRAY
// String, TIMESTAMP(MICROS, UTC), FLOAT, DOUBLE, INT64 and a group for
// quality_signals, which they all read without casts.
type parquetContainer struct {
	fw               *pqarrow.FileWriter
	maxBytes, maxRow int64
	bytes, rows      int64
}

func openParquet(w io.Writer, schema *arrow.Schema, compression string, o ContainerOptions) (container, error) {
	codec := compress.Codecs.Zstd
	switch compression {
	case CompressionNone:
		codec = compress.Codecs.Uncompressed
	case "snappy":
		codec = compress.Codecs.Snappy
	case CompressionGzip:
		codec = compress.Codecs.Gzip
	}
	if o.RowGroupBytes <= 0 {
		o.RowGroupBytes = DefaultRowGroupBytes
	}
	if o.RowGroupRows <= 0 {
		o.RowGroupRows = DefaultRowGroupRows
	}
	props := parquet.NewWriterProperties(
		parquet.WithCompression(codec),
		parquet.WithMaxRowGroupLength(o.RowGroupRows),
		parquet.WithCreatedBy("sieve"),
		parquet.WithStats(true),
	)
	fw, err := pqarrow.NewFileWriter(schema, w, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return nil, fmt.Errorf("shard: parquet: %w", err)
	}
	return &parquetContainer{fw: fw, maxBytes: o.RowGroupBytes, maxRow: o.RowGroupRows}, nil
}

func (p *parquetContainer) Write(rec arrow.RecordBatch) error {
	if p.rows > 0 && (p.bytes+recordBytes(rec) > p.maxBytes || p.rows+rec.NumRows() > p.maxRow) {
		p.fw.NewBufferedRowGroup()
		p.bytes, p.rows = 0, 0
	}
	if err := p.fw.WriteBuffered(rec); err != nil {
		return err
	}
	p.bytes += recordBytes(rec)
	p.rows += rec.NumRows()
	return nil
}

func (p *parquetContainer) Close() error { return p.fw.Close() }

// recordBytes is the size of a record batch's buffers (a slice counts
// its whole buffers: an over-estimate that only cuts row groups early).
func recordBytes(rec arrow.RecordBatch) int64 {
	var n int64
	for _, c := range rec.Columns() {
		n += dataBytes(c.Data())
	}
	return n
}

func dataBytes(d arrow.ArrayData) int64 {
	var n int64
	for _, b := range d.Buffers() {
		if b != nil {
			n += int64(b.Len())
		}
	}
	for _, c := range d.Children() {
		n += dataBytes(c)
	}
	if d.DataType().ID() == arrow.DICTIONARY {
		n += dataBytes(d.Dictionary())
	}
	return n
}
