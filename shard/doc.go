// Package shard writes sieve's output documents as Apache Arrow record
// batches in one of four containers and reads them back.
//
// Arrow is the in-memory and stage format; the container is a plug-in
// (formats, one entry per format): the Arrow IPC stream (the default,
// because Hugging Face datasets memory-maps .arrow files as streams: its
// "arrow" loader, Dataset.from_file and load_from_disk read streams only),
// the IPC file format ("Feather v2", which pyarrow.feather, polars.read_ipc
// and DuckDB prefer), Parquet (arrow-go's pqarrow; zstd, row groups of
// bounded size) and JSON Lines in datatrove's and dolma's layout.
//
// Open reads IPC streams and files of any writer (telling them apart by
// the file format's leading "ARROW1" magic; a file is read through its
// footer, where some writers keep the only copy of the schema) and Parquet
// files ("PAR1"). Every length is bounded by the file's size and metadata
// is checked before arrow-go decodes it: a damaged shard is an error, not
// a crash. StringsOf reads every string encoding (utf8, large_utf8,
// string_view, dictionary-encoded).
//
// The schema is fixed before the first document is written (see Schema),
// unlike writers that infer it from the first batch and then break when a
// later batch carries a new field. A dataset's carried-through columns
// (ExtraRow) follow sieve's.
package shard
