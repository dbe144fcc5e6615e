package filter

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/langid/fasttext"
	"github.com/sieve-data/sieve/pipeline"
)

// trainClassifier trains a three-label fastText model (en, de, fr) with
// the fastText CLI on lingua's labelled sentences and returns its path and
// held-out sentences by label. It skips locally without the CLI and fails
// under CI (scripts/install-fasttext installs it).
func trainClassifier(t testing.TB) (string, map[string][]string) {
	t.Helper()
	cli, err := exec.LookPath("fasttext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("fasttext CLI missing under CI: %v", err)
		}
		t.Skipf("fasttext CLI not installed: %v", err)
	}
	dir := t.TempDir()
	src := filepath.Join(testdata.Shared(t, "langid"), "sentences")
	var train strings.Builder
	held := map[string][]string{}
	for _, code := range []string{"en", "de", "fr"} {
		f, err := os.Open(filepath.Join(src, code+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for i := 0; sc.Scan(); i++ {
			if i < 300 {
				fmt.Fprintf(&train, "__label__%s %s\n", code, sc.Text())
			} else if i < 400 {
				held[code] = append(held[code], sc.Text())
			}
		}
		f.Close()
	}
	in := filepath.Join(dir, "train.txt")
	if err := os.WriteFile(in, []byte(train.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "clf")
	cmd := exec.Command(cli, "supervised", "-input", in, "-output", out, "-dim", "8", "-epoch", "25", "-lr", "1.0",
		"-minn", "2", "-maxn", "4", "-bucket", "20000", "-thread", "1", "-verbose", "0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fasttext supervised: %v\n%s", err, b)
	}
	return out + ".bin", held
}

func TestFastTextClassifier(t *testing.T) {
	model, held := trainClassifier(t)
	cfg := DefaultFastTextClassifierConfig()
	cfg.Model = model
	cfg.Name = "topic"
	cfg.KeepLabels = map[string]float64{"en": 0.5}
	c, err := NewFastTextClassifier(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var _ pipeline.SignalDeclarer = c
	if got := strings.Join(c.SignalNames(), ","); got != "topic_de,topic_en,topic_fr" {
		t.Fatalf("signals %s", got)
	}
	m, err := fasttext.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	var pm pipeline.Metrics
	kept := map[string]int{}
	for code, texts := range held {
		for _, text := range texts {
			// Two lines: datatrove joins them with "" before predicting.
			half := len(text) / 2
			for half < len(text) && text[half] != ' ' {
				half++
			}
			doc := &pipeline.Document{Text: "  " + text[:half] + "\n" + text[half:] + "\n"}
			o := c.Process(doc, &pm)
			if !o.Drop {
				kept[code]++
			} else if o.Reason != "topic_no_keep_label" {
				t.Fatalf("reason %q", o.Reason)
			}
			// The recorded score is the model's for the datatrove-prepared text.
			p := m.Predict(strings.TrimSpace(text[:half]+text[half:]), 0, 0, nil)
			for _, pr := range p {
				if sig := "topic_" + fasttext.TrimLabel(pr.Label); doc.Signals[sig] != float64(pr.Prob) {
					t.Fatalf("%s = %v, model says %v", sig, doc.Signals[sig], pr.Prob)
				}
			}
			// Decide replays Process from the stored signals.
			if c.Decide(doc.Signals, "") != o {
				t.Fatal("Decide disagrees with Process")
			}
		}
	}
	t.Logf("kept (en >= 0.5): %v of 100 each; top labels %v", kept, pm.Counts)
	if pm.Counts["top_label_en"] < 90 || pm.Counts["top_label_de"] < 90 || pm.Counts["top_label_fr"] < 90 {
		t.Errorf("top-label counts %v", pm.Counts)
	}
	if kept["en"] < 90 || kept["de"] > 10 || kept["fr"] > 10 {
		t.Errorf("kept %v", kept)
	}
	// remove_labels: the mirror image.
	cfg.KeepLabels, cfg.RemoveLabels = nil, map[string]float64{"de": 0.5}
	r, err := NewFastTextClassifier(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if o := r.Process(&pipeline.Document{Text: held["de"][0]}, &pm); o.Reason != "topic_remove_label" {
		t.Errorf("German sentence with remove_labels de: %+v", o)
	}
	if o := r.Process(&pipeline.Document{Text: held["en"][0]}, &pm); o.Drop {
		t.Errorf("English sentence with remove_labels de: %+v", o)
	}
}

func TestFastTextClassifierConfigErrors(t *testing.T) {
	model, _ := trainClassifier(t)
	for name, cfg := range map[string]FastTextClassifierConfig{
		"no model":      {},
		"missing file":  {Model: filepath.Join(t.TempDir(), "nope.bin")},
		"both":          {Model: model, KeepLabels: map[string]float64{"en": 0.5}, RemoveLabels: map[string]float64{"de": 0.5}},
		"unknown label": {Model: model, KeepLabels: map[string]float64{"xx": 0.5}},
		"bad threshold": {Model: model, RemoveLabels: map[string]float64{"en": 1.5}},
		"bad name":      {Model: model, Name: "Bad Name"},
	} {
		if _, err := NewFastTextClassifier(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

// BenchmarkFastTextClassifier is the step on lingua's sentences joined
// into ~2 KB documents with newlines (the three-label model of the tests).
func BenchmarkFastTextClassifier(b *testing.B) {
	model, held := trainClassifier(b)
	cfg := DefaultFastTextClassifierConfig()
	cfg.Model = model
	cfg.KeepLabels = map[string]float64{"en": 0.5}
	c, err := NewFastTextClassifier(cfg)
	if err != nil {
		b.Fatal(err)
	}
	var docs []string
	for _, code := range []string{"de", "en", "fr"} {
		var cur strings.Builder
		for _, s := range held[code] {
			cur.WriteString(s)
			cur.WriteByte('\n')
			if cur.Len() > 2000 {
				docs = append(docs, cur.String())
				cur.Reset()
			}
		}
	}
	var m pipeline.Metrics
	d := &pipeline.Document{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Text = docs[i%len(docs)]
		c.Process(d, &m)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
