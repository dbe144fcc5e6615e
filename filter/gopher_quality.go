package filter

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sieve-data/sieve/pipeline"
)

// Signals of the gopher_quality step.
const (
	SigGopherWordCount       = "gopher_word_count"       // non-symbol words
	SigGopherTokenCount      = "gopher_token_count"      // all tokens, punctuation included
	SigGopherMeanWordLength  = "gopher_mean_word_length" // code points per non-symbol word
	SigGopherHashRatio       = "gopher_hash_ratio"       // "#" per token
	SigGopherEllipsisRatio   = "gopher_ellipsis_ratio"   // ("..." + "…") per token
	SigGopherBulletLines     = "gopher_bullet_lines_ratio"
	SigGopherEllipsisLines   = "gopher_ellipsis_lines_ratio"
	SigGopherAlphaWordsRatio = "gopher_alpha_words_ratio" // tokens with a letter / tokens
	SigGopherStopWords       = "gopher_stop_words"        // tokens in the language's stop list
)

// GopherQualityConfig holds datatrove's GopherQualityFilter parameters. A
// zero threshold switches its rule off, as in datatrove.
type GopherQualityConfig struct {
	MinDocWords           int     `yaml:"min_doc_words"`
	MaxDocWords           int     `yaml:"max_doc_words"`
	MinAvgWordLength      float64 `yaml:"min_avg_word_length"`
	MaxAvgWordLength      float64 `yaml:"max_avg_word_length"`
	MaxSymbolWordRatio    float64 `yaml:"max_symbol_word_ratio"`
	MaxBulletLinesRatio   float64 `yaml:"max_bullet_lines_ratio"`
	MaxEllipsisLinesRatio float64 `yaml:"max_ellipsis_lines_ratio"`
	MaxNonAlphaWordsRatio float64 `yaml:"max_non_alpha_words_ratio"` // the name is datatrove's; it is a minimum alpha ratio
	MinStopWords          int     `yaml:"min_stop_words"`
	// StopWords is the stop list of DefaultLanguage (a list set here wins
	// over the language table's for that language) and of languages
	// without a list when the table is off.
	StopWords []string `yaml:"stop_words"`
	// StopWordCount is how stop words are counted against MinStopWords:
	// "occurrences" (the default: every token that is a stop word, as
	// datatrove before its PR #329 and so FineWeb v1) or "distinct"
	// (different stop words present, datatrove since PR #329).
	StopWordCount string `yaml:"stop_word_count"`
	// Languages is a language table file laid over the shipped one; ""
	// uses the shipped table, "none" applies the values above to all.
	Languages string `yaml:"languages"`
	// DefaultLanguage is assumed for documents with language "" or "und".
	DefaultLanguage string `yaml:"default_language"`
}

// DefaultGopherQualityConfig returns datatrove's defaults.
func DefaultGopherQualityConfig() GopherQualityConfig {
	return GopherQualityConfig{
		MinDocWords: 50, MaxDocWords: 100000,
		MinAvgWordLength: 3, MaxAvgWordLength: 10,
		MaxSymbolWordRatio: 0.1, MaxBulletLinesRatio: 0.9, MaxEllipsisLinesRatio: 0.3,
		MaxNonAlphaWordsRatio: 0.8, MinStopWords: 2,
		StopWords:       append([]string(nil), gopherStopWords...),
		StopWordCount:   StopWordsOccurrences,
		DefaultLanguage: "en",
	}
}

// gopherStopWords are Gopher's (and datatrove's) English stop words.
var gopherStopWords = []string{"the", "be", "to", "of", "and", "that", "have", "with"}

// The gopher_quality stop-word counting modes (StopWordCount).
const (
	StopWordsOccurrences = "occurrences"
	StopWordsDistinct    = "distinct"
)

// GopherQuality is the "gopher_quality" step (Gopher's quality rules).
type GopherQuality struct {
	cfg        GopherQualityConfig
	stopWords  map[string]struct{}
	stopFilter stopWordFilter // prefilter for stopWords
	langs      LanguageTable
	// customStops is set when StopWords is not the shipped default list:
	// it then wins over the language table for DefaultLanguage.
	customStops bool
	distinct    bool
}

// NewGopherQuality validates cfg and builds the step.
func NewGopherQuality(cfg GopherQualityConfig) (*GopherQuality, error) {
	if cfg.MinDocWords < 0 || cfg.MaxDocWords < 0 || cfg.MinStopWords < 0 ||
		cfg.MinAvgWordLength < 0 || cfg.MaxAvgWordLength < 0 {
		return nil, fmt.Errorf("gopher_quality: negative threshold in %+v", cfg)
	}
	for _, r := range []float64{cfg.MaxSymbolWordRatio, cfg.MaxBulletLinesRatio, cfg.MaxEllipsisLinesRatio, cfg.MaxNonAlphaWordsRatio} {
		if r < 0 || r > 1 {
			return nil, fmt.Errorf("gopher_quality: ratio %v is not between 0 and 1", r)
		}
	}
	langs, err := tableFor(cfg.Languages)
	if err != nil {
		return nil, fmt.Errorf("gopher_quality: %w", err)
	}
	g := &GopherQuality{cfg: cfg, langs: langs, stopWords: map[string]struct{}{},
		customStops: cfg.StopWords != nil && !slices.Equal(cfg.StopWords, gopherStopWords)}
	switch cfg.StopWordCount {
	case "", StopWordsOccurrences:
	case StopWordsDistinct:
		g.distinct = true
	default:
		return nil, fmt.Errorf("gopher_quality: stop_word_count %q: want %q or %q", cfg.StopWordCount, StopWordsOccurrences, StopWordsDistinct)
	}
	for _, w := range cfg.StopWords {
		g.stopWords[w] = struct{}{}
	}
	g.stopFilter = newStopWordFilter(cfg.StopWords)
	return g, nil
}

// Name implements pipeline.Step.
func (g *GopherQuality) Name() string { return "gopher_quality" }

// SignalNames implements pipeline.SignalDeclarer.
func (g *GopherQuality) SignalNames() []string {
	return []string{SigGopherWordCount, SigGopherTokenCount, SigGopherMeanWordLength, SigGopherHashRatio,
		SigGopherEllipsisRatio, SigGopherBulletLines, SigGopherEllipsisLines, SigGopherAlphaWordsRatio, SigGopherStopWords}
}

// stopWordsFor returns the stop list for lang, or nil when the language has
// none (the rule is then off for it: English stop words mean nothing there).
func (g *GopherQuality) stopWordsFor(p *LanguageParams, lang string) (map[string]struct{}, *stopWordFilter) {
	if g.customStops && lang == g.cfg.DefaultLanguage {
		return g.stopWords, &g.stopFilter
	}
	if p != nil && p.stopWords != nil {
		return p.stopWords, &p.stopFilter
	}
	if lang == g.cfg.DefaultLanguage || len(g.langs) == 0 {
		return g.stopWords, &g.stopFilter
	}
	return nil, nil
}

// Process measures d, stores the signals and decides.
func (g *GopherQuality) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	a := AnalysisOf(d)
	p, lang := g.langs.lookup(d.Language, g.cfg.DefaultLanguage)
	text := d.Text

	tokens := float64(len(a.Tokens))
	d.SetSignal(SigGopherWordCount, float64(a.Words))
	d.SetSignal(SigGopherTokenCount, tokens)
	d.SetSignal(SigGopherMeanWordLength, ratio(float64(a.WordRunes), float64(a.Words)))
	d.SetSignal(SigGopherHashRatio, ratio(float64(strings.Count(text, "#")), tokens))
	d.SetSignal(SigGopherEllipsisRatio, ratio(float64(strings.Count(text, "...")+strings.Count(text, "…")), tokens))

	var bullets, ellipses int
	for _, line := range a.Lines {
		l := strings.TrimLeft(line, " \t\v\f\r\u00a0")
		if strings.HasPrefix(l, "•") || strings.HasPrefix(l, "-") {
			bullets++
		}
		r := strings.TrimRight(line, " \t\v\f\r\u00a0")
		if strings.HasSuffix(r, "...") || strings.HasSuffix(r, "…") {
			ellipses++
		}
	}
	d.SetSignal(SigGopherBulletLines, ratio(float64(bullets), float64(len(a.Lines))))
	d.SetSignal(SigGopherEllipsisLines, ratio(float64(ellipses), float64(len(a.Lines))))
	d.SetSignal(SigGopherAlphaWordsRatio, ratio(float64(a.LetterTokens), tokens))

	stop := -1.0 // -1: the language has no stop list
	if sw, filter := g.stopWordsFor(p, lang); sw != nil {
		n := 0
		var seen map[string]struct{}
		for _, t := range a.Tokens {
			// mayHold is inlined here and rules out most tokens before
			// the call.
			if filter.mayHold(t) && filter.has(t, sw) {
				if g.distinct {
					if seen == nil {
						seen = make(map[string]struct{}, len(sw))
					}
					if _, dup := seen[t]; dup {
						continue
					}
					seen[t] = struct{}{}
				}
				n++
			}
		}
		stop = float64(n)
	}
	d.SetSignal(SigGopherStopWords, stop)
	return g.decide(d.Signals, p, lang, m)
}

// Decide re-applies the thresholds to stored signals.
func (g *GopherQuality) Decide(s map[string]float64, lang string) pipeline.Outcome {
	p, lang := g.langs.lookup(lang, g.cfg.DefaultLanguage)
	return g.decide(s, p, lang, nil)
}

func (g *GopherQuality) decide(s map[string]float64, p *LanguageParams, lang string, m *pipeline.Metrics) pipeline.Outcome {
	c := g.cfg
	words := s[SigGopherWordCount]
	if !ruleOff(p, RuleDocWords, lang, m) {
		if c.MinDocWords > 0 && words < float64(c.MinDocWords) {
			return pipeline.DropFor("gopher_short_doc")
		}
		if c.MaxDocWords > 0 && words > float64(c.MaxDocWords) {
			return pipeline.DropFor("gopher_long_doc")
		}
	}
	if !ruleOff(p, RuleAvgWordLength, lang, m) {
		minLen, maxLen := c.MinAvgWordLength, c.MaxAvgWordLength
		if p != nil {
			minLen, maxLen = orDefault(p.MinAvgWordLength, minLen), orDefault(p.MaxAvgWordLength, maxLen)
		}
		mean := s[SigGopherMeanWordLength]
		if minLen > 0 && mean < minLen {
			return pipeline.DropFor("gopher_below_avg_threshold")
		}
		if maxLen > 0 && mean > maxLen {
			return pipeline.DropFor("gopher_above_avg_threshold")
		}
	}
	if c.MaxSymbolWordRatio > 0 && !ruleOff(p, RuleSymbolRatio, lang, m) {
		if s[SigGopherHashRatio] > c.MaxSymbolWordRatio {
			return pipeline.DropFor("gopher_too_many_hashes")
		}
		if s[SigGopherEllipsisRatio] > c.MaxSymbolWordRatio {
			return pipeline.DropFor("gopher_too_many_ellipsis")
		}
	}
	if c.MaxBulletLinesRatio > 0 && !ruleOff(p, RuleBulletLines, lang, m) && s[SigGopherBulletLines] > c.MaxBulletLinesRatio {
		return pipeline.DropFor("gopher_too_many_bullets")
	}
	if c.MaxEllipsisLinesRatio > 0 && !ruleOff(p, RuleEllipsisLines, lang, m) && s[SigGopherEllipsisLines] > c.MaxEllipsisLinesRatio {
		return pipeline.DropFor("gopher_too_many_end_ellipsis")
	}
	if !ruleOff(p, RuleAlphaWords, lang, m) {
		minAlpha := c.MaxNonAlphaWordsRatio
		if p != nil {
			minAlpha = orDefault(p.MaxNonAlphaWordsRatio, minAlpha)
		}
		if minAlpha > 0 && s[SigGopherAlphaWordsRatio] < minAlpha {
			return pipeline.DropFor("gopher_below_alpha_threshold")
		}
	}
	if c.MinStopWords > 0 && !ruleOff(p, RuleStopWords, lang, m) {
		stop := s[SigGopherStopWords]
		if stop < 0 {
			if m != nil {
				m.Add("rule_off_for_language:"+RuleStopWords+":"+lang, 1)
			}
		} else if stop < float64(c.MinStopWords) {
			return pipeline.DropFor("gopher_enough_stop_words")
		}
	}
	return pipeline.Keep
}

// ratio returns a/b, or 0 when b is 0 (an empty document has no ratio; the
// count rules drop it).
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
