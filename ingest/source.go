package ingest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sieve-data/sieve/ingest/warc"
	"github.com/sieve-data/sieve/pipeline"
	"github.com/sieve-data/sieve/stats"
)

// DefaultMaxPayload is the payload size limit when Options.MaxPayload is 0.
// Common Crawl truncates payloads at 1 MiB; 10 MiB leaves room for other
// crawls and keeps memory per worker bounded.
const DefaultMaxPayload = 10 << 20

// Options configure a Source.
type Options struct {
	// MaxPayload is the largest HTTP payload (after transfer and content
	// decoding) that is kept; larger ones are skipped as
	// "payload_too_large" and never buffered whole. 0 means
	// DefaultMaxPayload.
	MaxPayload int64
	// BorrowHTML lets a Document's HTML point into the reader's buffer
	// when the payload is there whole, instead of a copy: it is then
	// valid only until the next call to Next. For a caller done with each
	// document before it asks for the next (sieve's runner: the extract
	// step releases HTML, and shards never hold it); it saves a copy of
	// every page.
	BorrowHTML bool
}

// Source reads the Documents of one WARC file.
type Source struct {
	r      *warc.Reader
	f      *os.File // closed by Close when Open opened it
	name   string   // base name, for Document.WARCFilename and IDs
	max    int64
	borrow bool
	stats  stats.FileStats
	closed bool
}

// Open opens the WARC file at path (compressed or not). The error is only
// for a file that cannot be opened or read at all; damage inside the file
// is counted in Stats.
func Open(path string, opts Options) (*Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	s, err := NewSource(f, path, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	s.f = f
	return s, nil
}

// NewSource reads a WARC file from r; name is its path or name, used for
// Stats, Document.WARCFilename (the base name) and fallback IDs.
func NewSource(r io.Reader, name string, opts Options) (*Source, error) {
	wr, err := warc.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if opts.MaxPayload <= 0 {
		opts.MaxPayload = DefaultMaxPayload
	}
	return &Source{
		r:      wr,
		name:   filepath.Base(name),
		max:    opts.MaxPayload,
		borrow: opts.BorrowHTML,
		stats: stats.FileStats{
			Path:          name,
			RecordsByType: map[string]int64{},
			Skipped:       map[string]int64{},
		},
	}, nil
}

// Next returns the next document, or io.EOF after the last. Skipped and
// damaged records are counted in Stats, not returned as errors; an error
// other than io.EOF means the file could not be read.
func (s *Source) Next() (*pipeline.Document, error) {
	for {
		rec, err := s.r.Next()
		if err != nil {
			s.refreshStats()
			return nil, err
		}
		s.stats.Records++
		typ := knownType(rec.Type())
		s.stats.RecordsByType[typ]++
		var doc *pipeline.Document
		var reason string
		switch typ {
		case "response":
			doc, reason = s.response(rec)
		case "conversion":
			doc, reason = s.conversion(rec)
		default:
			reason = "type_" + typ
		}
		if reason != "" {
			s.stats.Skipped[reason]++
			continue
		}
		s.stats.Documents++
		return doc, nil
	}
}

// knownType maps the WARC-Type to a fixed set of names so that a hostile
// file cannot grow the stats maps without bound.
func knownType(t string) string {
	t = strings.ToLower(t)
	switch t {
	case "warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation":
		return t
	}
	return "other"
}

// response turns an HTTP response record into a document, or says why not.
func (s *Source) response(rec *warc.Record) (*pipeline.Document, string) {
	if !strings.Contains(strings.ToLower(rec.Header.Get("Content-Type")), "application/http") {
		return nil, "not_http"
	}
	block, complete, reason := s.readBlock(rec)
	if reason != "" {
		return nil, reason
	}
	head, ok := parseHTTPHead(block)
	if !ok {
		return nil, "bad_http_header"
	}
	ct := strings.ToLower(head.contentType)
	if strings.Contains(ct, "html") {
		s.stats.HTMLResponses++
	}
	if rec.Truncated {
		return nil, "damaged_record"
	}
	switch {
	case head.status == 200:
	case head.status >= 300 && head.status < 400:
		return nil, "http_redirect"
	case head.status >= 400:
		return nil, "http_error"
	default:
		return nil, "http_other_status"
	}
	if !isHTML(ct, rec.Header.Get("WARC-Identified-Payload-Type")) {
		return nil, "not_html"
	}
	if !complete {
		return nil, "payload_too_large"
	}
	body := block[head.size:]
	if strings.Contains(strings.ToLower(head.transferEncoding), "chunked") {
		if out, ok := dechunk(body); ok {
			body = out
		}
	}
	body, err := decodeContent(body, head.contentEncoding, s.max)
	switch {
	case err == errTooLarge:
		return nil, "payload_too_large"
	case err != nil:
		return nil, "content_decoding_error"
	case int64(len(body)) > s.max:
		return nil, "payload_too_large"
	case len(bytes.TrimSpace(body)) == 0:
		return nil, "empty_payload"
	}
	doc := s.newDocument(rec)
	if _, inWindow := rec.Bytes(); inWindow && !s.borrow && len(body) > 0 && &body[0] == &block[head.size] {
		body = bytes.Clone(body) // the reader reuses its buffer
	}
	doc.HTML = body
	doc.ContentType = head.contentType
	return doc, ""
}

// isHTML decides from the crawler's payload identification when there is
// one (Common Crawl sniffs the bytes, so it catches images and PDFs served
// as text/html), and from the HTTP Content-Type (lower case) otherwise;
// datatrove's WarcReader has the same precedence.
func isHTML(httpType, identified string) bool {
	if id := strings.ToLower(strings.TrimSpace(identified)); id != "" {
		return id == "text/html" || id == "application/xhtml+xml"
	}
	return strings.Contains(httpType, "text/html") || strings.Contains(httpType, "application/xhtml+xml")
}

// readBlock returns the record block, or, for a block larger than the
// payload limit, only its first bytes (enough for the HTTP header) with
// complete=false. It never buffers more than MaxPayload + maxHTTPHead.
func (s *Source) readBlock(rec *warc.Record) (block []byte, complete bool, reason string) {
	if b, ok := rec.Bytes(); ok {
		return b, int64(len(b)) <= s.max+maxHTTPHead, ""
	}
	limit := s.max + maxHTTPHead
	if rec.ContentLength > limit {
		limit = maxHTTPHead // only the header is needed to count and skip it
	}
	b, err := io.ReadAll(io.LimitReader(rec.Block, limit))
	if err != nil {
		return nil, false, "damaged_record"
	}
	return b, int64(len(b)) == rec.ContentLength, ""
}

// conversion turns a WET conversion record (extracted plain text) into a
// document with Text set and no HTML.
func (s *Source) conversion(rec *warc.Record) (*pipeline.Document, string) {
	if rec.Truncated {
		return nil, "damaged_record"
	}
	if rec.ContentLength > s.max {
		return nil, "payload_too_large"
	}
	block, _, reason := s.readBlock(rec)
	if reason != "" {
		return nil, reason
	}
	if len(bytes.TrimSpace(block)) == 0 {
		return nil, "empty_payload"
	}
	doc := s.newDocument(rec)
	doc.Text = string(block)
	doc.ContentType = rec.Header.Get("Content-Type")
	return doc, ""
}

func (s *Source) newDocument(rec *warc.Record) *pipeline.Document {
	id := cleanURI(rec.Header.Get("WARC-Record-ID"))
	url := cleanURI(rec.Header.Get("WARC-Target-URI"))
	host := hostOf(url)
	doc := &pipeline.Document{
		ID:           id,
		URL:          url,
		Host:         host,
		Domain:       registeredDomain(host),
		Date:         parseWARCDate(rec.Header.Get("WARC-Date")),
		WARCRecordID: id,
		WARCFilename: s.name,
		SourceOffset: rec.Offset,
		TokenCount:   -1,
	}
	if doc.ID == "" {
		// Deterministic: the same file gives the same ids on every run.
		doc.ID = fmt.Sprintf("%s:%d", s.name, rec.Offset)
		if rec.InMember > 0 {
			doc.ID = fmt.Sprintf("%s:%d+%d", s.name, rec.Offset, rec.InMember)
		}
	}
	return doc
}

// Stats returns the counts so far (final after Next returned io.EOF).
func (s *Source) Stats() *stats.FileStats {
	s.refreshStats()
	return &s.stats
}

func (s *Source) refreshStats() {
	s.stats.CompressedBytes, s.stats.UncompressedBytes = s.r.BytesRead()
	s.stats.Damaged = s.r.Damages()
	s.stats.DamagedCount = s.r.DamageCount()
}

// Close closes the file when Open opened it.
func (s *Source) Close() error {
	if s.closed || s.f == nil {
		return nil
	}
	s.closed = true
	return s.f.Close()
}
