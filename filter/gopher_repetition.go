package filter

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/sieve-data/sieve/pipeline"
)

// Signals of the gopher_repetition step; the n-gram ones are
// gopher_repetition_top_<n>_gram_frac (n = 2..4) and
// gopher_repetition_dup_<n>_gram_frac (n = 5..10).
const (
	SigRepDupParaFrac     = "gopher_repetition_dup_para_frac"
	SigRepDupParaCharFrac = "gopher_repetition_dup_para_char_frac"
	SigRepDupLineFrac     = "gopher_repetition_dup_line_frac"
	SigRepDupLineCharFrac = "gopher_repetition_dup_line_char_frac"
)

// The n-gram sizes measured (the signal schema is fixed): Gopher's.
const (
	minTopN, maxTopN = 2, 4
	minDupN, maxDupN = 5, 10
)

var topNames, dupNames, topReasons, dupReasons [maxDupN + 1]string

func init() {
	for n := 0; n <= maxDupN; n++ {
		topNames[n] = "gopher_repetition_top_" + strconv.Itoa(n) + "_gram_frac"
		dupNames[n] = "gopher_repetition_dup_" + strconv.Itoa(n) + "_gram_frac"
		topReasons[n] = "top_" + strconv.Itoa(n) + "_gram"
		dupReasons[n] = "duplicated_" + strconv.Itoa(n) + "_n_grams"
	}
}

// SigRepTopNGram names the top n-gram character fraction signal (n <= 10).
func SigRepTopNGram(n int) string { return topNames[n] }

// SigRepDupNGram names the duplicated n-gram character fraction signal (n <= 10).
func SigRepDupNGram(n int) string { return dupNames[n] }

// GopherRepetitionConfig holds datatrove's GopherRepetitionFilter
// parameters. A zero fraction switches its rule off.
type GopherRepetitionConfig struct {
	DupLineFrac     float64          `yaml:"dup_line_frac"`
	DupParaFrac     float64          `yaml:"dup_para_frac"`
	DupLineCharFrac float64          `yaml:"dup_line_char_frac"`
	DupParaCharFrac float64          `yaml:"dup_para_char_frac"`
	TopNGrams       []NGramThreshold `yaml:"top_n_grams"` // n in 2..4
	DupNGrams       []NGramThreshold `yaml:"dup_n_grams"` // n in 5..10
	Languages       string           `yaml:"languages"`
	DefaultLanguage string           `yaml:"default_language"`
}

// DefaultGopherRepetitionConfig returns datatrove's defaults (Gopher's
// table A1).
func DefaultGopherRepetitionConfig() GopherRepetitionConfig {
	return GopherRepetitionConfig{
		DupLineFrac: 0.3, DupParaFrac: 0.3, DupLineCharFrac: 0.2, DupParaCharFrac: 0.2,
		TopNGrams:       []NGramThreshold{{2, 0.2}, {3, 0.18}, {4, 0.16}},
		DupNGrams:       []NGramThreshold{{5, 0.15}, {6, 0.14}, {7, 0.13}, {8, 0.12}, {9, 0.11}, {10, 0.10}},
		DefaultLanguage: "en",
	}
}

// GopherRepetition is the "gopher_repetition" step.
type GopherRepetition struct {
	cfg   GopherRepetitionConfig
	langs LanguageTable
}

func checkNGrams(ts []NGramThreshold, lo, hi int, what string) error {
	for _, t := range ts {
		if t.N < lo || t.N > hi {
			return fmt.Errorf("gopher_repetition: %s n = %d, want %d..%d", what, t.N, lo, hi)
		}
		if t.Frac < 0 || t.Frac > 1 {
			return fmt.Errorf("gopher_repetition: %s fraction %v is not between 0 and 1", what, t.Frac)
		}
	}
	return nil
}

// NewGopherRepetition validates cfg and builds the step.
func NewGopherRepetition(cfg GopherRepetitionConfig) (*GopherRepetition, error) {
	for _, f := range []float64{cfg.DupLineFrac, cfg.DupParaFrac, cfg.DupLineCharFrac, cfg.DupParaCharFrac} {
		if f < 0 || f > 1 {
			return nil, fmt.Errorf("gopher_repetition: fraction %v is not between 0 and 1", f)
		}
	}
	if err := checkNGrams(cfg.TopNGrams, minTopN, maxTopN, "top_n_grams"); err != nil {
		return nil, err
	}
	if err := checkNGrams(cfg.DupNGrams, minDupN, maxDupN, "dup_n_grams"); err != nil {
		return nil, err
	}
	langs, err := tableFor(cfg.Languages)
	if err != nil {
		return nil, fmt.Errorf("gopher_repetition: %w", err)
	}
	for lang, p := range langs {
		if err := checkNGrams(p.TopNGrams, minTopN, maxTopN, lang+" top_n_grams"); err != nil {
			return nil, err
		}
		if err := checkNGrams(p.DupNGrams, minDupN, maxDupN, lang+" dup_n_grams"); err != nil {
			return nil, err
		}
	}
	return &GopherRepetition{cfg: cfg, langs: langs}, nil
}

// Name implements pipeline.Step.
func (g *GopherRepetition) Name() string { return "gopher_repetition" }

// SignalNames implements pipeline.SignalDeclarer.
func (g *GopherRepetition) SignalNames() []string {
	names := []string{SigRepDupParaFrac, SigRepDupParaCharFrac, SigRepDupLineFrac, SigRepDupLineCharFrac}
	for n := minTopN; n <= maxTopN; n++ {
		names = append(names, SigRepTopNGram(n))
	}
	for n := minDupN; n <= maxDupN; n++ {
		names = append(names, SigRepDupNGram(n))
	}
	return names
}

// Process measures d, stores the signals and decides.
func (g *GopherRepetition) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	a := AnalysisOf(d)
	p, lang := g.langs.lookup(d.Language, g.cfg.DefaultLanguage)
	textLen := float64(a.Runes)

	paraDups, paraChars := duplicates(a.Paragraphs, func(i int) int { return utf8.RuneCountInString(a.Paragraphs[i]) })
	d.SetSignal(SigRepDupParaFrac, ratio(float64(paraDups), float64(len(a.Paragraphs))))
	d.SetSignal(SigRepDupParaCharFrac, ratio(float64(paraChars), textLen))
	lineDups, lineChars := duplicates(a.Lines, func(i int) int { return a.LineRunes[i] })
	d.SetSignal(SigRepDupLineFrac, ratio(float64(lineDups), float64(len(a.Lines))))
	d.SetSignal(SigRepDupLineCharFrac, ratio(float64(lineChars), textLen))

	s := scratchPool.Get().(*ngramScratch)
	s.load(a)
	var top [maxTopN + 1]int64
	var dup [maxDupN + 1]int64
	s.repetitionStats(&top, &dup)
	for n := minTopN; n <= maxTopN; n++ {
		d.SetSignal(SigRepTopNGram(n), ratio(float64(top[n]), textLen))
	}
	for n := minDupN; n <= maxDupN; n++ {
		d.SetSignal(SigRepDupNGram(n), ratio(float64(dup[n]), textLen))
	}
	scratchPool.Put(s)
	return g.decide(d.Signals, p, lang, m)
}

// Decide re-applies the thresholds to stored signals.
func (g *GopherRepetition) Decide(s map[string]float64, lang string) pipeline.Outcome {
	p, lang := g.langs.lookup(lang, g.cfg.DefaultLanguage)
	return g.decide(s, p, lang, nil)
}

func (g *GopherRepetition) decide(s map[string]float64, p *LanguageParams, lang string, m *pipeline.Metrics) pipeline.Outcome {
	c := g.cfg
	top, dup, dupLine := c.TopNGrams, c.DupNGrams, c.DupLineFrac
	if p != nil {
		if p.TopNGrams != nil {
			top = p.TopNGrams
		}
		if p.DupNGrams != nil {
			dup = p.DupNGrams
		}
		dupLine = orDefault(p.DupLineFrac, dupLine)
	}
	if !ruleOff(p, RuleDupPara, lang, m) {
		if c.DupParaFrac > 0 && s[SigRepDupParaFrac] > c.DupParaFrac {
			return pipeline.DropFor("dup_para_frac")
		}
		if c.DupParaCharFrac > 0 && s[SigRepDupParaCharFrac] > c.DupParaCharFrac {
			return pipeline.DropFor("dup_para_char_frac")
		}
	}
	if !ruleOff(p, RuleDupLine, lang, m) {
		if dupLine > 0 && s[SigRepDupLineFrac] > dupLine {
			return pipeline.DropFor("dup_line_frac")
		}
		if c.DupLineCharFrac > 0 && s[SigRepDupLineCharFrac] > c.DupLineCharFrac {
			return pipeline.DropFor("dup_line_char_frac")
		}
	}
	if !ruleOff(p, RuleTopNGrams, lang, m) {
		for _, t := range top {
			if t.Frac > 0 && s[SigRepTopNGram(t.N)] > t.Frac {
				return pipeline.DropFor(topReasons[t.N])
			}
		}
	}
	if !ruleOff(p, RuleDupNGrams, lang, m) {
		for _, t := range dup {
			if t.Frac > 0 && s[SigRepDupNGram(t.N)] > t.Frac {
				return pipeline.DropFor(dupReasons[t.N])
			}
		}
	}
	return pipeline.Keep
}
