package shard

import "fmt"

// Format is the Arrow IPC container a Writer produces.
type Format string

const (
	// FormatStream is the IPC streaming format (Hugging Face datasets).
	FormatStream Format = "stream"
	// FormatFile is the IPC file format, also called Feather v2
	// (pyarrow.feather, polars.read_ipc, DuckDB).
	FormatFile Format = "file"
)

// fileMagic starts (and, padded, ends) every IPC file-format shard; a
// stream starts with a continuation marker (0xFFFFFFFF) instead.
const fileMagic = "ARROW1"

// Compression names accepted by WriterOptions.Compression.
const (
	CompressionNone = ""
	CompressionZstd = "zstd"
)

func parseFormat(f Format) (Format, error) {
	switch f {
	case "", FormatStream:
		return FormatStream, nil
	case FormatFile:
		return FormatFile, nil
	}
	return "", fmt.Errorf("shard: unknown format %q (want %q or %q)", f, FormatStream, FormatFile)
}

func parseCompression(c string) (string, error) {
	switch c {
	case CompressionNone, "none", "uncompressed":
		return CompressionNone, nil
	case CompressionZstd:
		return CompressionZstd, nil
	}
	return "", fmt.Errorf("shard: unknown compression %q (want \"\" or %q)", c, CompressionZstd)
}
