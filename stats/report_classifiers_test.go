package stats

import (
	"strings"
	"testing"

	"github.com/sieve-data/sieve/pipeline"
)

// TestReportClassifierLabels: a fasttext_classifier step's top-label
// counters become a table in report.json, report.md and report.html.
func TestReportClassifierLabels(t *testing.T) {
	c := NewCollector(DefaultConfig())
	c.AddSteps([]string{"langid", "fasttext_classifier/topic"}, []pipeline.Metrics{
		{In: 10, Out: 10, Counts: map[string]int64{"undetermined": 1}},
		{In: 10, Out: 7, Counts: map[string]int64{"top_label_sports": 6, "top_label_science": 3, "top_label_arts": 1}},
	})
	r := BuildReport(c, nil)
	if len(r.Classifiers) != 1 {
		t.Fatalf("classifiers %+v", r.Classifiers)
	}
	sec := r.Classifiers[0]
	if sec.Step != "fasttext_classifier/topic" || sec.Docs != 10 || len(sec.Rows) != 3 ||
		sec.Rows[0].Label != "sports" || sec.Rows[0].Share != 0.6 || sec.Rows[2].Label != "arts" {
		t.Fatalf("section %+v", sec)
	}
	md := r.Markdown()
	if !strings.Contains(md, "## Classifier fasttext_classifier/topic: best labels") || !strings.Contains(md, "| sports | 6 |") {
		t.Errorf("markdown lacks the classifier table:\n%s", md)
	}
	h, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(h), `<tr data-label="science"><td>science</td><td class="n" data-k="docs">3</td>`) {
		t.Error("report.html lacks the classifier table")
	}
	// No classifier step: no section.
	if r := BuildReport(NewCollector(DefaultConfig()), nil); len(r.Classifiers) != 0 || strings.Contains(r.Markdown(), "## Classifier") {
		t.Error("classifier section without a classifier step")
	}
}
