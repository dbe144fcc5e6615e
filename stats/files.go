package stats

import "github.com/sieve-data/sieve/ingest/warc"

// FileStats is what reading one input file gave: the readers in ingest
// fill it as they read (one type from reader to stats.json, no copy).
type FileStats struct {
	Path              string           `json:"path"`
	CompressedBytes   int64            `json:"compressed_bytes"`
	UncompressedBytes int64            `json:"uncompressed_bytes"`
	Records           int64            `json:"records"`
	RecordsByType     map[string]int64 `json:"records_by_type,omitempty"`
	// HTMLResponses counts response records whose HTTP Content-Type
	// contains "html", whatever their status (the count SOURCES.md of the
	// shared test data gives).
	HTMLResponses int64 `json:"html_responses"`
	// Documents counts the documents emitted.
	Documents int64 `json:"documents"`
	// Skipped counts records not turned into documents, by reason (for
	// example "type_request", "http_redirect", "not_html", "status_404",
	// "payload_too_large", "truncated").
	Skipped map[string]int64 `json:"skipped,omitempty"`
	// DamagedCount is how many damaged places the reader met (it resynced
	// after each); Damaged holds the first few (the readers keep at most
	// 100, the collector MaxDamagesPerFile). A damaged place is the one
	// type the WARC reader reports (warc.Damage), for every reader.
	DamagedCount int64         `json:"damaged_count"`
	Damaged      []warc.Damage `json:"damaged,omitempty"`
}

func addCounts(dst *map[string]int64, src map[string]int64) {
	for k, v := range src {
		if *dst == nil {
			*dst = make(map[string]int64, len(src))
		}
		(*dst)[k] += v
	}
}

// merge adds o (another part of the same file) into f.
func (f *FileStats) merge(o FileStats, maxDamages int) {
	f.CompressedBytes += o.CompressedBytes
	f.UncompressedBytes += o.UncompressedBytes
	f.Records += o.Records
	f.HTMLResponses += o.HTMLResponses
	f.Documents += o.Documents
	f.DamagedCount += o.DamagedCount
	addCounts(&f.RecordsByType, o.RecordsByType)
	addCounts(&f.Skipped, o.Skipped)
	for _, d := range o.Damaged {
		if len(f.Damaged) < maxDamages {
			f.Damaged = append(f.Damaged, d)
		}
	}
}
