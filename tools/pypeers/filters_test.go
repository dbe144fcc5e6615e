package pypeers

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/sieve-data/sieve/filter"
	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/langid"
	"github.com/sieve-data/sieve/pipeline"
	"github.com/sieve-data/sieve/shard"
)

// extraWARCs adds WARC files or folders (comma-separated) to the
// differential's inputs: bench/peers passes its corpus for the full run.
var (
	extraWARCs = flag.String("peers.warcs", "", "more WARC files or folders for TestDatatroveFilterDifferential (comma-separated)")
	diffReport = flag.String("peers.report", "", "write the differential's summary JSON here")
	diffDocs   = flag.String("peers.docs", "", "write the differential's input documents (JSONL) here")
)

// diffDoc is one line of the differential's input: a real extracted text
// and sieve's decision per filter ("" keeps, else the drop reason).
type diffDoc struct {
	ID      string             `json:"id"`
	Source  string             `json:"source"`
	URL     string             `json:"url"`
	Text    string             `json:"text"`
	Sieve   map[string]string  `json:"sieve"`
	Signals map[string]float64 `json:"signals"`
}

// TestDatatroveFilterDifferential gives datatrove's filter classes and
// sieve's, each with its defaults (datatrove's), the same real English
// texts: the readability pages' expected text and the HTML pages of the
// shared WARC files and the sample as sieve extracts them. Each filter
// sees every document on its own (not after the filters before it).
// datatrove_filters.py reports, per filter, the share of documents where
// keep/drop and the reason agree, and traces each difference to a
// departure documented in filter/doc.go by re-running datatrove on the
// text as the departure describes it; a difference it cannot trace fails
// the test.
func TestDatatroveFilterDifferential(t *testing.T) {
	py := venvPython(t)
	html := testdata.Shared(t, "html")
	warcs := testdata.Shared(t, "warc")
	root := testdata.RepoRoot(t)
	inputs := []string{warcs, filepath.Join(root, "testdata", "sample")}
	if *extraWARCs != "" {
		inputs = append(inputs, strings.Split(*extraWARCs, ",")...)
	}

	det, err := langid.NewStep(langid.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var docs []*pipeline.Document
	src := map[*pipeline.Document]string{}
	for _, d := range readabilityDocs(t, html) {
		det.Process(d, nil)
		src[d] = "readability"
		docs = append(docs, d)
	}
	for _, d := range extractedDocs(t, inputs) {
		src[d] = "warc"
		docs = append(docs, d)
	}

	lists := filepath.Join(testdata.Shared(t, "datatrove-filters"), "lists")
	steps := differentialSteps(t, lists)
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	if *diffDocs != "" {
		in = *diffDocs
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	n := 0
	for _, d := range docs {
		if d.Language != "en" || strings.TrimSpace(d.Text) == "" {
			continue // datatrove's filters default to English (spaCy's blank English tokenizer)
		}
		dd := diffDoc{ID: d.ID, Source: src[d], URL: d.URL, Text: d.Text, Sieve: map[string]string{}, Signals: map[string]float64{}}
		for _, s := range steps {
			c := &pipeline.Document{ID: d.ID, URL: d.URL, Text: d.Text, Language: "en", TokenCount: -1}
			o := s.Process(c, nil)
			dd.Sieve[s.Name()] = o.Reason
			for k, v := range c.Signals {
				dd.Signals[k] = v
			}
		}
		if err := enc.Encode(dd); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d English documents for the differential", n)
	}
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runPython(t, py, "datatrove_filters.py", nil, in, lists)
	var sum struct {
		Docs    int `json:"docs"`
		Filters map[string]struct {
			Agree     int            `json:"agree"`
			Share     float64        `json:"share"`
			Traced    map[string]int `json:"traced"`
			Untraced  int            `json:"untraced"`
			Examples  []string       `json:"untraced_examples"`
			SieveDrop int            `json:"sieve_drops"`
			DTDrop    int            `json:"datatrove_drops"`
		} `json:"filters"`
	}
	if err := json.Unmarshal(out, &sum); err != nil {
		t.Fatalf("datatrove_filters.py output: %v\n%s", err, out)
	}
	if *diffReport != "" {
		if err := os.WriteFile(*diffReport, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	names := make([]string, 0, len(sum.Filters))
	for k := range sum.Filters {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) != len(steps) {
		t.Errorf("datatrove_filters.py compared %v, sieve ran %d filters", names, len(steps))
	}
	for _, k := range names {
		f := sum.Filters[k]
		t.Logf("%-18s %d/%d agree (%.1f%%); drops sieve %d, datatrove %d; traced %v; untraced %d",
			k, f.Agree, sum.Docs, 100*f.Share, f.SieveDrop, f.DTDrop, f.Traced, f.Untraced)
		if f.Untraced > 0 {
			t.Errorf("%s: %d differences not traced to a documented departure, e.g.:\n%s", k, f.Untraced, strings.Join(f.Examples, "\n"))
		}
	}
}

// differentialSteps builds sieve's filters with their defaults, which are
// datatrove's (c4_quality with datatrove's own default: the
// terminal-punctuation rule on). The URL filter gets datatrove's word
// lists (lists), as datatrove's side does; neither gets a domain list.
func differentialSteps(t *testing.T, lists string) []pipeline.Step {
	t.Helper()
	gr, err := filter.NewGopherRepetition(filter.DefaultGopherRepetitionConfig())
	must(t, err)
	gq, err := filter.NewGopherQuality(filter.DefaultGopherQualityConfig())
	must(t, err)
	c4, err := filter.NewC4Quality(filter.DefaultC4QualityConfig())
	must(t, err)
	fw, err := filter.NewFineWebQuality(filter.DefaultFineWebQualityConfig())
	must(t, err)
	ucfg := filter.DefaultURLFilterConfig()
	ucfg.BannedWordsFiles = []string{filepath.Join(lists, "banned_words.txt")}
	ucfg.BannedSubwordFiles = []string{filepath.Join(lists, "banned_subwords.txt")}
	ucfg.SoftBannedFiles = []string{filepath.Join(lists, "soft_banned_words.txt")}
	uf, err := filter.NewURLFilter(ucfg)
	must(t, err)
	return []pipeline.Step{gr, gq, c4, fw, uf}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// readabilityDocs turns each readability page's expected.html into text
// as trafilatura lays it out (one block a line), the layout FineWeb's
// thresholds were tuned on.
func readabilityDocs(t *testing.T, dir string) []*pipeline.Document {
	t.Helper()
	pages, err := filepath.Glob(filepath.Join(dir, "*", "expected.html"))
	if err != nil {
		t.Fatal(err)
	}
	var docs []*pipeline.Document
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(filepath.Dir(p))
		docs = append(docs, &pipeline.Document{ID: "readability/" + name, URL: "https://" + name + ".example.com/article",
			Text: blocksText(b), TokenCount: -1})
	}
	return docs
}

var blockTags = map[string]bool{"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
	"h6": true, "li": true, "ul": true, "ol": true, "table": true, "tr": true, "blockquote": true, "pre": true,
	"section": true, "article": true, "figure": true, "figcaption": true, "dd": true, "dt": true, "br": true}

func blocksText(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	var blocks []string
	var cur strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(cur.String()), " "); s != "" {
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
			return strings.Join(blocks, "\n")
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
			if blockTags[n] {
				flush()
			}
		}
	}
}

// extractedDocs runs `sieve run` with extract and langid only over the
// WARC inputs and returns the documents of its shards.
func extractedDocs(t *testing.T, inputs []string) []*pipeline.Document {
	t.Helper()
	bin := buildSieve(t)
	dir := t.TempDir()
	pipe := filepath.Join(dir, "extract-langid.yaml")
	if err := os.WriteFile(pipe, []byte("name: extract-langid\nsteps:\n  - extract: {}\n  - langid: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cmd := exec.Command(bin, append([]string{"run", "--allow-damaged", "--pipeline", pipe, "-o", out}, inputs...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sieve run: %v\n%s", err, b)
	}
	shards, _ := filepath.Glob(filepath.Join(out, "shards", "*.arrow"))
	sort.Strings(shards)
	var docs []*pipeline.Document
	for _, s := range shards {
		ds, err := shard.ReadDocuments(s)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ds {
			docs = append(docs, &ds[i])
		}
	}
	return docs
}
