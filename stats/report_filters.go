package stats

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// FilterLanguages is the filters × languages table: for every language
// with at least MinDocs documents read, the share of its documents each
// step (and each step's reason) dropped and the share that passed, beside
// the same figures for the whole corpus. Shares are of the language's
// documents that entered the filter chain, so a row's step shares and its
// kept share add up to 1. Deduplication is not in it (it removes copies,
// not languages; see the dedup section).
type FilterLanguages struct {
	MinDocs int `json:"min_docs"`
	// Steps are the steps that dropped something, in pipeline order;
	// Reasons are their "step: reason" keys, step by step.
	Steps   []string `json:"steps"`
	Reasons []string `json:"reasons"`
	// All is the corpus-wide row (every language, small ones included).
	All  FilterLanguageRow   `json:"all"`
	Rows []FilterLanguageRow `json:"rows"`
	// Omitted counts languages under MinDocs documents read.
	Omitted int `json:"omitted"`
	// PassedFromKept is set when the stats held no pass counts (an older
	// stats.json): the kept documents stand in for the passed ones, which
	// is exact only without dedup.
	PassedFromKept bool `json:"passed_from_kept,omitempty"`
}

// FilterLanguageRow is one language's line. StepShares and ReasonShares
// align with FilterLanguages.Steps and Reasons.
type FilterLanguageRow struct {
	Language     string    `json:"language"`
	Name         string    `json:"name"`
	Read         int64     `json:"read"`
	Passed       int64     `json:"passed"`
	KeptShare    float64   `json:"kept_share"`
	StepDrops    []int64   `json:"step_drops"`
	StepShares   []float64 `json:"step_shares"`
	ReasonDrops  []int64   `json:"reason_drops"`
	ReasonShares []float64 `json:"reason_shares"`
	// Flagged lists the steps whose drop share for this language is far
	// above the corpus-wide one (see FarAbove).
	Flagged []string `json:"flagged,omitempty"`
	// stepsRef is FilterLanguages.Steps, for IsFlagged in the template.
	stepsRef []string
}

// FarAbove says whether a language's drop share p of n documents read is
// far above the corpus-wide share p0 for a step. All three must hold:
//   - p ≥ 2·p0: at least twice the corpus rate;
//   - p ≥ p0 + 0.10: at least 10 percentage points more (a step that drops
//     1% corpus-wide and 3% of one language is not a finding);
//   - z ≥ 3, where z = (p − p0) / √(p0(1 − p0)/n): the gap is not the noise
//     of a small sample (three standard errors of a binomial share at the
//     corpus rate; with p0 = 0 any drop over 10% passes).
func FarAbove(p, p0 float64, n int64) bool {
	if n <= 0 || p < 2*p0 || p < p0+0.10 {
		return false
	}
	if p0 <= 0 {
		return true
	}
	if p0 >= 1 {
		return false
	}
	z := (p - p0) / math.Sqrt(p0*(1-p0)/float64(n))
	return z >= 3
}

func (r *Report) buildFilterLanguages(c *Collector) {
	fl := &r.FilterLanguages
	fl.MinDocs = c.Config.MinLanguageDocs
	funnels := c.Funnels
	var passed int64
	for _, f := range funnels {
		passed += f.Passed
	}
	if passed == 0 && c.Kept.Docs > 0 {
		// No pass counts recorded: use the kept documents.
		fl.PassedFromKept = true
		cp := make(map[string]*LanguageFunnel, len(funnels)+len(c.Languages))
		for k, f := range funnels {
			cp[k] = &LanguageFunnel{Dropped: f.Dropped}
		}
		for k, ls := range c.Languages {
			if cp[k] == nil {
				cp[k] = &LanguageFunnel{}
			}
			cp[k].Passed = ls.Docs
		}
		funnels = cp
	}
	if len(funnels) == 0 {
		return
	}
	// Columns: steps in pipeline order (then any others by name), reasons
	// by count within a step.
	reasonDocs := map[string]int64{}
	stepOf := map[string]string{}
	for key, d := range c.Drops {
		stepOf[key] = d.Step
	}
	for _, f := range funnels {
		for k, v := range f.Dropped {
			reasonDocs[k] += v
			if _, ok := stepOf[k]; !ok {
				stepOf[k] = strings.SplitN(k, ": ", 2)[0]
			}
		}
	}
	order := map[string]int{}
	for i, s := range c.Steps {
		order[s.Name] = i
	}
	stepSet := map[string]bool{}
	for k := range reasonDocs {
		stepSet[stepOf[k]] = true
	}
	for s := range stepSet {
		fl.Steps = append(fl.Steps, s)
	}
	rank := func(s string) int {
		if i, ok := order[s]; ok {
			return i
		}
		return len(order)
	}
	sort.Slice(fl.Steps, func(i, j int) bool {
		a, b := fl.Steps[i], fl.Steps[j]
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		return a < b
	})
	stepIdx := map[string]int{}
	for i, s := range fl.Steps {
		stepIdx[s] = i
	}
	for k := range reasonDocs {
		fl.Reasons = append(fl.Reasons, k)
	}
	sort.Slice(fl.Reasons, func(i, j int) bool {
		a, b := fl.Reasons[i], fl.Reasons[j]
		if sa, sb := stepIdx[stepOf[a]], stepIdx[stepOf[b]]; sa != sb {
			return sa < sb
		}
		if reasonDocs[a] != reasonDocs[b] {
			return reasonDocs[a] > reasonDocs[b]
		}
		return a < b
	})
	reasonIdx := map[string]int{}
	for i, k := range fl.Reasons {
		reasonIdx[k] = i
	}
	row := func(lang string, f *LanguageFunnel) FilterLanguageRow {
		fr := FilterLanguageRow{Language: lang, Passed: f.Passed, Read: f.Read(),
			StepDrops: make([]int64, len(fl.Steps)), ReasonDrops: make([]int64, len(fl.Reasons))}
		for k, v := range f.Dropped {
			fr.ReasonDrops[reasonIdx[k]] += v
			fr.StepDrops[stepIdx[stepOf[k]]] += v
		}
		fr.KeptShare = share(fr.Passed, fr.Read)
		for _, v := range fr.StepDrops {
			fr.StepShares = append(fr.StepShares, share(v, fr.Read))
		}
		for _, v := range fr.ReasonDrops {
			fr.ReasonShares = append(fr.ReasonShares, share(v, fr.Read))
		}
		return fr
	}
	all := &LanguageFunnel{Dropped: map[string]int64{}}
	for _, f := range funnels {
		all.Passed += f.Passed
		for k, v := range f.Dropped {
			all.Dropped[k] += v
		}
	}
	fl.All = row("all", all)
	fl.All.Name = "all languages"
	for lang, f := range funnels {
		if f.Read() < int64(fl.MinDocs) {
			fl.Omitted++
			continue
		}
		fr := row(lang, f)
		fr.Name = LanguageName(lang)
		for i, s := range fl.Steps {
			if FarAbove(fr.StepShares[i], fl.All.StepShares[i], fr.Read) {
				fr.Flagged = append(fr.Flagged, s)
			}
		}
		fl.Rows = append(fl.Rows, fr)
	}
	sort.Slice(fl.Rows, func(i, j int) bool {
		a, b := fl.Rows[i], fl.Rows[j]
		if a.Read != b.Read {
			return a.Read > b.Read
		}
		return a.Language < b.Language
	})
}

// filterLanguagesNote explains the table in both renderings.
func (fl FilterLanguages) note() string {
	s := fmt.Sprintf("Share of each language's documents that each step dropped, of the documents that entered the filters; languages with at least %d documents read (%d smaller languages are only in the \"all\" row). Documents dropped before the langid step count as \"und\". A flag (⚑) marks a step whose drop share for the language is far above the corpus-wide share: at least twice it, at least 10 percentage points more, and at least three standard errors above it.", fl.MinDocs, fl.Omitted)
	if fl.PassedFromKept {
		s += " These stats hold no pass counts, so kept documents (after dedup) stand in for the documents that passed the filters."
	}
	return s
}

func (row FilterLanguageRow) flagged(step string) bool {
	for _, s := range row.Flagged {
		if s == step {
			return true
		}
	}
	return false
}
