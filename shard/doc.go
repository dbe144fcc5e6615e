// Package shard writes sieve's output documents as Apache Arrow IPC shards
// and reads them back.
//
// The default is the IPC streaming format, because Hugging Face datasets
// (the main consumer) memory-maps .arrow files as streams: its "arrow"
// loader, Dataset.from_file and load_from_disk read streams only. The IPC
// file format ("Feather v2"), which pyarrow.feather, polars.read_ipc and
// DuckDB prefer, is an option. Open reads either, telling them apart by
// the "ARROW1" magic that starts a file-format shard.
//
// The schema is fixed before the first document is written (see Schema),
// unlike writers that infer it from the first batch and then break when a
// later batch carries a new field.
package shard
