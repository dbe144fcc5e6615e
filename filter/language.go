package filter

import (
	_ "embed"
	"fmt"
	"os"
	"strings"

	"github.com/sieve-data/sieve/pipeline"
	"go.yaml.in/yaml/v3"
)

// Rule names used in a language's "off" list and in the
// rule_off_for_language:<rule>:<lang> counters.
const (
	RuleDocWords       = "doc_words"
	RuleAvgWordLength  = "avg_word_length"
	RuleSymbolRatio    = "symbol_ratio"
	RuleBulletLines    = "bullet_lines"
	RuleEllipsisLines  = "ellipsis_lines"
	RuleAlphaWords     = "alpha_words"
	RuleStopWords      = "stop_words"
	RuleDupPara        = "dup_para"
	RuleDupLine        = "dup_line"
	RuleTopNGrams      = "top_n_grams"
	RuleDupNGrams      = "dup_n_grams"
	RuleLinePunct      = "line_punct"
	RuleShortLines     = "short_lines"
	RuleCharDup        = "char_dup"
	RuleNewLineRatio   = "new_line_ratio"
	RuleC4TerminalPunc = "c4_terminal_punct"
)

// NGramThreshold is one (n, fraction) pair, written [n, fraction] in YAML
// as in datatrove and FineWeb-2.
type NGramThreshold struct {
	N    int
	Frac float64
}

// UnmarshalYAML reads the [n, fraction] form.
func (t *NGramThreshold) UnmarshalYAML(v *yaml.Node) error {
	var pair []float64
	if err := v.Decode(&pair); err != nil || len(pair) != 2 {
		return fmt.Errorf("line %d: an n-gram threshold is written [n, fraction]", v.Line)
	}
	if pair[0] != float64(int(pair[0])) {
		return fmt.Errorf("line %d: n-gram size %v is not an integer", v.Line, pair[0])
	}
	t.N, t.Frac = int(pair[0]), pair[1]
	return nil
}

// MarshalYAML writes the [n, fraction] form.
func (t NGramThreshold) MarshalYAML() (any, error) { return []float64{float64(t.N), t.Frac}, nil }

// LanguageParams are one language's overrides. Nil fields keep the step's
// configured value. Keys are FineWeb-2's (configs/{lang}_{script}.yml).
type LanguageParams struct {
	DupLineFrac           *float64         `yaml:"dup_line_frac"`
	TopNGrams             []NGramThreshold `yaml:"top_n_grams"`
	DupNGrams             []NGramThreshold `yaml:"dup_n_grams"`
	LinePunctThr          *float64         `yaml:"line_punct_thr"`
	NewLineRatio          *float64         `yaml:"new_line_ratio"`
	MinAvgWordLength      *float64         `yaml:"min_avg_word_length"`
	MaxAvgWordLength      *float64         `yaml:"max_avg_word_length"`
	MaxNonAlphaWordsRatio *float64         `yaml:"max_non_alpha_words_ratio"`
	StopWords             []string         `yaml:"stopwords"`
	// EndPunctuation replaces the line-ending marks of the FineWeb and C4
	// rules (default . ' " ! ?), e.g. to add 。for Chinese.
	EndPunctuation []string `yaml:"end_punctuation"`
	// Off lists rules that have no sensible value for this language.
	Off []string `yaml:"off"`
	// LanguageScore is FineWeb-2's langid threshold; kept for reference.
	LanguageScore *float64 `yaml:"language_score"`

	off        map[string]bool
	stopWords  map[string]struct{}
	stopFilter stopWordFilter // prefilter for stopWords
}

// IsOff reports whether rule is switched off for this language.
func (p *LanguageParams) IsOff(rule string) bool { return p != nil && p.off[rule] }

// LanguageTable maps ISO 639-1 codes to their parameters.
type LanguageTable map[string]*LanguageParams

//go:embed data/languages.yaml
var defaultLanguagesYAML []byte

var defaultLanguages = mustParseLanguages(defaultLanguagesYAML)

func mustParseLanguages(b []byte) LanguageTable {
	t, err := ParseLanguageTable(b)
	if err != nil {
		panic("filter: embedded data/languages.yaml: " + err.Error())
	}
	return t
}

// DefaultLanguageTable returns the shipped per-language table (FineWeb-2's
// thresholds and stop words for the 20 largest Common Crawl languages).
func DefaultLanguageTable() LanguageTable { return defaultLanguages }

// ParseLanguageTable reads a YAML map from language code to parameters.
func ParseLanguageTable(b []byte) (LanguageTable, error) {
	var t LanguageTable
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("language table: %w", err)
	}
	for lang, p := range t {
		if p == nil {
			p = &LanguageParams{}
			t[lang] = p
		}
		p.off = map[string]bool{}
		for _, r := range p.Off {
			p.off[r] = true
		}
		if p.StopWords != nil {
			p.stopWords = make(map[string]struct{}, len(p.StopWords))
			for _, w := range p.StopWords {
				p.stopWords[w] = struct{}{}
			}
			p.stopFilter = newStopWordFilter(p.StopWords)
		}
	}
	return t, nil
}

// LoadLanguageTable reads a table file and lays it over the shipped one:
// a language in the file replaces the shipped entry key by key.
func LoadLanguageTable(path string) (LanguageTable, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	over, err := ParseLanguageTable(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	merged := LanguageTable{}
	for k, v := range defaultLanguages {
		merged[k] = v
	}
	for k, v := range over {
		if base, ok := merged[k]; ok {
			v = mergeParams(base, v)
		}
		merged[k] = v
	}
	return merged, nil
}

func mergeParams(base, over *LanguageParams) *LanguageParams {
	m := *base
	pick := func(dst **float64, v *float64) {
		if v != nil {
			*dst = v
		}
	}
	pick(&m.DupLineFrac, over.DupLineFrac)
	pick(&m.LinePunctThr, over.LinePunctThr)
	pick(&m.NewLineRatio, over.NewLineRatio)
	pick(&m.MinAvgWordLength, over.MinAvgWordLength)
	pick(&m.MaxAvgWordLength, over.MaxAvgWordLength)
	pick(&m.MaxNonAlphaWordsRatio, over.MaxNonAlphaWordsRatio)
	pick(&m.LanguageScore, over.LanguageScore)
	if over.TopNGrams != nil {
		m.TopNGrams = over.TopNGrams
	}
	if over.DupNGrams != nil {
		m.DupNGrams = over.DupNGrams
	}
	if over.StopWords != nil {
		m.StopWords, m.stopWords, m.stopFilter = over.StopWords, over.stopWords, over.stopFilter
	}
	if over.EndPunctuation != nil {
		m.EndPunctuation = over.EndPunctuation
	}
	if over.Off != nil {
		m.Off, m.off = over.Off, over.off
	}
	return &m
}

// tableFor loads the table a step config names ("" = shipped table,
// "none" = no per-language overrides).
func tableFor(path string) (LanguageTable, error) {
	switch path {
	case "":
		return defaultLanguages, nil
	case "none":
		return LanguageTable{}, nil
	}
	return LoadLanguageTable(path)
}

// lookup returns the parameters for a document language; "" and "und"
// count as defaultLang.
func (t LanguageTable) lookup(lang, defaultLang string) (*LanguageParams, string) {
	if lang == "" || lang == "und" {
		lang = defaultLang
	}
	return t[lang], lang
}

// ruleOff reports (and counts) a rule that is off for a language.
func ruleOff(p *LanguageParams, rule, lang string, m *pipeline.Metrics) bool {
	if !p.IsOff(rule) {
		return false
	}
	if m != nil {
		m.Add("rule_off_for_language:"+rule+":"+lang, 1)
	}
	return true
}

func orDefault(v *float64, def float64) float64 {
	if v != nil {
		return *v
	}
	return def
}

// defaultEndPunctuation is datatrove's C4 END_PUNCTUATION and FineWeb's
// stop_chars.
var defaultEndPunctuation = []string{".", "'", "\"", "!", "?"}

func endPunctuation(p *LanguageParams) []string {
	if p != nil && p.EndPunctuation != nil {
		return p.EndPunctuation
	}
	return defaultEndPunctuation
}

func hasAnySuffix(s string, suffixes []string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}
