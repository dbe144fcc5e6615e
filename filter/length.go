package filter

import (
	"fmt"

	"github.com/sieve-data/sieve/pipeline"
)

// Signals of the length step.
const (
	SigLengthChars  = "length_chars"  // code points
	SigLengthWords  = "length_words"  // UAX#29 words (no punctuation)
	SigLengthTokens = "length_tokens" // Document.TokenCount, -1 when no step counted
)

// LengthConfig bounds a document's size; 0 switches a bound off.
type LengthConfig struct {
	MinChars  int `yaml:"min_chars"`
	MaxChars  int `yaml:"max_chars"`
	MinWords  int `yaml:"min_words"`
	MaxWords  int `yaml:"max_words"`
	MinTokens int `yaml:"min_tokens"`
	MaxTokens int `yaml:"max_tokens"`
}

// DefaultLengthConfig has every bound off.
func DefaultLengthConfig() LengthConfig { return LengthConfig{} }

// Length is the "length" step.
type Length struct{ cfg LengthConfig }

// NewLength validates cfg and builds the step.
func NewLength(cfg LengthConfig) (*Length, error) {
	c := cfg
	for _, pair := range [][2]int{{c.MinChars, c.MaxChars}, {c.MinWords, c.MaxWords}, {c.MinTokens, c.MaxTokens}} {
		if pair[0] < 0 || pair[1] < 0 || pair[1] > 0 && pair[0] > pair[1] {
			return nil, fmt.Errorf("length: bad bounds min %d max %d", pair[0], pair[1])
		}
	}
	return &Length{cfg: cfg}, nil
}

// Name implements pipeline.Step.
func (l *Length) Name() string { return "length" }

// SignalNames implements pipeline.SignalDeclarer.
func (l *Length) SignalNames() []string {
	return []string{SigLengthChars, SigLengthWords, SigLengthTokens}
}

// Process measures d, stores the signals and decides.
func (l *Length) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	a := AnalysisOf(d)
	d.SetSignal(SigLengthChars, float64(a.Runes))
	d.SetSignal(SigLengthWords, float64(a.Words))
	tokens := float64(d.TokenCount)
	if d.TokenCount < 0 {
		tokens = -1
	}
	d.SetSignal(SigLengthTokens, tokens)
	if tokens < 0 && (l.cfg.MinTokens > 0 || l.cfg.MaxTokens > 0) && m != nil {
		m.Add("tokens_not_counted", 1)
	}
	return l.Decide(d.Signals, d.Language)
}

// Decide re-applies the bounds to stored signals.
func (l *Length) Decide(s map[string]float64, lang string) pipeline.Outcome {
	c := l.cfg
	check := func(v float64, lo, hi int, short, long string) string {
		if lo > 0 && v < float64(lo) {
			return short
		}
		if hi > 0 && v > float64(hi) {
			return long
		}
		return ""
	}
	if r := check(s[SigLengthChars], c.MinChars, c.MaxChars, "length_too_few_chars", "length_too_many_chars"); r != "" {
		return pipeline.DropFor(r)
	}
	if r := check(s[SigLengthWords], c.MinWords, c.MaxWords, "length_too_few_words", "length_too_many_words"); r != "" {
		return pipeline.DropFor(r)
	}
	// Without a token count the token bounds cannot apply.
	if t := s[SigLengthTokens]; t >= 0 {
		if r := check(t, c.MinTokens, c.MaxTokens, "length_too_few_tokens", "length_too_many_tokens"); r != "" {
			return pipeline.DropFor(r)
		}
	}
	return pipeline.Keep
}
