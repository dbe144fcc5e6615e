package extract

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/pipeline"
)

var _ pipeline.Step = (*Step)(nil)

func TestStepProcess(t *testing.T) {
	s, err := NewStep(DefaultStepConfig())
	if err != nil {
		t.Fatal(err)
	}
	if s.Name() != "extract" {
		t.Errorf("name %q", s.Name())
	}
	src, err := os.ReadFile(filepath.Join(testdata.Shared(t, "html"), "heise", "source.html"))
	if err != nil {
		t.Fatal(err)
	}
	var m pipeline.Metrics
	d := &pipeline.Document{HTML: src, ContentType: "text/html; charset=utf-8", Analysis: "stale"}
	if o := s.Process(d, &m); o.Drop {
		t.Fatalf("heise dropped: %v", o.Reason)
	}
	if d.HTML != nil || d.Analysis != nil {
		t.Error("HTML and Analysis must be cleared")
	}
	if !strings.Contains(d.Text, "1Password") || d.Title == "" {
		t.Errorf("title %q, text %.200q", d.Title, d.Text)
	}
	if m.Counts["charset_utf-8"] != 1 {
		t.Errorf("counts %v, want charset_utf-8=1", m.Counts)
	}

	// A WET conversion record: text, no HTML, passes untouched.
	wet := &pipeline.Document{Text: "already plain text", Title: "t"}
	if o := s.Process(wet, &m); o.Drop || wet.Text != "already plain text" || wet.Title != "t" {
		t.Errorf("WET record changed or dropped: %+v %+v", o, wet)
	}
	// Nothing at all, or HTML without text: dropped as no_text.
	for _, d := range []*pipeline.Document{{}, {HTML: []byte("<html><body><nav>menu</nav><script>x()</script></body></html>")}} {
		if o := s.Process(d, &m); !o.Drop || o.Reason != "no_text" {
			t.Errorf("got %+v, want drop no_text", o)
		}
	}

	// A cut page is counted.
	small, err := NewStep(StepConfig{Options: Options{MaxHTMLBytes: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	var m2 pipeline.Metrics
	small.Process(&pipeline.Document{HTML: src}, &m2)
	if m2.Counts["truncated"] != 1 {
		t.Errorf("counts %v, want truncated=1", m2.Counts)
	}
}

func TestNewStepRejectsBadConfig(t *testing.T) {
	for _, c := range []StepConfig{
		{Options: Options{MaxHTMLBytes: -1}},
		{Options: Options{MaxLinkDensity: 1.5}},
		{Options: Options{ShortBlockChars: 500, LongBlockChars: 100}},
		{MinTextShare: 2},
		{MaxKeptLinkDensity: -0.1},
	} {
		if _, err := NewStep(c); err == nil {
			t.Errorf("NewStep(%+v) accepted a bad config", c)
		}
	}
}

// TestStepOnRealCrawl runs the step over every HTML response of the real
// Common Crawl excerpt, from several goroutines at once (as the runner
// does; run with -race), and checks the counters.
func TestStepOnRealCrawl(t *testing.T) {
	pages := readHTMLPayloads(t, filepath.Join(testdata.Shared(t, "warc"), "resiliparse__warcfile.warc.gz"))
	s, err := NewStep(DefaultStepConfig())
	if err != nil {
		t.Fatal(err)
	}
	const workers = 4
	metrics := make([]pipeline.Metrics, workers)
	kept := make([]int, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for _, p := range pages {
				d := &pipeline.Document{URL: p.url, HTML: p.body, ContentType: p.contentType}
				o := s.Process(d, &metrics[w])
				if !o.Drop {
					kept[w]++
					if d.Text == "" || !utf8.ValidString(d.Text) {
						t.Errorf("%s: kept with empty or invalid text", p.url)
					}
				} else if o.Reason != "no_text" {
					t.Errorf("%s: dropped for %q", p.url, o.Reason)
				}
			}
		}(w)
	}
	wg.Wait()
	var total pipeline.Metrics
	for w := range metrics {
		total.Merge(&metrics[w])
		if kept[w] != kept[0] {
			t.Errorf("worker %d kept %d pages, worker 0 kept %d: the step is not deterministic", w, kept[w], kept[0])
		}
	}
	t.Logf("%d pages per worker, %d kept; counts %v", len(pages), kept[0], total.Counts)
	if kept[0] < len(pages)/2 {
		t.Errorf("only %d of %d real pages kept", kept[0], len(pages))
	}
	if total.Counts["charset_gb18030"] == 0 || total.Counts["charset_windows-1251"] == 0 {
		t.Errorf("charset counters missing: %v", total.Counts)
	}
}

// TestStepSignals: the extraction signals are stored for kept pages, and
// the optional decisions on them are the same whether applied by Process
// or replayed by Decide from the stored signals.
func TestStepSignals(t *testing.T) {
	page := []byte(`<html><body><nav><a href="/">Home</a></nav><article>
<p>A first paragraph of the article, long enough to be prose, with a comma, and more words after it to count.</p>
<p>A second paragraph with <a href="/x">a link</a> and enough other words around it to stay a paragraph of prose.</p>
</article><div class="sidebar"><p>A sidebar line that is not part of the article at all but long enough.</p></div></body></html>`)
	s, err := NewStep(DefaultStepConfig())
	if err != nil {
		t.Fatal(err)
	}
	var m pipeline.Metrics
	d := &pipeline.Document{HTML: page}
	if o := s.Process(d, &m); o.Drop {
		t.Fatalf("dropped: %+v", o)
	}
	share, links, blocks := d.Signals[SignalTextShare], d.Signals[SignalLinkDensity], d.Signals[SignalBlocks]
	if blocks != 2 || share <= 0.5 || share >= 1 || links <= 0 || links >= 0.1 {
		t.Errorf("signals: share %v, link density %v, blocks %v; want 2 blocks, a share in (0.5, 1), a small link density", share, links, blocks)
	}
	for _, c := range []struct {
		cfg    StepConfig
		reason string
	}{
		{StepConfig{Options: DefaultOptions(), MinTextShare: 0.99}, "extract_low_text_share"},
		{StepConfig{Options: DefaultOptions(), MaxKeptLinkDensity: 0.01}, "extract_link_heavy"},
		{StepConfig{Options: DefaultOptions(), MinTextShare: 0.1, MaxKeptLinkDensity: 0.5}, ""},
	} {
		strict, err := NewStep(c.cfg)
		if err != nil {
			t.Fatal(err)
		}
		d := &pipeline.Document{HTML: page}
		o := strict.Process(d, &m)
		if o.Reason != c.reason || o.Drop != (c.reason != "") {
			t.Errorf("%+v: Process = %+v, want %q", c.cfg, o, c.reason)
		}
		if r := strict.Decide(d.Signals, ""); r != o {
			t.Errorf("%+v: Decide = %+v, Process = %+v", c.cfg, r, o)
		}
	}
}
