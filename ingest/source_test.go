package ingest

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/pipeline"
	"github.com/sieve-data/sieve/stats"
)

func readDocs(t testing.TB, s *Source) []*pipeline.Document {
	t.Helper()
	var docs []*pipeline.Document
	for {
		d, err := s.Next()
		if err == io.EOF {
			return docs
		}
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
}

func openDocs(t testing.TB, path string) ([]*pipeline.Document, *stats.FileStats) {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs := readDocs(t, s)
	return docs, s.Stats()
}

// checkBalance: every record is either a document or skipped for a reason.
func checkBalance(t testing.TB, st *stats.FileStats) {
	t.Helper()
	n := st.Documents
	for _, v := range st.Skipped {
		n += v
	}
	if n != st.Records {
		t.Errorf("%s: %d documents + skipped != %d records (%v)", st.Path, st.Documents, st.Records, st.Skipped)
	}
}

// TestHTMLResponseCounts: on every well-formed shared WARC, the number of
// HTML responses seen equals the count of SOURCES.md.
func TestHTMLResponseCounts(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	rows := testdata.WARCSources(t, dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc*"))
	total := 0
	for _, path := range files {
		name := filepath.Base(path)
		docs, st := openDocs(t, path)
		row := rows[name]
		if st.HTMLResponses != int64(row.HTML) {
			t.Errorf("%s: %d HTML responses, SOURCES.md says %d", name, st.HTMLResponses, row.HTML)
		}
		if st.Records != int64(row.Records) {
			t.Errorf("%s: %d records, SOURCES.md says %d", name, st.Records, row.Records)
		}
		if st.DamagedCount != 0 {
			t.Errorf("%s: damage %v", name, st.Damaged)
		}
		if st.CompressedBytes != fileSize(t, path) {
			t.Errorf("%s: read %d bytes of %d", name, st.CompressedBytes, fileSize(t, path))
		}
		checkBalance(t, st)
		for _, d := range docs {
			if d.ID == "" || d.WARCFilename != name || d.TokenCount != -1 || (d.HTML == nil) == (d.Text == "") {
				t.Errorf("%s: bad document %+v", name, d)
			}
		}
		total += len(docs)
	}
	if total < 150 {
		t.Errorf("only %d documents from all shared files", total)
	}
}

func fileSize(t testing.TB, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func TestWhirlwindDocument(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	docs, st := openDocs(t, filepath.Join(dir, "commoncrawl-whirlwind__whirlwind.warc.gz"))
	if len(docs) != 1 {
		t.Fatalf("%d documents, want 1 (%v)", len(docs), st.Skipped)
	}
	d := docs[0]
	want := pipeline.Document{
		URL: "https://an.wikipedia.org/wiki/Escopete", Host: "an.wikipedia.org", Domain: "wikipedia.org",
		WARCFilename: "commoncrawl-whirlwind__whirlwind.warc.gz",
	}
	if d.URL != want.URL || d.Host != want.Host || d.Domain != want.Domain || d.WARCFilename != want.WARCFilename {
		t.Errorf("got %s %s %s %s", d.URL, d.Host, d.Domain, d.WARCFilename)
	}
	if !strings.HasPrefix(d.ID, "urn:uuid:") || d.ID != d.WARCRecordID {
		t.Errorf("ID %q, record id %q", d.ID, d.WARCRecordID)
	}
	if !d.Date.Equal(time.Date(2024, 5, 18, 1, 58, 10, 0, time.UTC)) {
		t.Errorf("date %v", d.Date)
	}
	if !bytes.Contains(d.HTML, []byte("<title>Escopete - Biquipedia")) || !strings.Contains(d.ContentType, "text/html") {
		t.Errorf("HTML %.100q, content type %q", d.HTML, d.ContentType)
	}
	if st.Skipped["type_request"] != 1 || st.Skipped["type_metadata"] != 1 || st.Skipped["type_warcinfo"] != 1 {
		t.Errorf("skipped %v", st.Skipped)
	}

	// The WET twin gives the conversion text, no HTML.
	docs, _ = openDocs(t, filepath.Join(dir, "commoncrawl-whirlwind__whirlwind.warc.wet.gz"))
	if len(docs) != 1 || docs[0].HTML != nil || !strings.HasPrefix(docs[0].Text, "Escopete - Biquipedia, a enciclopedia libre\nIr al contenido\n") ||
		docs[0].URL != want.URL || len(docs[0].Text) != 4456 {
		t.Fatalf("WET: %d docs, first %+v", len(docs), docs)
	}
}

func TestPayloadDecoding(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	// Chunked transfer encoding inside the response.
	docs, _ := openDocs(t, filepath.Join(dir, "warcio__example-iana.org-chunked.warc"))
	if len(docs) != 1 || !bytes.HasPrefix(bytes.TrimSpace(docs[0].HTML), []byte("<!doctype html>")) {
		t.Fatalf("chunked: %d docs, %.60q", len(docs), docs[0].HTML)
	}
	// ClueWeb09: LF-only HTTP headers, "Content-Encoding: gzip" on bodies
	// stored decoded, WARC/0.18, an invalid WARC-Date.
	docs, st := openDocs(t, filepath.Join(dir, "resiliparse__clueweb-quirk.warc.gz"))
	if len(docs) != 29 || st.Skipped["content_decoding_error"] != 0 {
		t.Fatalf("clueweb: %d docs, skipped %v", len(docs), st.Skipped)
	}
	for _, d := range docs {
		if !bytes.Contains(d.HTML[:200], []byte("<html>")) || d.Host != "www.uraharajuku.st" || !d.Date.IsZero() {
			t.Fatalf("clueweb doc %s: %.60q %s %v", d.ID, d.HTML, d.Host, d.Date)
		}
	}
	// wget's <...> around the target URI.
	docs, _ = openDocs(t, filepath.Join(dir, "warcio__example-wget-bad-target-uri.warc.gz"))
	if len(docs) != 1 || docs[0].URL != "http://example.com/" || docs[0].Domain != "example.com" {
		t.Fatalf("wget: %+v", docs)
	}
	// A real gzip Content-Encoding (warcio's example.warc has one), checked
	// against the payload digest of the decoded body? No: the digest is over
	// the encoded body; check that the decoded body is HTML instead.
	docs, _ = openDocs(t, filepath.Join(dir, "warcio__example.warc.gz"))
	if len(docs) != 1 || !bytes.Contains(docs[0].HTML, []byte("<title>Example Domain</title>")) {
		t.Fatalf("example.warc.gz: %d docs %.80q", len(docs), docs[0].HTML)
	}
}

func TestEncodings(t *testing.T) {
	html := []byte("<html><body>" + strings.Repeat("héllo wörld ", 200) + "</body></html>")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(html)
	zw.Close()
	out, err := decodeContent(gz.Bytes(), "gzip", 1<<20)
	if err != nil || !bytes.Equal(out, html) {
		t.Fatalf("gzip: %v", err)
	}
	if _, err := decodeContent(gz.Bytes(), "gzip", 100); err != errTooLarge {
		t.Fatalf("gzip over the limit: %v", err)
	}
	if _, err := decodeContent(gz.Bytes()[:50], "gzip", 1<<20); err == nil {
		t.Fatal("cut gzip decoded without error")
	}
	var br, zl, fl bytes.Buffer
	bw := brotli.NewWriter(&br)
	bw.Write(html)
	bw.Close()
	zlw := zlib.NewWriter(&zl)
	zlw.Write(html)
	zlw.Close()
	flw, _ := flate.NewWriter(&fl, flate.DefaultCompression)
	flw.Write(html)
	flw.Close()
	for coding, data := range map[string][]byte{"br": br.Bytes(), "deflate": zl.Bytes(), "Deflate ": fl.Bytes()} {
		if out, err := decodeContent(data, coding, 1<<20); err != nil || !bytes.Equal(out, html) {
			t.Fatalf("%s: %v", coding, err)
		}
		if _, err := decodeContent(data, coding, 100); err != errTooLarge {
			t.Fatalf("%s over the limit: %v", coding, err)
		}
	}
	if _, err := decodeContent(html, "zstd", 1<<20); err == nil {
		t.Fatal("unknown coding accepted")
	}
	chunked := []byte("5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n")
	if out, ok := dechunk(chunked); !ok || string(out) != "hello, world" {
		t.Fatalf("dechunk: %q %v", out, ok)
	}
	if _, ok := dechunk(html); ok {
		t.Fatal("raw HTML dechunked")
	}
}

func TestHostAndDomain(t *testing.T) {
	for _, c := range []struct{ url, host, domain string }{
		{"https://www.BBC.co.uk:443/news", "www.bbc.co.uk", "bbc.co.uk"},
		{"http://user:pw@Example.com./a b", "example.com", "example.com"},
		{"http://93.184.216.34/", "93.184.216.34", "93.184.216.34"},
		{"http://[::1]:8080/x", "::1", "::1"},
		{"http://localhost/", "localhost", "localhost"},
		{"dns:example.com", "", ""},
	} {
		h := hostOf(c.url)
		if h != c.host || registeredDomain(h) != c.domain {
			t.Errorf("%s: %q %q, want %q %q", c.url, h, registeredDomain(h), c.host, c.domain)
		}
	}
}

func TestMalformedSources(t *testing.T) {
	dir := testdata.Shared(t, "warc/malformed")
	for name, want := range map[string]struct {
		docs, damages int
		skip          string
	}{
		"warcio__example-trunc.warc":                      {0, 1, "damaged_record"},
		"resiliparse__clipped.warc.gz":                    {0, 2, "damaged_record"},
		"iagowarc__corrupted-trailing-bytes.warc.gz.open": {30, 1, ""},
		"iagowarc__corrupted-mid-record.warc.gz.open":     {12, 1, ""},
		"iagowarc__empty.warc.gz.open":                    {0, 1, ""},
		"warcio__example-bad.warc.gz.bad":                 {1, 0, "http_redirect"},
		"warcio__example-wrong-chunks.warc.gz":            {1, 0, "type_request"},
		"ccnet__sample.warc.wet.txt":                      {0, 4, "damaged_record"},
	} {
		docs, st := openDocs(t, filepath.Join(dir, name))
		if len(docs) != want.docs || st.DamagedCount != int64(want.damages) || (want.skip != "" && st.Skipped[want.skip] == 0) {
			t.Errorf("%s: %d docs, damages %v, skipped %v; want %d docs, %d damages, a %s skip", name, len(docs), st.Damaged, st.Skipped, want.docs, want.damages, want.skip)
		}
		checkBalance(t, st)
	}
}

// TestConcatenatedWithGarbage: good file, garbage, good file; every intact
// record comes back, and the garbage is one damage at its offset.
func TestConcatenatedWithGarbage(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	for _, pair := range [][2]string{
		{"resiliparse__warcfile.warc.gz", "dolma__sample-0000.warc.gz"},
		{"warcio__example.warc", "cc-ia-web-commons__link-extraction-test.warc"},
	} {
		a, _ := os.ReadFile(filepath.Join(dir, pair[0]))
		b, _ := os.ReadFile(filepath.Join(dir, pair[1]))
		garbage := bytes.Repeat([]byte("garbage \x00\xff\x1f"), 500)
		in := bytes.Join([][]byte{a, garbage, b}, nil)
		s, _ := NewSource(bytes.NewReader(in), "concat", Options{})
		docs := readDocs(t, s)
		st := s.Stats()
		da, sa := openDocs(t, filepath.Join(dir, pair[0]))
		db, sb := openDocs(t, filepath.Join(dir, pair[1]))
		if len(docs) != len(da)+len(db) || st.Records != sa.Records+sb.Records {
			t.Errorf("%v: %d docs / %d records, want %d / %d", pair, len(docs), st.Records, len(da)+len(db), sa.Records+sb.Records)
		}
		if st.DamagedCount != 1 || st.Damaged[0].Offset != int64(len(a)) {
			t.Errorf("%v: damages %v, want one at %d", pair, st.Damaged, len(a))
		}
		// Documents after the garbage carry offsets in the concatenated file.
		last := docs[len(docs)-1]
		if last.SourceOffset != db[len(db)-1].SourceOffset+int64(len(a)+len(garbage)) {
			t.Errorf("%v: last offset %d", pair, last.SourceOffset)
		}
	}
}

// TestCorruptMember: one damaged gzip member in a Common Crawl file loses
// that record only.
func TestCorruptMember(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	in, _ := os.ReadFile(filepath.Join(dir, "resiliparse__warcfile.warc.gz"))
	_, good := openDocs(t, filepath.Join(dir, "resiliparse__warcfile.warc.gz"))
	// Record offsets from a clean read; scribble over the middle of the 3rd
	// response's member.
	s, _ := NewSource(bytes.NewReader(in), "x", Options{})
	docs := readDocs(t, s)
	victim := docs[2].SourceOffset
	bad := bytes.Clone(in)
	for i := victim + 200; i < victim+260; i++ {
		bad[i] ^= 0x5a
	}
	s, _ = NewSource(bytes.NewReader(bad), "x", Options{})
	got := readDocs(t, s)
	st := s.Stats()
	if len(got) != len(docs)-1 || st.Records < good.Records-1 || st.DamagedCount == 0 || st.Damaged[0].Offset != victim {
		t.Fatalf("%d docs (want %d), %d records (want >= %d), damages %v", len(got), len(docs)-1, st.Records, good.Records-1, st.Damaged)
	}
	for _, d := range got {
		if d.SourceOffset == victim {
			t.Fatal("the damaged record came back as a document")
		}
	}
}

// repeatReader yields n bytes of a repeating pattern without holding them.
type repeatReader struct {
	pattern []byte
	n, off  int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.n-r.off)]
	for i := 0; i < len(p); {
		i += copy(p[i:], r.pattern[(r.off+int64(i))%int64(len(r.pattern)):])
	}
	r.off += int64(len(p))
	return len(p), nil
}

func httpRecord(payloadLen int64, extraHTTP string) (head, tail string) {
	httpHead := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + extraHTTP + "\r\n"
	head = fmt.Sprintf("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://big.example.org/\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n%s",
		int64(len(httpHead))+payloadLen, httpHead)
	return head, "\r\n\r\n"
}

func smallRecord() string {
	h, t := httpRecord(int64(len("<html>small</html>")), "")
	return h + "<html>small</html>" + t
}

// allocDuring returns the bytes allocated while f runs.
func allocDuring(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestLargePayloadBoundedMemory: a 100 MB payload is skipped without being
// buffered, and the record after it still comes back.
func TestLargePayloadBoundedMemory(t *testing.T) {
	head, tail := httpRecord(100<<20, "")
	in := io.MultiReader(strings.NewReader(head), &repeatReader{pattern: []byte("<p>big page</p>\n"), n: 100 << 20},
		strings.NewReader(tail+smallRecord()))
	var docs []*pipeline.Document
	var st *stats.FileStats
	alloc := allocDuring(func() {
		s, _ := NewSource(in, "big.warc", Options{})
		docs = readDocs(t, s)
		st = s.Stats()
	})
	if len(docs) != 1 || string(docs[0].HTML) != "<html>small</html>" || st.Skipped["payload_too_large"] != 1 {
		t.Fatalf("%d docs, skipped %v, damage %v", len(docs), st.Skipped, st.Damaged)
	}
	if alloc > 32<<20 {
		t.Fatalf("allocated %d MiB for a 100 MiB payload", alloc>>20)
	}
}

// TestGzipBombs: a bomb as a gzip member of the file, and as a gzip
// Content-Encoding inside a record. Both are skipped with bounded memory,
// and the record after each still comes back.
func TestGzipBombs(t *testing.T) {
	zeros := func(n int64) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		io.Copy(zw, &repeatReader{pattern: make([]byte, 4096), n: n})
		zw.Close()
		return b.Bytes()
	}
	member := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	bomb := zeros(96 << 20) // past the 64 MiB bomb threshold at ~1000x
	t.Logf("bomb: %d bytes -> 96 MiB", len(bomb))

	// 1. A file member that expands 1000x.
	in := bytes.Join([][]byte{member(smallRecord()), bomb, member(smallRecord())}, nil)
	var docs []*pipeline.Document
	var st *stats.FileStats
	alloc := allocDuring(func() {
		s, _ := NewSource(bytes.NewReader(in), "bomb.warc.gz", Options{})
		docs = readDocs(t, s)
		st = s.Stats()
	})
	if len(docs) != 2 || st.DamagedCount == 0 || !strings.Contains(fmt.Sprint(st.Damaged), "gzip bomb") {
		t.Fatalf("file bomb: %d docs, damages %v", len(docs), st.Damaged)
	}
	if alloc > 32<<20 {
		t.Fatalf("file bomb: allocated %d MiB", alloc>>20)
	}

	// 2. Content-Encoding: gzip whose body expands to 96 MiB.
	head, tail := httpRecord(int64(len(bomb)), "Content-Encoding: gzip\r\n")
	in = []byte(head + string(bomb) + tail + smallRecord())
	alloc = allocDuring(func() {
		s, _ := NewSource(bytes.NewReader(in), "bomb2.warc", Options{})
		docs = readDocs(t, s)
		st = s.Stats()
	})
	if len(docs) != 1 || st.Skipped["payload_too_large"] != 1 {
		t.Fatalf("payload bomb: %d docs, skipped %v", len(docs), st.Skipped)
	}
	if alloc > 64<<20 {
		t.Fatalf("payload bomb: allocated %d MiB", alloc>>20)
	}
}

// TestIDFallback: records without WARC-Record-ID get file:offset ids that
// are unique even inside a single gzip stream.
func TestIDFallback(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(smallRecord() + smallRecord()))
	zw.Close()
	s, _ := NewSource(bytes.NewReader(b.Bytes()), "/data/one.warc.gz", Options{})
	docs := readDocs(t, s)
	if len(docs) != 2 || docs[0].ID != "one.warc.gz:0" || !strings.HasPrefix(docs[1].ID, "one.warc.gz:0+") {
		t.Fatalf("ids %q %q", docs[0].ID, docs[1].ID)
	}
}

func TestIsHTML(t *testing.T) {
	for _, c := range []struct {
		http, id string
		want     bool
	}{
		{"text/html; charset=utf-8", "", true},
		{"application/xhtml+xml", "", true},
		{"text/plain", "text/html", true},       // the sniffed type wins
		{"text/html", "application/pdf", false}, // a PDF served as HTML
		{"", "", false},
		{"image/png", "", false},
	} {
		if got := isHTML(c.http, c.id); got != c.want {
			t.Errorf("isHTML(%q, %q) = %v", c.http, c.id, got)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open("/nonexistent/file.warc.gz", Options{}); err == nil {
		t.Fatal("no error for a missing file")
	}
	if _, err := Open(t.TempDir(), Options{}); err == nil {
		t.Fatal("no error for a directory")
	}
	// An empty file opens; its emptiness is a counted damage.
	path := filepath.Join(t.TempDir(), "empty.warc")
	os.WriteFile(path, nil, 0o644)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if docs := readDocs(t, s); len(docs) != 0 || s.Stats().DamagedCount != 1 || s.Stats().Path != path {
		t.Fatalf("%d docs, stats %+v", len(docs), s.Stats())
	}
}

// TestBorrowHTML: with BorrowHTML each document's HTML, read before the
// next call, is the same as the copy made without it, on every shared WARC;
// without it, documents kept across calls keep their HTML.
func TestBorrowHTML(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc*"))
	borrowed := 0
	for _, path := range files {
		var kept []*pipeline.Document
		var copies [][]byte
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for {
			d, err := s.Next()
			if err != nil {
				break
			}
			kept = append(kept, d)
			copies = append(copies, bytes.Clone(d.HTML))
		}
		s.Close()
		b, err := Open(path, Options{BorrowHTML: true})
		if err != nil {
			t.Fatal(err)
		}
		i := 0
		for ; ; i++ {
			d, err := b.Next()
			if err != nil {
				break
			}
			if i >= len(copies) || !bytes.Equal(d.HTML, copies[i]) {
				t.Fatalf("%s: document %d differs when its HTML is borrowed", filepath.Base(path), i)
			}
			borrowed++
		}
		b.Close()
		if i != len(copies) {
			t.Fatalf("%s: %d documents borrowed, %d copied", filepath.Base(path), i, len(copies))
		}
		for i, d := range kept {
			if !bytes.Equal(d.HTML, copies[i]) {
				t.Fatalf("%s: document %d's HTML changed after later reads", filepath.Base(path), i)
			}
		}
	}
	if borrowed < 100 {
		t.Fatalf("only %d documents read", borrowed)
	}
}
