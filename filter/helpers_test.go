package filter

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/pipeline"
)

// realPageLang maps shared test pages to their language (from the
// testdata SOURCES.md script check).
var realPageLang = map[string]string{
	"aktualne": "cs", "heise": "de", "lemonde-1": "fr", "liberation-1": "fr",
	"la-nacion": "es", "nytimes-5": "es", "folha": "pt", "gmw": "zh", "qq": "zh", "youth": "zh",
	"pixnet": "zh", "hukumusume": "ja", "yahoo-4": "ja",
	"bbc-1": "en", "guardian-1": "en", "nytimes-1": "en", "nytimes-2": "en", "wikipedia": "en",
	"ars-1": "en", "medium-1": "en", "lwn-1": "en", "mozilla-1": "en", "ietf-1": "en", "cnn": "en",
	"buzzfeed-1": "en", "herald-sun-1": "en", "engadget": "en", "daringfireball-1": "en",
}

// pageText turns a readability expected.html into sieve-style text: block
// elements become blank-line separated blocks, <br> a line break.
func pageText(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata.Shared(t, "html"), name, "expected.html"))
	if err != nil {
		t.Fatal(err)
	}
	return htmlToText(b)
}

var blockTags = map[string]bool{"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
	"h6": true, "li": true, "ul": true, "ol": true, "table": true, "tr": true, "blockquote": true, "pre": true,
	"section": true, "article": true, "figure": true, "figcaption": true, "dd": true, "dt": true}

func htmlToText(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	var blocks []string
	var cur strings.Builder
	flush := func() {
		s := strings.Join(strings.Fields(cur.String()), " ")
		if s != "" {
			blocks = append(blocks, s)
		}
		cur.Reset()
	}
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return strings.Join(blocks, "\n\n")
		case html.TextToken:
			if skip == 0 {
				cur.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			n := string(name)
			if n == "script" || n == "style" {
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			}
			if blockTags[n] || n == "br" {
				flush()
			}
		}
	}
}

// langSentences returns the first n labelled sentences of a language from
// the shared langid data, one a line.
func langSentences(t testing.TB, lang string, n int) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata.Shared(t, "langid"), "sentences", lang+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return lines
}

type decider interface {
	pipeline.Step
	Decide(map[string]float64, string) pipeline.Outcome
}

// allSteps builds every heuristic with its defaults.
func allSteps(t testing.TB) []decider {
	t.Helper()
	gq, err := NewGopherQuality(DefaultGopherQualityConfig())
	must(t, err)
	gr, err := NewGopherRepetition(DefaultGopherRepetitionConfig())
	must(t, err)
	fw, err := NewFineWebQuality(DefaultFineWebQualityConfig())
	must(t, err)
	bw, err := NewC4BadWords(DefaultC4BadWordsConfig())
	must(t, err)
	ln, err := NewLength(LengthConfig{MinWords: 10})
	must(t, err)
	return []decider{gq, gr, fw, bw, ln}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func doc(text, lang string) *pipeline.Document {
	return &pipeline.Document{ID: "test", Text: text, Language: lang, TokenCount: -1, URL: "https://www.example.com/a"}
}

type pipelineMetrics struct{ pipeline.Metrics }
