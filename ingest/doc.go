// Package ingest turns the records of a WARC file into pipeline.Documents:
// it keeps HTML responses with HTTP status 200 (and Common Crawl WET
// conversion records), undoes chunked transfer and content encodings, and
// counts every record it skips by reason, so a run can say what happened to
// each record of its input.
package ingest
