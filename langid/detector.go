package langid

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sieve-data/sieve/langid/fasttext"
)

// Undetermined is the language code for text without a decision: no
// letters, or lingua's answer would be Unknown.
const Undetermined = "und"

// DefaultMaxChars is how many characters of a document Detect examines by
// default (in several windows spread over the text). Calibrated on the
// shared real pages: see the package note in doc.go.
const DefaultMaxChars = 1000

// Config configures a Detector.
type Config struct {
	// Languages are the candidate languages as ISO 639-1 codes; empty means
	// all 75 languages lingua-go knows. A list makes the combined backend
	// lingua alone, so that every answer is one of them.
	Languages []string `yaml:"languages"`
	// LowAccuracy is lingua's low-accuracy mode: trigrams only, also for
	// short texts, and no answer under three letters.
	LowAccuracy bool `yaml:"low_accuracy"`
	// MaxChars bounds the text examined per document: longer texts are
	// sampled in windows spread over the whole text. 0 means
	// DefaultMaxChars; a negative value examines all of the text.
	MaxChars int `yaml:"max_chars"`
	// Backend is "combined" (the default: lingua for its 75 languages,
	// the fastText model for the rest), "lingua" or "fasttext".
	Backend string `yaml:"backend"`
	// FastTextModel is a fastText language-identification model file
	// (lid.176.bin/.ftz, GlotLID's model.bin); empty means the embedded
	// lid.176.ftz.
	FastTextModel string `yaml:"fasttext_model"`
	// FastTextMinScore is the probability a fastText answer needs (see
	// DefaultFastTextMinScore); 0 in a Config means the default.
	FastTextMinScore float64 `yaml:"fasttext_min_score"`
}

// DefaultConfig returns the defaults: all languages, high accuracy,
// DefaultMaxChars examined.
func DefaultConfig() Config {
	return Config{MaxChars: DefaultMaxChars, Backend: BackendCombined, FastTextMinScore: DefaultFastTextMinScore}
}

// Detector identifies the language of texts. It ranks languages exactly as
// lingua-go v1.4.0 does (same rules, same n-gram models, same back-off and
// confidence formula) but over packed tables, so it is about two orders of
// magnitude faster. One Detector is safe for concurrent use; the model
// tables are shared by all detectors of a process.
type Detector struct {
	backend  string
	ft       *fasttext.Model
	ftLabels []ftLabel
	ftMin    float32
	// ftSkipLingua: the model's labels include lingua's codes (lid.176,
	// GlotLID), so a sure fastText answer may stand for lingua's.
	ftSkipLingua bool
	rules        *ruleData
	lowAcc       bool
	maxChars     int
	scratches    sync.Pool
}

// scratch is one goroutine's working memory, reused between documents.
type scratch struct {
	words  words
	rules  ruleCounts
	scores scores
	sample []byte
	ft     []fasttext.Prediction
}

// NewDetector builds a detector. The first call in a process loads the
// models it needs (about a second for long texts' trigram tables); longer
// n-gram tables for texts under 120 letters load on first use.
func NewDetector(cfg Config) (*Detector, error) {
	var candidate [numLanguages]bool
	if len(cfg.Languages) == 0 {
		for l := range candidate {
			candidate[l] = true
		}
	}
	for _, code := range cfg.Languages {
		l, ok := codeIndex[strings.ToLower(strings.TrimSpace(code))]
		if !ok {
			return nil, fmt.Errorf("langid: unknown language code %q (want an ISO 639-1 code lingua knows: %s)", code, strings.Join(languageCodes[:], ", "))
		}
		candidate[l] = true
	}
	if countTrue(&candidate) < 2 {
		return nil, fmt.Errorf("langid: need at least two candidate languages, got %v (to keep one language, use the language_filter step)", cfg.Languages)
	}
	maxChars := cfg.MaxChars
	if maxChars == 0 {
		maxChars = DefaultMaxChars
	}
	if maxChars > 0 && maxChars < minSampleChars {
		return nil, fmt.Errorf("langid: max_chars %d is below the minimum of %d", maxChars, minSampleChars)
	}
	if _, err := tablesUpTo(3); err != nil {
		return nil, err
	}
	d := &Detector{rules: newRuleData(candidate), lowAcc: cfg.LowAccuracy, maxChars: maxChars}
	d.scratches.New = func() any { return new(scratch) }
	switch cfg.Backend {
	case "", BackendCombined:
		d.backend = BackendCombined
		if len(cfg.Languages) > 0 {
			d.backend = BackendLingua // a candidate list is lingua's: answers stay among them
		}
	case BackendLingua, BackendFastText:
		d.backend = cfg.Backend
	default:
		return nil, fmt.Errorf("langid: unknown backend %q (want %s, %s or %s)", cfg.Backend, BackendCombined, BackendLingua, BackendFastText)
	}
	if !(cfg.FastTextMinScore >= 0 && cfg.FastTextMinScore <= 1) {
		return nil, fmt.Errorf("langid: fasttext_min_score %v is not between 0 and 1", cfg.FastTextMinScore)
	}
	d.ftMin = float32(cfg.FastTextMinScore)
	if cfg.FastTextMinScore == 0 {
		d.ftMin = DefaultFastTextMinScore
	}
	if d.backend != BackendLingua {
		var err error
		if d.ft, d.ftLabels, err = loadFastText(cfg.FastTextModel); err != nil {
			return nil, err
		}
		d.ftSkipLingua = true
	}
	return d, nil
}

// Languages returns the candidate languages' codes.
func (d *Detector) Languages() []string {
	var out []string
	for l, ok := range d.rules.candidate {
		if ok {
			out = append(out, languageCodes[l])
		}
	}
	return out
}

// Detect returns the text's language (ISO 639-1, or "und"), lingua's
// confidence for it (0 to 1), and the runner-up language with its
// confidence ("" and 0 when there is none).
func (d *Detector) Detect(text string) (lang string, score float32, runnerUp string, runnerUpScore float32) {
	s := d.scratches.Get().(*scratch)
	defer d.scratches.Put(s)
	if d.maxChars > 0 {
		text = s.sampleOf(text, d.maxChars)
	}
	switch d.backend {
	case BackendLingua:
		return d.detectLingua(text, s)
	case BackendFastText:
		return d.detectFastText(text, s)
	}
	return d.detectCombined(text, s)
}

// Backend returns the backend in use.
func (d *Detector) Backend() string { return d.backend }

// detectLingua is lingua's answer for an already sampled text.
func (d *Detector) detectLingua(text string, s *scratch) (lang string, score float32, runnerUp string, runnerUpScore float32) {
	best, bestConf, second, secondConf := d.detect(text, s)
	if best < 0 {
		lang = Undetermined
	} else {
		lang, score = languageCodes[best], float32(bestConf)
	}
	if second >= 0 && secondConf > 0 {
		runnerUp, runnerUpScore = languageCodes[second], float32(secondConf)
	}
	return lang, score, runnerUp, runnerUpScore
}

// detect follows lingua-go's ComputeLanguageConfidenceValues step by step.
func (d *Detector) detect(text string, s *scratch) (best int, bestConf float64, second int, secondConf float64) {
	w := &s.words
	w.split(text, &models)
	if w.count() == 0 {
		return -1, 0, -1, 0
	}
	// 1. Rules: alphabets and letters that name one language.
	if l := d.rules.detectByRules(w, &s.rules); l != unknownLang {
		if !d.rules.candidate[l] {
			return -1, 0, -1, 0 // lingua: a rule named a language the detector lacks
		}
		return l, 1, -1, 0
	}
	// 2. Narrow the candidates by alphabet and shared letters.
	var keep [numLanguages]bool
	kept := d.rules.filterByRules(w, &s.rules, &keep)
	if kept == 1 {
		for l, ok := range keep {
			if ok {
				return l, 1, -1, 0
			}
		}
	}
	// 3. Sum n-gram log-probabilities: trigrams for 120 letters or more
	// (and always in low-accuracy mode), 1- to 5-grams below.
	letters := len(w.runes)
	if d.lowAcc && letters < 3 {
		return -1, 0, -1, 0
	}
	lengths := []int{3}
	if letters < 120 && !d.lowAcc {
		lengths = []int{1, 2, 3, 4, 5}
	}
	ts, err := tablesUpTo(lengths[len(lengths)-1])
	if err != nil {
		return -1, 0, -1, 0 // only the lazily built 4- and 5-gram tables can fail here; TestMatchesLingua builds them
	}
	for _, n := range lengths {
		s.scores.scoreLength(w, n, ts)
	}
	return s.scores.verdict(&keep, lengths)
}

var tableSets [maxNgram + 1]atomic.Pointer[tableSet]

// tablesUpTo returns the shared tables for n-grams up to length maxN,
// building what is missing.
func tablesUpTo(maxN int) (*tableSet, error) {
	if ts := tableSets[maxN].Load(); ts != nil {
		return ts, nil
	}
	if ts := tablesFromCache(); ts != nil {
		tableSets[maxN].Store(ts)
		return ts, nil
	}
	ts := &tableSet{}
	for n := 1; n <= maxN; n++ {
		t, err := models.table(n)
		if err != nil {
			return nil, err
		}
		ts.plain[n] = t
	}
	for n := 2; n <= min(maxN, 3); n++ {
		t, err := models.backoffTable(n)
		if err != nil {
			return nil, err
		}
		ts.backoff[n] = t
	}
	tableSets[maxN].Store(ts)
	return ts, nil
}
