package pipeline

import (
	"strings"
	"testing"
)

// dropShort drops documents shorter than n bytes and counts the long ones.
type dropShort struct{ n int }

func (s dropShort) Name() string { return "drop_short" }
func (s dropShort) Process(d *Document, m *Metrics) Outcome {
	if len(d.Text) < s.n {
		return DropFor("too_short")
	}
	m.Add("long", 1)
	return Keep
}

type upper struct{}

func (upper) Name() string { return "upper" }
func (upper) Process(d *Document, m *Metrics) Outcome {
	d.Text = strings.ToUpper(d.Text)
	return Keep
}

func TestChainCountsAndDrops(t *testing.T) {
	c := NewChain([]Step{upper{}, dropShort{5}})
	var dropped []string
	c.OnDrop = func(step, reason string, d *Document) { dropped = append(dropped, step+":"+reason+":"+d.Text) }
	docs := []*Document{{Text: "hello world"}, {Text: "hi"}, {Text: "lengthy"}}
	var kept []string
	for _, d := range docs {
		if c.Process(d) {
			kept = append(kept, d.Text)
		}
	}
	if strings.Join(kept, ",") != "HELLO WORLD,LENGTHY" {
		t.Fatalf("kept %v", kept)
	}
	if len(dropped) != 1 || dropped[0] != "drop_short:too_short:HI" {
		t.Fatalf("dropped %v", dropped)
	}
	up, short := c.Metrics[0], c.Metrics[1]
	if up.In != 3 || up.Out != 3 || short.In != 3 || short.Out != 2 || short.Dropped["too_short"] != 1 || short.Counts["long"] != 2 {
		t.Fatalf("metrics: upper %+v, drop_short %+v", up, short)
	}
	var total Metrics
	total.Merge(&short)
	total.Merge(&short)
	if total.In != 6 || total.Dropped["too_short"] != 2 || total.Counts["long"] != 4 {
		t.Fatalf("merge: %+v", total)
	}
	if r := total.DropReasons(); len(r) != 1 || r[0] != "too_short" {
		t.Fatalf("reasons %v", r)
	}
}

// countingAnalysis records its releases.
type countingAnalysis struct{ released int }

func (a *countingAnalysis) Release() { a.released++ }

// attach caches an analysis on every document, as the filter steps do.
type attach struct{ a *countingAnalysis }

func (s attach) Name() string { return "attach" }
func (s attach) Process(d *Document, m *Metrics) Outcome {
	d.Analysis = s.a
	return Keep
}

func TestChainReleasesAnalysis(t *testing.T) {
	a := &countingAnalysis{}
	c := NewChain([]Step{attach{a}, dropShort{5}})
	kept := &Document{Text: "long enough"}
	dropped := &Document{Text: "hi"}
	c.OnDrop = func(step, reason string, d *Document) {
		if d.Analysis == nil {
			t.Error("analysis released before OnDrop saw the document")
		}
	}
	if !c.Process(kept) || c.Process(dropped) {
		t.Fatal("wrong outcomes")
	}
	if a.released != 2 || kept.Analysis != nil || dropped.Analysis != nil {
		t.Fatalf("released %d times, analyses %v %v", a.released, kept.Analysis, dropped.Analysis)
	}
	// A plain value (no Release method) is just dropped.
	d := &Document{Analysis: "not releasable"}
	d.ReleaseAnalysis()
	if d.Analysis != nil {
		t.Fatal("analysis kept")
	}
}

// htmlStep reads (and releases) HTML, as the extractor does.
type htmlStep struct{}

func (htmlStep) Name() string    { return "html" }
func (htmlStep) ReadsHTML() bool { return true }
func (htmlStep) Process(d *Document, m *Metrics) Outcome {
	if len(d.HTML) == 0 {
		return DropFor("no_html")
	}
	d.Text = string(d.HTML)
	d.HTML = nil
	return Keep
}

// TestBatchIsProcess: a batch of any size gives what Process gives one
// document at a time: the same kept documents and texts, the drops in the
// same order with the same steps and reasons, the same counts; and the HTML
// step runs as each document is added (a reader may lend HTML only until
// its next read).
func TestBatchIsProcess(t *testing.T) {
	steps := []Step{htmlStep{}, upper{}, dropShort{6}, upper{}}
	inputs := []string{"hello world", "", "hi", "lengthy", "x", "", "another one", "abc", "fine text"}
	docs := func() []*Document {
		var ds []*Document
		for _, s := range inputs {
			ds = append(ds, &Document{HTML: []byte(s)})
		}
		return ds
	}
	var want []string
	ref := NewChain(steps)
	ref.OnDrop = func(step, reason string, d *Document) { want = append(want, "drop "+step+" "+reason+" "+d.Text) }
	for _, d := range docs() {
		if ref.Process(d) {
			want = append(want, "keep "+d.Text)
		}
	}
	for _, size := range []int{1, 2, 3, 4, 100} {
		var got []string
		c := NewChain(steps)
		c.OnDrop = func(step, reason string, d *Document) { got = append(got, "drop "+step+" "+reason+" "+d.Text) }
		done := func(d *Document, kept bool) error {
			if kept {
				got = append(got, "keep "+d.Text)
			}
			return nil
		}
		b := c.NewBatch(size, 1<<20)
		for _, d := range docs() {
			lent := d.HTML
			full := b.Add(d)
			if d.HTML != nil || len(lent) > 0 && d.Text == "" && b.dropped[len(b.dropped)-1] < 0 {
				t.Fatalf("size %d: the HTML step did not run at Add", size)
			}
			clear(lent) // the reader reuses its buffer
			if full {
				if err := b.Flush(done); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := b.Flush(done); err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("size %d:\n got %q\nwant %q", size, got, want)
		}
		for i := range steps {
			g, w := c.Metrics[i], ref.Metrics[i]
			if g.In != w.In || g.Out != w.Out || g.Bytes != w.Bytes || len(g.Dropped) != len(w.Dropped) || g.Counts["long"] != w.Counts["long"] {
				t.Fatalf("size %d, step %d: metrics %+v, want %+v", size, i, g, w)
			}
		}
	}
}
