package extract

import (
	"testing"

	"github.com/sieve-data/sieve/internal/extracteval"
)

// The metrics themselves live in internal/extracteval, shared with
// tools/extract-score so the tests and the tool count the same way; these
// helpers run Extract over a dev set and score it.

type pageScore struct {
	name string
	extracteval.Score
}

// scoreReadability extracts every page and returns the mean word-level
// P/R/F1 and the per-page scores.
func scoreReadability(t testing.TB, pages []readabilityPage, opts Options) (mean extracteval.Score, all []pageScore) {
	t.Helper()
	scores := make([]extracteval.Score, 0, len(pages))
	for _, pg := range pages {
		res, err := Extract(pg.source, "", opts)
		if err != nil {
			t.Fatalf("%s: %v", pg.name, err)
		}
		s := extracteval.WordPRF(res.Text, pg.expected)
		scores = append(scores, s)
		all = append(all, pageScore{pg.name, s})
	}
	return extracteval.Mean(scores), all
}

// scoreComparison extracts every annotated page and returns the snippet
// counts summed over the set and per page.
func scoreComparison(t testing.TB, pages []extracteval.Annotated, opts Options) (total extracteval.Counts, per []extracteval.Counts) {
	t.Helper()
	per = make([]extracteval.Counts, len(pages))
	for i, pg := range pages {
		res, err := Extract(pg.Source, "", opts)
		if err != nil {
			t.Fatalf("%s: %v", pg.File, err)
		}
		per[i] = extracteval.Evaluate(pg, res.Text)
		total.Add(per[i])
	}
	return total, per
}
