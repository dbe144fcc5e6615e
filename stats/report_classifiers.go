package stats

import (
	"sort"
	"strings"
)

// topLabelCounter prefixes the counters a fasttext_classifier step keeps
// per best label ("top_label_<label>", filter.FastTextClassifier).
const topLabelCounter = "top_label_"

// ClassifierSection is one classifier step's mix of best labels over the
// documents it scored: for a topic or domain model, the corpus's topic
// mix before that step's decision.
type ClassifierSection struct {
	Step string          `json:"step"`
	Docs int64           `json:"docs"`
	Rows []ClassifierRow `json:"rows"`
}

// ClassifierRow is one label: the documents whose best label it was.
type ClassifierRow struct {
	Label string  `json:"label"`
	Docs  int64   `json:"docs"`
	Share float64 `json:"share"`
}

func (r *Report) buildClassifiers(c *Collector) {
	for _, st := range c.Steps {
		var sec ClassifierSection
		for k, v := range st.Counts {
			if label, ok := strings.CutPrefix(k, topLabelCounter); ok {
				sec.Rows = append(sec.Rows, ClassifierRow{Label: label, Docs: v})
				sec.Docs += v
			}
		}
		if len(sec.Rows) == 0 {
			continue
		}
		sec.Step = st.Name
		for i := range sec.Rows {
			sec.Rows[i].Share = share(sec.Rows[i].Docs, sec.Docs)
		}
		sort.Slice(sec.Rows, func(i, j int) bool {
			a, b := sec.Rows[i], sec.Rows[j]
			return a.Docs > b.Docs || a.Docs == b.Docs && a.Label < b.Label
		})
		r.Classifiers = append(r.Classifiers, sec)
	}
}

// classifierNote explains the classifier tables in both renderings.
const classifierNote = "Best label of each document a fastText classifier step scored (before that step's own keep/remove decision and later filters); every label's score is in the document's quality_signals."

func (r *Report) classifiersMarkdown(p func(string, ...any), cell func(string) string) {
	for _, sec := range r.Classifiers {
		p("\n## Classifier %s: best labels\n\n%s %s documents scored.\n\n| label | docs | share |\n|---|---:|---:|\n",
			cell(sec.Step), classifierNote, FormatInt(sec.Docs))
		for _, row := range sec.Rows {
			p("| %s | %s | %s |\n", cell(row.Label), FormatInt(row.Docs), FormatShare(row.Share))
		}
	}
}
