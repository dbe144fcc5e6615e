// Package ingest turns input files into pipeline.Documents, one Reader per
// file. The WARC reader (Source) keeps HTML responses with HTTP status 200
// (and Common Crawl WET conversion records), undoes chunked transfer and
// content encodings, and counts every record it skips by reason, so a run
// can say what happened to each record of its input.
//
// The dataset readers (OpenTable: JSONL, Parquet, Arrow IPC) read text
// that was extracted already, as datatrove's JsonlReader and ParquetReader
// do: columns map to Document fields by name (text, id, url, date, ...,
// datatrove's defaults "text" and "id"; TableOptions.Fields renames), a
// missing id becomes "<file>/<row>" as in datatrove, and every other
// column is carried through to the output unchanged (shard.ExtraRow).
// Memory is bounded by a batch: Parquet is read row group by row group in
// batches of 1,024 rows, JSONL 1,024 lines (at most 32 MiB) at a time, a
// line at most 64 MiB. A row without text is skipped and counted
// ("no_text"); a malformed JSONL line is counted ("malformed_json") and
// reported as damage with its line number and byte offset; a Parquet or
// Arrow batch that cannot be decoded is reported with the row it starts
// at, and the file's remaining rows are given up (the other files go on).
//
// Departures from datatrove: a JSONL line's "metadata" object is flattened
// into its top-level keys for mapping (datatrove's reader merges the other
// keys into metadata; the effect on the Document is the same); the keys
// carried through are those of the first 1,000 lines of a run's first
// file, a key first met later is counted ("field_not_carried").
package ingest
