package langid

import (
	"fmt"
	"strings"

	"github.com/sieve-data/sieve/langid/langcode"
	"github.com/sieve-data/sieve/pipeline"
	"golang.org/x/text/language"
)

// filterCode spells a configured language the way the langid step writes
// it: langcode.Canonical ("eng" → "en", "mya" → "my"), or "xx_Scrp" for a
// GlotLID-style language and script; a code x/text does not know is an
// error.
func filterCode(code string) (string, error) {
	c := strings.TrimSpace(code)
	lang, script, hasScript := strings.Cut(c, "_")
	if strings.ToLower(c) == Undetermined {
		return Undetermined, nil
	}
	if _, err := language.ParseBase(lang); err != nil {
		return "", fmt.Errorf("language_filter: unknown language code %q (want an ISO 639-1 or 639-3 code, a code_Script pair, or %q)", code, Undetermined)
	}
	if hasScript {
		if _, err := language.ParseScript(script); err != nil {
			return "", fmt.Errorf("language_filter: unknown script in %q", code)
		}
		return langcode.Canonical(lang) + "_" + script, nil
	}
	return langcode.Canonical(lang), nil
}

// Drop reasons of the language_filter step.
const (
	ReasonNotWanted = "language_not_wanted"
	ReasonLowScore  = "language_low_score"
)

// DefaultMinScore is language_filter's default confidence threshold,
// calibrated on the shared real pages and labelled sentences (see doc.go):
// lingua's confidence is a softmax over summed log-probabilities, so it is
// near 1 for any page of more than a few sentences and spreads out only on
// short or mixed texts, unlike fastText's scores behind FineWeb's 0.65.
const DefaultMinScore = 0.5

// FilterConfig configures the language_filter step.
type FilterConfig struct {
	// Languages to keep, as ISO 639-1 or 639-3 codes, or code_Script for
	// GlotLID labels ("und" keeps undetermined documents); empty keeps
	// every language. Codes are compared in langcode.Canonical's spelling.
	Languages []string `yaml:"languages"`
	// MinScore is the lowest language_score kept, 0 to 1 (DefaultMinScore
	// in DefaultFilterConfig).
	MinScore float64 `yaml:"min_score"`
}

// DefaultFilterConfig returns the defaults; decode a pipeline's parameters
// over it so that omitted keys keep them.
func DefaultFilterConfig() FilterConfig { return FilterConfig{MinScore: DefaultMinScore} }

// Filter is the pipeline step "language_filter": it keeps documents whose
// language is wanted and whose language score reaches the threshold.
type Filter struct {
	wanted   map[string]bool // nil: every language
	minScore float32
}

// NewFilter validates cfg and builds the step.
func NewFilter(cfg FilterConfig) (*Filter, error) {
	if !(cfg.MinScore >= 0 && cfg.MinScore <= 1) {
		return nil, fmt.Errorf("language_filter: min_score %v is not between 0 and 1", cfg.MinScore)
	}
	f := &Filter{minScore: float32(cfg.MinScore)}
	for _, code := range cfg.Languages {
		c, err := filterCode(code)
		if err != nil {
			return nil, err
		}
		if f.wanted == nil {
			f.wanted = map[string]bool{}
		}
		f.wanted[c] = true
	}
	return f, nil
}

// MinScore returns the threshold in use.
func (f *Filter) MinScore() float64 { return float64(f.minScore) }

// Name implements pipeline.Step.
func (f *Filter) Name() string { return "language_filter" }

// Process implements pipeline.Step. Undetermined documents are kept only
// when "und" is listed (their score, 0, is then not checked); with an empty
// list they fail the score threshold like any unsure answer.
func (f *Filter) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	lang := d.Language
	if lang == "" {
		lang = Undetermined
	}
	if f.wanted != nil && !f.wanted[lang] && !f.wanted[langcode.Canonical(lang)] {
		return pipeline.DropFor(ReasonNotWanted)
	}
	if lang == Undetermined && f.wanted[Undetermined] {
		return pipeline.Keep
	}
	if d.LanguageScore < f.minScore {
		return pipeline.DropFor(ReasonLowScore)
	}
	return pipeline.Keep
}
