package stats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sieve-data/sieve/ingest/warc"
	"github.com/sieve-data/sieve/pipeline"
)

// lengthFilter and scriptFilter are two small real steps, so that the
// collector sees a chain's own metrics and drops.
type lengthFilter struct{ min int }

func (lengthFilter) Name() string { return "min_length" }
func (f lengthFilter) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	if utf8.RuneCountInString(d.Text) < f.min {
		return pipeline.DropFor("too_short")
	}
	return pipeline.Keep
}

type languageFilter struct{ drop map[string]bool }

func (languageFilter) Name() string { return "language_filter" }
func (f languageFilter) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	if f.drop[d.Language] {
		return pipeline.DropFor("language_" + d.Language)
	}
	return pipeline.Keep
}

func testSteps() []pipeline.Step {
	return []pipeline.Step{lengthFilter{min: 300}, languageFilter{drop: map[string]bool{"la": true, "eo": true}}}
}

// collect runs docs through the test chain into a new collector.
func collect(cfg Config, docs []pipeline.Document) *Collector {
	c := NewCollector(cfg)
	steps := testSteps()
	chain := pipeline.NewChain(steps)
	chain.OnDrop = c.ObserveDropped
	for i := range docs {
		d := docs[i]
		if chain.Process(&d) {
			c.ObservePassed(&d)
			c.ObserveKept(&d)
		}
	}
	c.AddSteps([]string{"min_length", "language_filter"}, chain.Metrics)
	return c
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKeptCountsAreExact(t *testing.T) {
	docs := realDocs(t)
	c := collect(DefaultConfig(), docs)
	want := map[string]*LanguageStats{}
	var kept int64
	for i := range docs {
		d := &docs[i]
		if utf8.RuneCountInString(d.Text) < 300 || d.Language == "la" || d.Language == "eo" {
			continue
		}
		kept++
		w := want[d.Language]
		if w == nil {
			w = &LanguageStats{}
			want[d.Language] = w
		}
		w.Docs++
		w.Chars += int64(utf8.RuneCountInString(d.Text))
		w.Bytes += int64(len(d.Text))
		w.Words += int64(len(strings.Fields(d.Text)))
		if d.TokenCount >= 0 {
			w.Tokens += d.TokenCount
			w.TokenDocs++
		}
	}
	if c.Kept.Docs != kept || c.Domains.Total() != kept || c.TLDs.Total() != kept {
		t.Fatalf("kept %d, domains %d, tlds %d; want %d", c.Kept.Docs, c.Domains.Total(), c.TLDs.Total(), kept)
	}
	if len(c.Languages) != len(want) {
		t.Fatalf("%d languages, want %d", len(c.Languages), len(want))
	}
	for lang, w := range want {
		g := c.Languages[lang]
		if g.Docs != w.Docs || g.Chars != w.Chars || g.Bytes != w.Bytes || g.Words != w.Words || g.Tokens != w.Tokens || g.TokenDocs != w.TokenDocs {
			t.Errorf("%s: got %+v, want %+v", lang, *g, *w)
		}
		if g.CharHist.Total() != w.Docs || g.WordHist.Total() != w.Docs {
			t.Errorf("%s: histograms hold %d/%d documents, want %d", lang, g.CharHist.Total(), g.WordHist.Total(), w.Docs)
		}
		if s := g.MeanScore(); s < 0.5 || s > 1 {
			t.Errorf("%s: mean score %v out of [0.5, 1]", lang, s)
		}
	}
	// Burmese and Hindi cost several times the tokens of English per character.
	en, my, hi := c.Languages["en"], c.Languages["my"], c.Languages["hi"]
	if en == nil || hi == nil {
		t.Fatal("en or hi missing")
	}
	if r := hi.TokensPer1000Chars() / en.TokensPer1000Chars(); r < 2 {
		t.Errorf("hi/en tokens per 1000 chars = %.2f, want > 2", r)
	}
	if my != nil && my.TokensPer1000Chars() < 2*en.TokensPer1000Chars() {
		t.Errorf("my: %.1f tokens/1k chars, en %.1f", my.TokensPer1000Chars(), en.TokensPer1000Chars())
	}
	// The chain's counts and the collector's drops agree.
	var dropped int64
	for _, d := range c.Drops {
		dropped += d.Docs
	}
	if dropped+kept != int64(len(docs)) {
		t.Fatalf("dropped %d + kept %d != %d documents", dropped, kept, len(docs))
	}
	if c.Steps[0].In != int64(len(docs)) || c.Steps[1].Out != kept {
		t.Fatalf("steps: %+v", c.Steps)
	}
	if d := c.Drops["language_filter: language_la"]; d == nil || len(d.Examples) != 3 || !strings.HasPrefix(d.Examples[0].ID, "la-") {
		t.Fatalf("language_la drop examples: %+v", d)
	}
}

// TestMergeIsExactUnderAnySplit: the documents split into random parts,
// each counted by its own collector, saved and loaded, then merged in a
// random order, give exactly the single collector's JSON.
func TestMergeIsExactUnderAnySplit(t *testing.T) {
	docs := realDocs(t)
	single := collect(DefaultConfig(), docs)
	zeroTimes(single)
	want := mustJSON(t, single)
	rng := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	for trial := 0; trial < 3; trial++ {
		parts := 2 + rng.IntN(6)
		split := make([][]pipeline.Document, parts)
		for i := range docs {
			p := rng.IntN(parts)
			split[p] = append(split[p], docs[i])
		}
		cols := make([]*Collector, parts)
		for i := range split {
			c := collect(DefaultConfig(), split[i])
			path := filepath.Join(dir, "stats-"+itoa(int64(i))+".json")
			if err := c.Save(path); err != nil {
				t.Fatal(err)
			}
			if cols[i], _ = Load(path); cols[i] == nil {
				t.Fatal("load failed")
			}
		}
		rng.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
		total := NewCollector(DefaultConfig())
		for _, c := range cols {
			total.Merge(c)
		}
		zeroTimes(total)
		got := mustJSON(t, total)
		if !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Fatalf("trial %d (%d parts): merged stats differ from the single collector's at byte %d\n got %.300s\nwant %.300s", trial, parts, i, got[max(0, i-100):], want[max(0, i-100):])
		}
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	c := collect(DefaultConfig(), realDocs(t))
	c.AddFile(FileStats{Path: "a.warc.gz", CompressedBytes: 100, UncompressedBytes: 400, Records: 7, HTMLResponses: 3, RecordsByType: map[string]int64{"response": 3},
		Skipped: map[string]int64{"not_html": 2}, DamagedCount: 1, Damaged: []warc.Damage{{Offset: 12, Msg: "bad gzip"}}})
	c.AddDedup(DedupStats{DocsIn: 10, Removed: map[string]int64{"exact": 2}, ClusterSizes: map[int64]int64{1: 6, 2: 2}})
	c.SetRun(RunInfo{Pipeline: "fineweb", Inputs: 1, InputBytes: 100, Workers: 2, ElapsedSecs: 1.5, Documents: 8})
	path := filepath.Join(t.TempDir(), "stats.json")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	l, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := mustJSON(t, c), mustJSON(t, l); !bytes.Equal(a, b) {
		t.Fatal("stats.json does not round-trip")
	}
	l.AddFile(FileStats{Path: "b.warc.gz", CompressedBytes: 10, UncompressedBytes: 40, Records: 2, HTMLResponses: 1, DamagedCount: 2})
	in := l.InputTotals()
	if in.Records != 9 || in.HTMLResponses != 4 || in.CompressedBytes != 110 || in.UncompressedBytes != 440 || l.DamagedCount() != 3 {
		t.Fatalf("totals %+v, DamagedCount %d", in, l.DamagedCount())
	}
}

// TestFileStatsJSON pins a file's entry in stats.json: the readers fill
// the same FileStats (and warc.Damage) that is saved, so a renamed field
// or a lost tag there would change stats.json for every run.
func TestFileStatsJSON(t *testing.T) {
	c := NewCollector(DefaultConfig())
	c.AddFile(FileStats{Path: "a.warc.gz", CompressedBytes: 100, UncompressedBytes: 400, Records: 7, HTMLResponses: 3,
		RecordsByType: map[string]int64{"response": 3}, Documents: 2, Skipped: map[string]int64{"not_html": 2},
		DamagedCount: 1, Damaged: []warc.Damage{{Offset: 12, Msg: "bad gzip"}}})
	c.AddFile(FileStats{Path: "b.jsonl", RecordsByType: map[string]int64{}, Skipped: map[string]int64{}})
	got, err := json.Marshal(c.Files)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"path":"a.warc.gz","compressed_bytes":100,"uncompressed_bytes":400,"records":7,"records_by_type":{"response":3},` +
		`"html_responses":3,"documents":2,"skipped":{"not_html":2},"damaged_count":1,"damaged":[{"offset":12,"msg":"bad gzip"}]},` +
		`{"path":"b.jsonl","compressed_bytes":0,"uncompressed_bytes":0,"records":0,"html_responses":0,"documents":0,"damaged_count":0}]`
	if string(got) != want {
		t.Errorf("files in stats.json:\n got %s\nwant %s", got, want)
	}
}

func TestLoadRejectsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"empty.json": "", "array.json": "[1,2]", "other.json": `{"a":1}`, "future.json": `{"format": 99}`} {
		p := filepath.Join(dir, name)
		if err := writeAtomic(p, []byte(content)); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(p); err == nil {
			t.Errorf("%s: loaded without error", name)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file: no error")
	}
}

// TestTopKGuarantees checks the space-saving bounds with a small K on the
// real URLs' domains, under a single stream and under merges.
func TestTopKGuarantees(t *testing.T) {
	docs := realDocs(t)
	cfg := DefaultConfig()
	cfg.TopKDomains = 8
	// Skew the stream so there are heavy hitters: document i of the first
	// half goes to a few domains.
	truth := map[string]int64{}
	var parts [3]*Collector
	for i := range parts {
		parts[i] = NewCollector(cfg)
	}
	single := NewCollector(cfg)
	for i := range docs {
		d := docs[i]
		if i%3 == 0 {
			d.Domain = []string{"wikipedia.org", "commoncrawl.org", "archive.org"}[i%9/3]
		}
		truth[domainOf(&d)]++
		single.ObserveKept(&d)
		parts[i%3].ObserveKept(&d)
	}
	merged := NewCollector(cfg)
	for _, p := range parts {
		merged.Merge(p)
	}
	n := int64(len(docs))
	for name, c := range map[string]*Collector{"single": single, "merged": merged} {
		tk := c.Domains
		if tk.Total() != n {
			t.Fatalf("%s: total %d, want %d", name, tk.Total(), n)
		}
		listed := map[string]bool{}
		for _, e := range tk.Entries() {
			listed[e.Key] = true
			if f := truth[e.Key]; f > e.Docs || f < e.Docs-e.Err {
				t.Errorf("%s: %s true %d not in [%d, %d]", name, e.Key, f, e.Docs-e.Err, e.Docs)
			}
		}
		for k, f := range truth {
			if !listed[k] && f > tk.Bound() {
				t.Errorf("%s: untracked %s has %d > bound %d", name, k, f, tk.Bound())
			}
			if f > n/int64(cfg.TopKDomains) && !listed[k] {
				t.Errorf("%s: heavy hitter %s (%d) not tracked", name, k, f)
			}
		}
		if len(tk.Entries()) != cfg.TopKDomains || tk.Exact() {
			t.Errorf("%s: %d entries, exact %v", name, len(tk.Entries()), tk.Exact())
		}
	}
}

func TestTLDs(t *testing.T) {
	for _, c := range []struct{ host, want string }{
		{"www.bbc.co.uk", "uk"}, {"an.wikipedia.org", "org"}, {"127.0.0.1", "(ip)"}, {"[::1]", "(ip)"},
		{"example.com.", "com"}, {"", "(none)"}, {"localhost", "localhost"},
	} {
		if got := tldOf(&pipeline.Document{Host: c.host}); got != c.want {
			t.Errorf("tldOf(%q) = %q, want %q", c.host, got, c.want)
		}
	}
}

func TestCountWordsAndSnippet(t *testing.T) {
	if n := countWords("  Hello,\tworld\n\nagain\u00a0x "); n != 4 {
		t.Errorf("countWords = %d, want 4", n)
	}
	if s := snippet("a\n\n b   c", 10); s != "a b c" {
		t.Errorf("snippet = %q", s)
	}
	if s := snippet(strings.Repeat("é", 50), 10); s != strings.Repeat("é", 10)+"…" {
		t.Errorf("snippet = %q", s)
	}
}

func TestHistogramBuckets(t *testing.T) {
	h := newHistogram()
	for _, v := range []int64{0, 10, 11, 100000, 100001} {
		h.Add(v)
	}
	last := len(LengthBounds)
	if h.Counts[0] != 2 || h.Counts[1] != 1 || h.Counts[last-1] != 1 || h.Counts[last] != 1 {
		t.Fatalf("counts %v", h.Counts)
	}
}

// zeroTimes clears the steps' measured time, the one counter that is not
// a function of the input.
func zeroTimes(c *Collector) {
	for i := range c.Steps {
		c.Steps[i].Nanos = 0
	}
}

func TestObserveClusterSize(t *testing.T) {
	c := NewCollector(DefaultConfig())
	for _, s := range []int64{1, 1, 3, 2, 3, 0, -1} {
		c.ObserveClusterSize(s)
	}
	c.AddDedup(DedupStats{DocsIn: 9, Removed: map[string]int64{"exact": 1, "minhash": 2}})
	r := BuildReport(c, nil)
	want := []SizeRow{{1, 2}, {2, 1}, {3, 2}}
	if fmt.Sprint(r.Dedup.Clusters) != fmt.Sprint(want) {
		t.Fatalf("clusters %v, want %v", r.Dedup.Clusters, want)
	}
	if f := r.Funnel[len(r.Funnel)-1]; f.Step != "dedup" || f.In != 9 || f.Out != 6 {
		t.Fatalf("dedup funnel row %+v", f)
	}
}

// TestTimeRows: the phases outside the steps and the steps, in run order,
// with shares of their sum; merged task stats add their times.
func TestTimeRows(t *testing.T) {
	c := NewCollector(DefaultConfig())
	c.AddSteps([]string{"extract", "langid"}, []pipeline.Metrics{{In: 1, Nanos: 3e9}, {In: 1, Nanos: 1e9}})
	c.Time = TimeSplit{StartupSecs: 1, ReadSecs: 2, WriteSecs: 1, DedupSecs: 1, StatsSecs: 1}
	o := NewCollector(DefaultConfig())
	o.Time = TimeSplit{ReadSecs: 2}
	c.Merge(o)
	rows := c.TimeRows()
	var names []string
	var sum float64
	for _, r := range rows {
		names = append(names, strings.SplitN(r.What, " ", 2)[0])
		sum += r.Share
	}
	if got := strings.Join(names, ","); got != "start-up,reading,extract,langid,writing,dedup,statistics" {
		t.Fatalf("rows %s", got)
	}
	if rows[1].Seconds != 4 || !rows[2].Step || rows[1].Step || math.Abs(rows[2].Share-0.25) > 1e-9 || math.Abs(sum-1) > 1e-9 {
		t.Fatalf("rows %+v", rows)
	}
	if NewCollector(DefaultConfig()).TimeRows() != nil {
		t.Fatal("rows without any time")
	}
}
