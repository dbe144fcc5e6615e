package ingest

import (
	"os"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sieve-data/sieve/shard"
)

// openArrowBatches reads an Arrow IPC file or stream (or a Parquet file)
// through the shard package's checked reader (any writer's files: utf8,
// large_utf8, string_view and dictionary-encoded strings, zstd or lz4
// bodies).
func openArrowBatches(path string) (*batches, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	r, err := shard.Open(path)
	if err != nil {
		return nil, err
	}
	return &batches{
		schema: r.Schema(),
		size:   st.Size(),
		next: func() (arrow.RecordBatch, error) {
			rec, err := r.Next()
			if err != nil {
				return nil, err
			}
			// Documents keep the batch (their carried-through columns)
			// until the writer has copied them.
			rec.Retain()
			return rec, nil
		},
		close: r.Close,
	}, nil
}
