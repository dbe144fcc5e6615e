package shard

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/pipeline"
)

var testSignals = []string{"gopher_word_count", "c4_lines_with_terminal_punct", "fineweb_dup_line_frac"}

// realDocs builds documents from the readability test pages: the expected
// article text (tags stripped) and metadata title, so the shards carry real
// multilingual web text (zh, ja, cs, fr, es, RTL pages). Every third
// document lacks a signal, every fifth has no date or token count.
func realDocs(t testing.TB) []pipeline.Document {
	t.Helper()
	root := testdata.Shared(t, "html")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var docs []pipeline.Document
	for i, e := range dirs {
		if !e.IsDir() {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(root, e.Name(), "expected.html"))
		if err != nil {
			t.Fatal(err)
		}
		var meta struct {
			Title string  `json:"title"`
			Lang  *string `json:"lang"`
		}
		if b, err := os.ReadFile(filepath.Join(root, e.Name(), "expected-metadata.json")); err == nil {
			if err := json.Unmarshal(b, &meta); err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
		}
		lang := "und"
		if meta.Lang != nil {
			lang = strings.ToLower((*meta.Lang)[:min(2, len(*meta.Lang))])
		}
		d := pipeline.Document{
			ID:            fmt.Sprintf("<urn:uuid:%08x-0000-4000-8000-%012x>", i, i*7919),
			URL:           "https://" + e.Name() + ".example.org/article?id=" + fmt.Sprint(i),
			Host:          e.Name() + ".example.org",
			Domain:        "example.org",
			Date:          time.Date(2024, 3, 1+i%28, i%24, i%60, 7, 123456000, time.UTC),
			WARCRecordID:  fmt.Sprintf("urn:uuid:%08x-0000-4000-8000-%012x", i, i*7919),
			WARCFilename:  "CC-MAIN-20240301000000-20240301030000-00042.warc.gz",
			Title:         meta.Title,
			Text:          visibleText(t, raw),
			Language:      lang,
			LanguageScore: float32(i%100) / 100,
			TokenCount:    int64(len(raw) / 4),
		}
		for j, s := range testSignals {
			if (i+j)%3 != 0 {
				d.SetSignal(s, float64(i)*1.5+float64(j))
			}
		}
		if i%5 == 0 {
			d.Date = time.Time{}
			d.TokenCount = -1
		}
		docs = append(docs, d)
	}
	return append(docs, edgeDocs()...)
}

// edgeDocs are the values that break writers: empty strings everywhere,
// no signals at all, special floats, text with NUL, emoji, RTL marks,
// combining characters and a very long line.
func edgeDocs() []pipeline.Document {
	return []pipeline.Document{
		{TokenCount: -1},
		{
			ID: "edge-unicode", URL: "https://xn--bcher-kva.example/ä?q=💡", Host: "xn--bcher-kva.example",
			Title: "עברית \u200f mixed — 日本語 🇯🇵", Text: "e\u0301\u0301 zalgo\x00nul\n\nتجربة 😀👩‍👩‍👧",
			Language: "he", LanguageScore: 1, TokenCount: 0,
			Date:    time.Date(1996, 1, 1, 0, 0, 0, 1000, time.UTC),
			Signals: map[string]float64{"gopher_word_count": math.Inf(1), "fineweb_dup_line_frac": 0, "undeclared": 3},
		},
		{ID: "edge-long", Text: strings.Repeat("a long line without breaks ", 40000), TokenCount: 1 << 40,
			Signals: map[string]float64{"c4_lines_with_terminal_punct": -0.0}},
	}
}

// visibleText strips tags from an HTML fragment, joining text nodes.
func visibleText(t testing.TB, raw []byte) string {
	z := html.NewTokenizer(strings.NewReader(string(raw)))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			b.Write(z.Text())
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "p" || string(name) == "div" {
				b.WriteString("\n\n")
			}
		}
	}
}

// expected is what a shard gives back for d: undeclared signals are not
// written, and a map with no declared signal reads back as nil.
func expected(d pipeline.Document, signals []string) pipeline.Document {
	out := pipeline.Document{
		ID: d.ID, URL: d.URL, Host: d.Host, Domain: d.Domain, Date: d.Date, WARCRecordID: d.WARCRecordID,
		WARCFilename: d.WARCFilename, Title: d.Title, Text: d.Text, Language: d.Language,
		LanguageScore: d.LanguageScore, TokenCount: d.TokenCount,
	}
	for _, s := range signals {
		if v, ok := d.Signals[s]; ok {
			out.SetSignal(s, v)
		}
	}
	return out
}

func sameDoc(t *testing.T, i int, got, want pipeline.Document) {
	t.Helper()
	if !got.Date.Equal(want.Date) {
		t.Errorf("doc %d (%s): date %v, want %v", i, want.ID, got.Date, want.Date)
	}
	got.Date, want.Date = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		t.Errorf("doc %d (%s) differs:\n got %.400s\nwant %.400s", i, want.ID, gj, wj)
	}
}
