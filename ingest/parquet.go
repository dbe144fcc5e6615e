package ingest

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

// parquetBatchRows is the record batch size read from Parquet: the reader
// streams row group by row group, a batch at a time, so memory is bounded
// by a batch and the column chunks' pages, not by the file.
const parquetBatchRows = 1024

// openParquetBatches reads a Parquet file with arrow-go's pqarrow. A
// damaged file gives an error (a panic inside the decoder is recovered),
// reported with the row it was met at.
func openParquetBatches(path string) (b *batches, err error) {
	defer recoverError(&err)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	props := parquet.NewReaderProperties(memory.DefaultAllocator)
	props.BufferedStreamEnabled = true // page by page, not whole column chunks
	rdr, err := file.NewParquetReader(f, file.WithReadProps(props))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("not a readable Parquet file: %w", err)
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: parquetBatchRows}, memory.DefaultAllocator)
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
	return &batches{
		schema: schema,
		size:   st.Size(),
		next: func() (rec arrow.RecordBatch, err error) {
			defer recoverError(&err)
			rec, err = rr.Read()
			if err != nil {
				if errors.Is(err, io.EOF) {
					return nil, io.EOF
				}
				return nil, err
			}
			rec.Retain()
			return rec, nil
		},
		close: func() error {
			rr.Release()
			return rdr.Close()
		},
	}, nil
}

// recoverError turns a panic of a decoder on damaged input into an error.
func recoverError(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("damaged data: %v", p)
	}
}
