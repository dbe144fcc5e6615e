package stats

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/publicsuffix"

	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/pipeline"
	"github.com/sieve-data/sieve/tokens"
)

// realURLs returns the distinct WARC-Target-URIs of the shared WARC files
// (real crawl captures: Common Crawl, ClueWeb, wget captures).
func realURLs(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(testdata.Shared(t, "warc"), "*.warc*"))
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = bytes.NewReader(raw)
		if len(raw) > 2 && raw[0] == 0x1f && raw[1] == 0x8b {
			zr, err := gzip.NewReader(r)
			if err != nil {
				continue
			}
			r = zr
		}
		data, _ := io.ReadAll(r) // a damaged tail still gives the URLs before it
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if u, ok := strings.CutPrefix(line, "WARC-Target-URI:"); ok {
				u = strings.Trim(strings.TrimSpace(u), "<>")
				if pu, err := url.Parse(u); err == nil && pu.Hostname() != "" && !seen[u] {
					seen[u] = true
					out = append(out, u)
				}
			}
		}
	}
	sort.Strings(out)
	if len(out) < 50 {
		t.Fatalf("only %d URLs in the shared WARC files", len(out))
	}
	return out
}

var (
	docsOnce sync.Once
	docsAll  []pipeline.Document
)

// realDocs builds documents from real data: texts are runs of 5 labelled
// sentences of the lingua test set (75 languages, 200 documents each),
// URLs and hosts come from the shared WARC files, token counts from the
// tokens package.
func realDocs(t testing.TB) []pipeline.Document {
	t.Helper()
	docsOnce.Do(func() {
		urls := realURLs(t)
		counter, err := tokens.NewCounter(tokens.Cl100kBase)
		if err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(testdata.Shared(t, "langid"), "sentences", "*.txt"))
		sort.Strings(files)
		n := 0
		for _, f := range files {
			lang := strings.TrimSuffix(filepath.Base(f), ".txt")
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			for i := 0; i+5 <= len(lines); i += 5 {
				text := strings.Join(lines[i:i+5], "\n")
				u := urls[n%len(urls)]
				pu, _ := url.Parse(u)
				host := strings.ToLower(pu.Hostname())
				dom, err := publicsuffix.EffectiveTLDPlusOne(host)
				if err != nil {
					dom = host
				}
				d := pipeline.Document{
					ID: lang + "-" + itoa(int64(i)), URL: u, Host: host, Domain: dom,
					Text: text, Language: lang, LanguageScore: float32(50+n%50) / 100,
					TokenCount: -1,
				}
				if n%7 != 0 { // some documents without a token count
					d.TokenCount = int64(counter.Count(text))
				}
				docsAll = append(docsAll, d)
				n++
			}
		}
	})
	if len(docsAll) < 10000 {
		t.Fatalf("only %d documents", len(docsAll))
	}
	return docsAll
}
