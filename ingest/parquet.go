package ingest

// openParquetBatches reads a Parquet file through the shard package's
// reader (pqarrow, row group by row group in batches of
// shard.ParquetBatchRows), the same one inspect, dedup and refilter use.
func openParquetBatches(path string) (*batches, error) { return openArrowBatches(path) }
