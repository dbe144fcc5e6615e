package filter

import (
	"fmt"

	"github.com/sieve-data/sieve/pipeline"
)

// Signals of the fineweb_quality step.
const (
	SigFineWebLinePunctRatio = "fineweb_line_punct_ratio" // lines ending in terminal punctuation
	SigFineWebShortLineRatio = "fineweb_short_line_ratio" // lines of <= short_line_length code points
	SigFineWebCharDupRatio   = "fineweb_char_dup_ratio"   // duplicated-line characters / characters
	SigFineWebNewLineRatio   = "fineweb_new_line_ratio"   // newlines per token
	SigFineWebLines          = "fineweb_lines"            // non-empty lines
)

// FineWebQualityConfig holds datatrove's FineWebQualityFilter parameters.
// A negative threshold switches its rule off.
type FineWebQualityConfig struct {
	LinePunctThr         float64 `yaml:"line_punct_thr"`
	LinePunctExcludeZero bool    `yaml:"line_punct_exclude_zero"`
	ShortLineThr         float64 `yaml:"short_line_thr"`
	ShortLineLength      int     `yaml:"short_line_length"`
	CharDuplicatesRatio  float64 `yaml:"char_duplicates_ratio"`
	NewLineRatio         float64 `yaml:"new_line_ratio"`
	// Comparison says whether a ratio equal to its threshold drops:
	// "inclusive" (the default, FineWeb v1: line_punct <= thr,
	// short_line >= thr, char_dup >= thr drop) or "strict" (datatrove
	// since its PR #285: <, >, >). new_line_ratio is strict in both.
	Comparison string `yaml:"comparison"`
	// EndPunctuation is the set of line endings that count as terminal
	// punctuation for languages without their own set in the language
	// table. Empty: FineWeb v1's (. ' " ! ?), which datatrove's
	// FineWebQualityFilter used when FineWeb was made; set it to follow a
	// later or another recipe.
	EndPunctuation  []string `yaml:"end_punctuation"`
	Languages       string   `yaml:"languages"`
	DefaultLanguage string   `yaml:"default_language"`
}

// DefaultFineWebQualityConfig returns datatrove's defaults.
func DefaultFineWebQualityConfig() FineWebQualityConfig {
	return FineWebQualityConfig{
		LinePunctThr: 0.12, ShortLineThr: 0.67, ShortLineLength: 30,
		CharDuplicatesRatio: 0.01, NewLineRatio: 0.3, DefaultLanguage: "en",
		Comparison: ComparisonInclusive,
	}
}

// The fineweb_quality threshold comparisons (FineWebQualityConfig.Comparison).
const (
	ComparisonInclusive = "inclusive"
	ComparisonStrict    = "strict"
)

// FineWebQuality is the "fineweb_quality" step.
type FineWebQuality struct {
	cfg    FineWebQualityConfig
	langs  LanguageTable
	strict bool
}

// NewFineWebQuality validates cfg and builds the step.
func NewFineWebQuality(cfg FineWebQualityConfig) (*FineWebQuality, error) {
	if cfg.ShortLineLength < 0 {
		return nil, fmt.Errorf("fineweb_quality: short_line_length %d is negative", cfg.ShortLineLength)
	}
	for _, f := range []float64{cfg.LinePunctThr, cfg.ShortLineThr, cfg.CharDuplicatesRatio} {
		if f > 1 {
			return nil, fmt.Errorf("fineweb_quality: ratio %v is above 1", f)
		}
	}
	langs, err := tableFor(cfg.Languages)
	if err != nil {
		return nil, fmt.Errorf("fineweb_quality: %w", err)
	}
	f := &FineWebQuality{cfg: cfg, langs: langs}
	switch cfg.Comparison {
	case "", ComparisonInclusive:
	case ComparisonStrict:
		f.strict = true
	default:
		return nil, fmt.Errorf("fineweb_quality: comparison %q: want %q or %q", cfg.Comparison, ComparisonInclusive, ComparisonStrict)
	}
	return f, nil
}

// Name implements pipeline.Step.
func (f *FineWebQuality) Name() string { return "fineweb_quality" }

// SignalNames implements pipeline.SignalDeclarer.
func (f *FineWebQuality) SignalNames() []string {
	return []string{SigFineWebLinePunctRatio, SigFineWebShortLineRatio, SigFineWebCharDupRatio, SigFineWebNewLineRatio, SigFineWebLines}
}

// Process measures d, stores the signals and decides.
func (f *FineWebQuality) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	a := AnalysisOf(d)
	p, lang := f.langs.lookup(d.Language, f.cfg.DefaultLanguage)
	stops := endPunctuation(p)
	if len(f.cfg.EndPunctuation) > 0 && (p == nil || p.EndPunctuation == nil) {
		stops = f.cfg.EndPunctuation
	}
	var punct, short, lineChars int
	for i, line := range a.Lines {
		if hasAnySuffix(line, stops) {
			punct++
		}
		if a.LineRunes[i] <= f.cfg.ShortLineLength {
			short++
		}
		lineChars += a.LineRunes[i]
	}
	lines := float64(len(a.Lines))
	_, dupChars := duplicates(a.Lines, func(i int) int { return a.LineRunes[i] })
	d.SetSignal(SigFineWebLines, lines)
	d.SetSignal(SigFineWebLinePunctRatio, ratio(float64(punct), lines))
	d.SetSignal(SigFineWebShortLineRatio, ratio(float64(short), lines))
	// datatrove divides by len(text.replace("\n", "")): the characters of
	// the lines.
	d.SetSignal(SigFineWebCharDupRatio, ratio(float64(dupChars), float64(lineChars)))
	d.SetSignal(SigFineWebNewLineRatio, ratio(float64(a.NewlineRuns), float64(len(a.Tokens))))
	return f.decide(d.Signals, p, lang, m)
}

// Decide re-applies the thresholds to stored signals.
func (f *FineWebQuality) Decide(s map[string]float64, lang string) pipeline.Outcome {
	p, lang := f.langs.lookup(lang, f.cfg.DefaultLanguage)
	return f.decide(s, p, lang, nil)
}

func (f *FineWebQuality) decide(s map[string]float64, p *LanguageParams, lang string, m *pipeline.Metrics) pipeline.Outcome {
	c := f.cfg
	if s[SigFineWebLines] == 0 {
		return pipeline.DropFor("fineweb_empty")
	}
	punctThr, nlThr := c.LinePunctThr, c.NewLineRatio
	if p != nil {
		punctThr, nlThr = orDefault(p.LinePunctThr, punctThr), orDefault(p.NewLineRatio, nlThr)
	}
	if punctThr >= 0 && !ruleOff(p, RuleLinePunct, lang, m) {
		r := s[SigFineWebLinePunctRatio]
		if (r < punctThr || r == punctThr && !f.strict) && !(r == 0 && c.LinePunctExcludeZero) {
			return pipeline.DropFor("fineweb_line_punct_ratio")
		}
	}
	if c.ShortLineThr >= 0 && !ruleOff(p, RuleShortLines, lang, m) && f.above(s[SigFineWebShortLineRatio], c.ShortLineThr) {
		return pipeline.DropFor("fineweb_short_line_ratio")
	}
	if c.CharDuplicatesRatio >= 0 && !ruleOff(p, RuleCharDup, lang, m) && f.above(s[SigFineWebCharDupRatio], c.CharDuplicatesRatio) {
		return pipeline.DropFor("fineweb_char_dup_ratio")
	}
	if nlThr >= 0 && !ruleOff(p, RuleNewLineRatio, lang, m) && s[SigFineWebNewLineRatio] > nlThr {
		return pipeline.DropFor("fineweb_list_ratio")
	}
	return pipeline.Keep
}

// above is the "too high" comparison: >= (inclusive) or > (strict).
func (f *FineWebQuality) above(r, thr float64) bool {
	return r > thr || r == thr && !f.strict
}
