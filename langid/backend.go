package langid

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/sieve-data/sieve/langid/fasttext"
	"github.com/sieve-data/sieve/langid/langcode"
)

// Backends of the langid step (Config.Backend).
const (
	// BackendCombined (the default) answers with lingua for lingua's 75
	// languages and with the fastText model for the others: see detect
	// Combined and NOTE.md.
	BackendCombined = "combined"
	// BackendLingua is lingua alone (75 languages), as before issue 14.
	BackendLingua = "lingua"
	// BackendFastText is the fastText model alone (lid.176: 176
	// languages; GlotLID: ~2,000 language-script labels).
	BackendFastText = "fasttext"
)

// DefaultFastTextMinScore is the fastText probability the combined
// backend needs before it answers with a language lingua lacks, and the
// fasttext backend needs for any answer. Calibrated on lingua's sentences
// (agreement with lingua alone) and on the out-of-lingua texts: NOTE.md.
const DefaultFastTextMinScore = 0.5

// ftLabel is one fastText label as the language column spells it.
type ftLabel struct {
	code   string // langcode.Canonical, or "xx_Scrp" for GlotLID labels
	lang   string // langcode.Canonical, without script
	lingua bool   // a language lingua knows (or a macro-language over them)
}

// lid176Fixes are lid.176 labels that are Wikipedia codes, not ISO codes
// of the same language: "als" is Alemannic on Wikipedia (ISO 639-3 gsw)
// but Tosk Albanian in ISO 639-3.
var lid176Fixes = map[string]string{"als": "gsw"}

// linguaFamilies are fastText labels that name a group of lingua's
// languages: the combined backend lets lingua choose among them.
var linguaFamilies = map[string]bool{"sh": true /* Serbo-Croatian: bs, hr, sr */}

// fastTextLabels maps a model's labels to language codes. Labels of the
// form xxx_Scrp (GlotLID) keep their script: "srp_Cyrl" → "sr_Cyrl".
func fastTextLabels(m *fasttext.Model) []ftLabel {
	out := make([]ftLabel, len(m.Labels()))
	for i, l := range m.Labels() {
		raw := fasttext.TrimLabel(l)
		lang, script, hasScript := strings.Cut(raw, "_")
		if f, ok := lid176Fixes[lang]; ok && !hasScript {
			lang = f
		}
		code := langcode.Canonical(lang)
		_, known := codeIndex[code]
		out[i] = ftLabel{code: code, lang: code, lingua: known || linguaFamilies[code]}
		if hasScript && script != "" {
			out[i].code = code + "_" + script
		}
	}
	return out
}

// loadFastText returns the configured model (a path, or the embedded
// lid.176.ftz) and its label table.
func loadFastText(path string) (*fasttext.Model, []ftLabel, error) {
	var m *fasttext.Model
	var err error
	if path == "" {
		m, err = fasttext.LID176()
	} else {
		m, err = fasttext.Load(path)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("langid: %w", err)
	}
	return m, fastTextLabels(m), nil
}

// detectFastText answers with the fastText model alone.
func (d *Detector) detectFastText(text string, s *scratch) (lang string, score float32, runnerUp string, runnerUpScore float32) {
	s.ft = d.ft.Predict(text, 2, 0, s.ft)
	if len(s.ft) == 0 || s.ft[0].Prob < d.ftMin || !hasLetter(text) {
		return Undetermined, 0, "", 0
	}
	return d.fastTextAnswer(s, false)
}

// fastTextAnswer turns the predictions in s.ft (at least one) into the
// detector's answer; bare drops GlotLID's script (the combined backend
// answering for lingua, which names languages without one).
func (d *Detector) fastTextAnswer(s *scratch, bare bool) (lang string, score float32, runnerUp string, runnerUpScore float32) {
	code := func(i int) string {
		if bare {
			return d.ftLabels[i].lang
		}
		return d.ftLabels[i].code
	}
	lang, score = code(s.ft[0].Index), unit(s.ft[0].Prob)
	if len(s.ft) > 1 {
		runnerUp, runnerUpScore = code(s.ft[1].Index), unit(s.ft[1].Prob)
	}
	return lang, score, runnerUp, runnerUpScore
}

// fastTextSure is the fastText probability above which the combined
// backend takes fastText's answer for one of lingua's languages without
// asking lingua (outside linguaFineGrained): on lingua's sentences the
// two agree on 99.0% of such texts (where they differ, lid.176 is right
// slightly more often: combined accuracy 96.2% against lingua's 96.1%),
// and lingua's cost is saved on most long documents (NOTE.md). 0.95
// agreed more (99.5% overall) but saved less.
const fastTextSure = 0.90

// linguaFineGrained are lingua languages that lid.176 separates less
// well than lingua (close relatives): lingua always decides them.
var linguaFineGrained = map[string]bool{"bs": true, "hr": true, "sr": true, "sh": true,
	"nb": true, "nn": true, "da": true, "id": true, "ms": true}

// detectCombined runs the fastText model first, on the same sample.
// When it names, with at least ftMin probability, a language lingua does
// not know, that is the answer; when it is sure (fastTextSure) of one of
// lingua's languages that lingua does not split finer, that is the answer
// too; otherwise lingua answers, as it did alone, and fastText only fills
// in where lingua has no answer at all (und).
func (d *Detector) detectCombined(text string, s *scratch) (lang string, score float32, runnerUp string, runnerUpScore float32) {
	s.ft = d.ft.Predict(text, 2, 0, s.ft)
	if len(s.ft) > 0 && s.ft[0].Prob >= d.ftMin && hasLetter(text) {
		l := d.ftLabels[s.ft[0].Index]
		if !l.lingua {
			return d.fastTextAnswer(s, false)
		}
		if d.ftSkipLingua && s.ft[0].Prob >= fastTextSure && !linguaFineGrained[l.lang] {
			return d.fastTextAnswer(s, true)
		}
	}
	lang, score, runnerUp, runnerUpScore = d.detectLingua(text, s)
	if lang == Undetermined && len(s.ft) > 0 && s.ft[0].Prob >= d.ftMin && hasLetter(text) {
		return d.ftLabels[s.ft[0].Index].code, unit(s.ft[0].Prob), "", 0
	}
	return lang, score, runnerUp, runnerUpScore
}

// hasLetter reports whether text has a letter of any script: text without
// one (numbers, punctuation) is und whatever a model would guess.
func hasLetter(text string) bool {
	for _, r := range text {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// unit caps a fastText probability at 1: fastText reports exp(log(p +
// 1e-5)), which exceeds 1 by up to 1e-5 for a sure answer, and
// language_score is a probability.
func unit(p float32) float32 { return min(p, 1) }
