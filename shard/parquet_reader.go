package shard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// parquetMagic starts and ends every Parquet file.
const parquetMagic = "PAR1"

// ParquetBatchRows is the record batch size read from Parquet: the reader
// streams row group by row group, a batch at a time, so memory is bounded
// by a batch and the column chunks' pages, not by the file.
const ParquetBatchRows = 1024

// parquetReader reads a Parquet file as record batches through arrow-go's
// pqarrow, so everything that reads shards (inspect, dedup, refilter, the
// dataset reader) reads Parquet too. A panic of the decoder on damaged
// input is recovered into an error.
type parquetReader struct {
	f      *os.File
	rdr    *file.Reader
	rr     pqarrow.RecordReader
	schema *arrow.Schema
	cur    arrow.RecordBatch
}

func openParquetReader(f *os.File) (r *parquetReader, err error) {
	defer recoverInto(&err)
	props := parquet.NewReaderProperties(memory.DefaultAllocator)
	props.BufferedStreamEnabled = true // page by page, not whole column chunks
	rdr, err := file.NewParquetReader(f, file.WithReadProps(props))
	if err != nil {
		return nil, fmt.Errorf("not a readable Parquet file: %w", err)
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: ParquetBatchRows}, memory.DefaultAllocator)
	if err != nil {
		rdr.Close()
		return nil, fmt.Errorf("not a readable Parquet file: %w", err)
	}
	schema, err := fr.Schema()
	if err != nil {
		rdr.Close()
		return nil, fmt.Errorf("Parquet schema: %w", err)
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		rdr.Close()
		return nil, fmt.Errorf("Parquet: %w", err)
	}
	return &parquetReader{f: f, rdr: rdr, rr: rr, schema: schema}, nil
}

func (r *parquetReader) Schema() *arrow.Schema { return r.schema }

func (r *parquetReader) Next() (rec arrow.RecordBatch, err error) {
	defer recoverInto(&err)
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	rec, err = r.rr.Read()
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if err != nil {
		return nil, fmt.Errorf("shard: %s: %w", r.f.Name(), err)
	}
	rec.Retain()
	r.cur = rec
	return rec, nil
}

func (r *parquetReader) Close() error {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	r.rr.Release()
	return r.rdr.Close() // closes f
}
