package extract

import (
	"os"
	"sort"
	"testing"

	"github.com/sieve-data/sieve/internal/extracteval"
)

// Floors of the comparison-set regression test: snippet F1 and precision
// over trafilatura's 983 annotated pages (go-trafilatura v1.12.2), each the
// measured value minus 0.005 (issue 12). Raise them as the extractor
// improves; tools/extract-score prints the same numbers beside
// go-trafilatura's.
const (
	// Measured 0.920 after the issue-12 rework (0.897 at d8b2588;
	// go-trafilatura v1.12.2 without fallback: 0.900).
	comparisonMinF1 = 0.915
	// Measured 0.919 (0.913 at d8b2588; go-trafilatura: 0.912).
	comparisonMinPrecision = 0.914
)

// loadComparison fetches the go-trafilatura module through the go command
// (the module proxy, or the module cache when it is already there) and
// loads its annotated pages. Without network or go command the test is
// skipped locally and fails under CI, like the shared test data.
func loadComparison(t testing.TB) []extracteval.Annotated {
	t.Helper()
	dir, err := extracteval.ModuleDir(extracteval.TrafilaturaModule)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("comparison set unavailable under CI: %v", err)
		}
		t.Skipf("comparison set unavailable: %v", err)
	}
	pages, _, err := extracteval.LoadComparison(dir)
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// TestComparisonSet keeps snippet F1 and precision on trafilatura's
// comparison set from regressing.
func TestComparisonSet(t *testing.T) {
	pages := loadComparison(t)
	total, per := scoreComparison(t, pages, DefaultOptions())
	if testing.Verbose() {
		idx := make([]int, len(pages))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return per[idx[a]].F1() < per[idx[b]].F1() })
		for _, i := range idx[:min(40, len(idx))] {
			c := per[i]
			t.Logf("%-50s tp=%d fn=%d fp=%d tn=%d F1=%.3f", pages[i].File, c.TP, c.FN, c.FP, c.TN, c.F1())
		}
	}
	t.Logf("comparison pages: %d, snippets tp=%d fn=%d fp=%d tn=%d: P=%.3f R=%.3f accuracy=%.3f F1=%.3f",
		len(pages), total.TP, total.FN, total.FP, total.TN,
		total.Precision(), total.Recall(), total.Accuracy(), total.F1())
	if f := total.F1(); f < comparisonMinF1 {
		t.Errorf("F1 %.3f below the floor %.3f", f, comparisonMinF1)
	}
	if p := total.Precision(); p < comparisonMinPrecision {
		t.Errorf("precision %.3f below the floor %.3f", p, comparisonMinPrecision)
	}
	// Without boilerplate removal nearly every wanted snippet is there and
	// more unwanted ones: the removal must trade recall for precision.
	all, _ := scoreComparison(t, pages, Options{KeepBoilerplate: true})
	t.Logf("keep-all baseline: P=%.3f R=%.3f F1=%.3f", all.Precision(), all.Recall(), all.F1())
	if all.Recall() < 0.9 {
		t.Errorf("keep-all recall %.3f < 0.9: the walker loses text", all.Recall())
	}
	if total.Precision() <= all.Precision() {
		t.Errorf("boilerplate removal does not raise precision: %.3f <= %.3f", total.Precision(), all.Precision())
	}
}
