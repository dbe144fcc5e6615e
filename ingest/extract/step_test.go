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
	small, err := NewStep(StepConfig{MaxHTMLBytes: 1000})
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
		{MaxHTMLBytes: -1},
		{MaxLinkDensity: 1.5},
		{ShortBlockChars: 500, LongBlockChars: 100},
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
