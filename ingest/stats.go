package ingest

import "github.com/sieve-data/sieve/ingest/warc"

// FileStats says what a Source found in one WARC file.
type FileStats struct {
	Path              string           `json:"path"`
	CompressedBytes   int64            `json:"compressed_bytes"`
	UncompressedBytes int64            `json:"uncompressed_bytes"`
	Records           int64            `json:"records"`
	RecordsByType     map[string]int64 `json:"records_by_type"`
	// HTMLResponses counts response records whose HTTP Content-Type
	// contains "html", whatever their status (the count SOURCES.md of the
	// shared test data gives).
	HTMLResponses int64 `json:"html_responses"`
	// Documents counts the documents emitted.
	Documents int64 `json:"documents"`
	// Skipped counts skipped records by reason (type_request,
	// http_redirect, not_html, payload_too_large, ...).
	Skipped map[string]int64 `json:"skipped"`
	// Damaged holds the first damage reports of the reader (at most 100);
	// DamagedCount counts all of them.
	Damaged      []warc.Damage `json:"damaged,omitempty"`
	DamagedCount int64         `json:"damaged_count"`
}

func (s *FileStats) skip(reason string) {
	s.Skipped[reason]++
}
