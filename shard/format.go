package shard

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Format is the container a Writer produces. Arrow is sieve's in-memory
// and stage format; the container is chosen per output (writer.format) and
// registered in formats, one entry per format.
type Format string

const (
	// FormatStream is the Arrow IPC streaming format (Hugging Face
	// datasets' .arrow files). Also spelled "arrow".
	FormatStream Format = "stream"
	// FormatFile is the Arrow IPC file format, also called Feather v2
	// (pyarrow.feather, polars.read_ipc, DuckDB). Also spelled "arrow_file".
	FormatFile Format = "file"
	// FormatParquet is Apache Parquet (FineWeb's, DCLM's format; what
	// datasets.load_dataset("parquet"), DuckDB and polars read first).
	FormatParquet Format = "parquet"
	// FormatJSONL is JSON Lines, one document per line with datatrove's
	// and dolma's field names (see jsonl.go).
	FormatJSONL Format = "jsonl"
)

// fileMagic starts (and, padded, ends) every IPC file-format shard; a
// stream starts with a continuation marker (0xFFFFFFFF) instead.
const fileMagic = "ARROW1"

// Compression names accepted by WriterOptions.Compression. Which ones a
// format takes, and its default, is the format's (see formats).
const (
	CompressionNone = ""
	CompressionZstd = "zstd"
	CompressionGzip = "gzip"
)

// container is an open output file of one format: it takes record batches
// of the schema it was opened with.
type container interface {
	Write(arrow.RecordBatch) error
	Close() error
}

// formatSpec is one output format: the compressions it takes (the first
// is its default), the file name suffix for a compression, and how to open
// a container on a file.
type formatSpec struct {
	compressions []string
	suffix       func(compression string) string
	open         func(w io.Writer, schema *arrow.Schema, compression string, o ContainerOptions) (container, error)
}

// ContainerOptions are the knobs of the formats that have any.
type ContainerOptions struct {
	// RowGroupBytes cuts a Parquet row group at about this much Arrow data
	// (default DefaultRowGroupBytes); RowGroupRows at this many rows
	// (default DefaultRowGroupRows). Bounded row groups bound the writer's
	// memory and let readers stream the file.
	RowGroupBytes int64
	RowGroupRows  int64
}

var formats = map[Format]formatSpec{
	FormatStream:  {[]string{CompressionNone, CompressionZstd}, constSuffix(".arrow"), openIPCStream},
	FormatFile:    {[]string{CompressionNone, CompressionZstd}, constSuffix(".arrow"), openIPCFile},
	FormatParquet: {[]string{CompressionZstd, "none", "snappy", CompressionGzip}, constSuffix(".parquet"), openParquet},
	FormatJSONL:   {[]string{CompressionGzip, CompressionZstd, "none"}, jsonlSuffix, openJSONL},
}

func constSuffix(s string) func(string) string { return func(string) string { return s } }

// Formats lists the writer formats, with their other spellings.
func Formats() []string {
	return []string{"arrow (stream)", "arrow_file (file)", "parquet", "jsonl"}
}

// ParseFormat resolves a writer.format value ("" is the stream format).
func ParseFormat(f string) (Format, error) {
	switch strings.ToLower(f) {
	case "", "arrow", string(FormatStream):
		return FormatStream, nil
	case "arrow_file", string(FormatFile), "feather":
		return FormatFile, nil
	case string(FormatParquet):
		return FormatParquet, nil
	case string(FormatJSONL), "json":
		return FormatJSONL, nil
	}
	return "", fmt.Errorf("shard: unknown format %q (want one of %v)", f, Formats())
}

func parseFormat(f Format) (Format, error) { return ParseFormat(string(f)) }

// ParseCompression checks a compression against a format and returns it
// normalised: "" becomes the format's default.
func ParseCompression(f Format, c string) (string, error) {
	spec, ok := formats[f]
	if !ok {
		return "", fmt.Errorf("shard: unknown format %q", f)
	}
	c = strings.ToLower(c)
	switch c {
	case "uncompressed":
		c = "none"
	case "zst":
		c = CompressionZstd
	case "gz":
		c = CompressionGzip
	}
	if c == "" {
		return spec.compressions[0], nil
	}
	if c == "none" && slices.Contains(spec.compressions, CompressionNone) {
		return CompressionNone, nil
	}
	if !slices.Contains(spec.compressions, c) {
		return "", fmt.Errorf("shard: format %s takes compression %q (want one of %q)", f, c, spec.compressions)
	}
	return c, nil
}

// Suffix is the file name ending of shards of format f with compression c
// (as ParseCompression returns it): ".arrow", ".parquet", ".jsonl.gz", ...
func Suffix(f Format, c string) string {
	spec, ok := formats[f]
	if !ok {
		return ".arrow"
	}
	return spec.suffix(c)
}

// DataSuffixes are the file endings of every output format, for listing
// the shards under a folder.
var DataSuffixes = []string{".arrow", ".parquet", ".jsonl", ".jsonl.gz", ".jsonl.zst"}
