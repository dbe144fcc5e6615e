package filter

import (
	"fmt"
	"strings"
	"testing"
)

// filler returns n distinct alphabetic words of exactly length letters
// ("baab", "baac", ...), none of them a stop word.
func filler(n, length int) []string {
	out := make([]string, n)
	for i := range out {
		w := []byte(strings.Repeat("b", length))
		for k, x := length-1, i+1; k > 0 && x > 0; k, x = k-1, x/20 {
			w[k] = "bcdfghjklmnpqrstvwxz"[x%20]
		}
		out[i] = string(w)
	}
	return out
}

// proseDoc is a document that passes every Gopher quality rule: n words of
// length 4 including two stop words, on lines of ten words ending with ".".
func proseDoc(n int) []string {
	words := append([]string{"the", "with"}, filler(n-2, 4)...)
	return words
}

func lines(words []string, perLine int, end string) string {
	var b strings.Builder
	for i, w := range words {
		b.WriteString(w)
		if (i+1)%perLine == 0 || i == len(words)-1 {
			b.WriteString(end)
			b.WriteString("\n")
		} else {
			b.WriteString(" ")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func gopherOutcome(t *testing.T, cfg GopherQualityConfig, text, lang string) (string, map[string]float64) {
	t.Helper()
	g, err := NewGopherQuality(cfg)
	must(t, err)
	d := doc(text, lang)
	o := g.Process(d, nil)
	if r := g.Decide(d.Signals, lang); r != o {
		t.Fatalf("Decide %v != Process %v", r, o)
	}
	return o.Reason, d.Signals
}

func TestGopherQualityThresholds(t *testing.T) {
	def := DefaultGopherQualityConfig()
	cases := []struct {
		name, text, want string
	}{
		// min_doc_words 50: non-symbol words (periods do not count).
		{"50 words keep", lines(proseDoc(50), 10, "."), ""},
		{"49 words drop", lines(proseDoc(49), 10, "."), "gopher_short_doc"},
		// mean word length >= 3: fifty 3-letter words keep, one 2-letter
		// word pulls the mean to 2.98.
		{"mean 3 keep", lines(append([]string{"the", "had", "and"}, filler(47, 3)...), 10, "."), ""},
		{"mean below 3 drop", lines(append([]string{"the", "of", "and"}, filler(47, 3)...), 10, "."), "gopher_below_avg_threshold"},
		// mean <= 10.
		{"mean 10 keep", lines(append([]string{"the", "with"}, filler(48, 10)...), 10, "."),
			reasonIf(mean(append([]string{"the", "with"}, filler(48, 10)...)) > 10, "gopher_above_avg_threshold")},
		{"mean above 10 drop", lines(append([]string{"the", "with"}, filler(48, 12)...), 10, "."), "gopher_above_avg_threshold"},
		// "#" per token <= 0.1: 60 words + 5 periods + 7 hashes = 72
		// tokens, 7/72 keep; 9 hashes: 9/74 > 0.1 drop.
		{"hashes keep", lines(proseDoc(60), 12, ".") + strings.Repeat(" #", 7), ""},
		{"hashes drop", lines(proseDoc(60), 12, ".") + strings.Repeat(" #", 9), "gopher_too_many_hashes"},
		// "…" per token: same arithmetic (inside the line, not at its end).
		{"ellipsis keep", strings.Replace(lines(proseDoc(60), 12, "."), "the", "the"+strings.Repeat(" …", 7), 1), ""},
		{"ellipsis drop", strings.Replace(lines(proseDoc(60), 12, "."), "the", "the"+strings.Repeat(" …", 9), 1), "gopher_too_many_ellipsis"},
		// bullet lines <= 90%: 9 of 10 keep, 10 of 10 drop.
		{"bullets keep", bulleted(lines(proseDoc(120), 12, ""), 9), ""},
		{"bullets drop", bulleted(lines(proseDoc(120), 12, ""), 10), "gopher_too_many_bullets"},
		// lines ending in an ellipsis <= 30%: 3 of 10 keep, 4 drop.
		{"end ellipsis keep", endEllipsis(lines(proseDoc(100), 10, "."), 3), ""},
		{"end ellipsis drop", endEllipsis(lines(proseDoc(100), 10, "."), 4), "gopher_too_many_end_ellipsis"},
		// tokens with a letter >= 80%: 80 words + 20 numbers keep (no
		// punctuation), 21 numbers drop.
		{"alpha keep", strings.Join(append(proseDoc(80), numbers(20)...), " "), ""},
		{"alpha drop", strings.Join(append(proseDoc(80), numbers(21)...), " "), "gopher_below_alpha_threshold"},
		// >= 2 stop words.
		{"2 stop words keep", strings.Join(append([]string{"the", "to"}, filler(60, 4)...), " "), ""},
		{"1 stop word drop", strings.Join(append([]string{"the"}, filler(60, 4)...), " "), "gopher_enough_stop_words"},
		{"capitalised stop word does not count", strings.Join(append([]string{"The", "to"}, filler(60, 4)...), " "), "gopher_enough_stop_words"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, s := gopherOutcome(t, def, c.text, "en")
			if got != c.want {
				t.Errorf("reason %q, want %q; signals %v", got, c.want, s)
			}
		})
	}
}

func TestGopherQualityLongDoc(t *testing.T) {
	cfg := DefaultGopherQualityConfig()
	g, err := NewGopherQuality(cfg)
	must(t, err)
	s := map[string]float64{SigGopherWordCount: 100000, SigGopherMeanWordLength: 5, SigGopherAlphaWordsRatio: 1, SigGopherStopWords: 10}
	if o := g.Decide(s, "en"); o.Drop {
		t.Errorf("100000 words dropped: %v", o)
	}
	s[SigGopherWordCount] = 100001
	if o := g.Decide(s, "en"); o.Reason != "gopher_long_doc" {
		t.Errorf("100001 words: %v", o)
	}
}

func TestGopherQualityZeroDisablesRule(t *testing.T) {
	cfg := DefaultGopherQualityConfig()
	cfg.MinDocWords = 0
	if got, _ := gopherOutcome(t, cfg, lines(proseDoc(10), 10, "."), "en"); got != "" {
		t.Errorf("min_doc_words 0 still drops: %s", got)
	}
}

func TestGopherQualityPerLanguage(t *testing.T) {
	g, err := NewGopherQuality(DefaultGopherQualityConfig())
	must(t, err)
	// German has its own stop words: English ones do not count there.
	de := strings.Join(append([]string{"der", "und"}, filler(60, 5)...), " ")
	if o := g.Process(doc(de, "de"), nil); o.Drop {
		t.Errorf("German with German stop words dropped: %v", o)
	}
	en := strings.Join(append([]string{"the", "and"}, filler(60, 5)...), " ")
	if o := g.Process(doc(en, "de"), nil); o.Reason != "gopher_enough_stop_words" {
		t.Errorf("German page with only English stop words: %v", o)
	}
	// A language without a stop list: the rule is off and counted.
	var m pipelineMetrics
	if o := g.Process(doc(strings.Join(filler(60, 5), " "), "sw"), &m.Metrics); o.Drop {
		t.Errorf("Swahili dropped for missing stop words: %v", o)
	}
	if m.Counts["rule_off_for_language:stop_words:sw"] != 1 {
		t.Errorf("counts %v", m.Counts)
	}
	// Thai: word length is off (one word per grapheme).
	th := strings.Repeat("ภาษาไทยง่ายนิดเดียว ", 10)
	if o := g.Process(doc(th, "th"), &m.Metrics); o.Reason == "gopher_below_avg_threshold" {
		t.Errorf("Thai dropped for word length: %v", o)
	}
	if m.Counts["rule_off_for_language:avg_word_length:th"] != 1 {
		t.Errorf("counts %v", m.Counts)
	}
}

func bulleted(text string, n int) string {
	ls := strings.Split(text, "\n")
	for i := 0; i < n && i < len(ls); i++ {
		if i%2 == 0 {
			ls[i] = "• " + ls[i]
		} else {
			ls[i] = "  - " + ls[i]
		}
	}
	return strings.Join(ls, "\n")
}

func endEllipsis(text string, n int) string {
	ls := strings.Split(text, "\n")
	for i := 0; i < n; i++ {
		ls[i] = strings.TrimSuffix(ls[i], ".") + "..."
	}
	return strings.Join(ls, "\n")
}

func numbers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(1000 + i)
	}
	return out
}

func mean(ws []string) float64 {
	n := 0
	for _, w := range ws {
		n += len(w)
	}
	return float64(n) / float64(len(ws))
}

func reasonIf(cond bool, r string) string {
	if cond {
		return r
	}
	return ""
}

// TestGopherStopWordCounting: the departure from datatrove as a parameter.
// "the the the ..." holds many stop-word occurrences but one distinct stop
// word: FineWeb v1's datatrove (occurrences) keeps it, datatrove since its
// PR #329 (distinct) drops it for having fewer than 2 stop words.
func TestGopherStopWordCounting(t *testing.T) {
	text := strings.Repeat("the quick brown fox jumps over lazy dogs while running home today ", 6)
	for mode, want := range map[string]string{StopWordsOccurrences: "", StopWordsDistinct: "gopher_enough_stop_words"} {
		cfg := DefaultGopherQualityConfig()
		cfg.StopWordCount = mode
		g, err := NewGopherQuality(cfg)
		must(t, err)
		d := doc(text, "en")
		if o := g.Process(d, nil); o.Reason != want {
			t.Errorf("%s: %q, want %q (stop words counted %v)", mode, o.Reason, want, d.Signals[SigGopherStopWords])
		}
	}
	cfg := DefaultGopherQualityConfig()
	cfg.StopWordCount = "some"
	if _, err := NewGopherQuality(cfg); err == nil {
		t.Error("stop_word_count: some accepted")
	}
}

// TestGopherCustomStopWordsWithLanguageTable: a stop_words list set in the
// config is used for the default language even with the language table on
// (the shipped English list used to win).
func TestGopherCustomStopWordsWithLanguageTable(t *testing.T) {
	text := strings.Repeat("le chat noir dort sur la table de la cuisine avec le chien ", 6)
	cfg := DefaultGopherQualityConfig()
	g, err := NewGopherQuality(cfg)
	must(t, err)
	if o := g.Process(doc(text, "en"), nil); o.Reason != "gopher_enough_stop_words" {
		t.Fatalf("English stop words: %q", o.Reason)
	}
	cfg.StopWords = []string{"le", "la", "de"}
	g, err = NewGopherQuality(cfg)
	must(t, err)
	d := doc(text, "en")
	if o := g.Process(d, nil); o.Reason != "" {
		t.Errorf("custom stop words ignored: %q, %v stop words", o.Reason, d.Signals[SigGopherStopWords])
	}
	// Another language keeps its table list.
	d = doc(text, "de")
	g.Process(d, nil)
	if d.Signals[SigGopherStopWords] >= 0 && d.Signals[SigGopherStopWords] > 20 {
		t.Errorf("German documents counted the custom list: %v", d.Signals[SigGopherStopWords])
	}
}
