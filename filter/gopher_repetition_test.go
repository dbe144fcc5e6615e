package filter

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The reference below follows datatrove's definitions literally with
// joined strings and maps, to check the hashed implementation.

func refTopNGramChars(words []string, n int) int {
	if len(words) < n {
		return 0
	}
	count := map[string]int{}
	var order []string
	for i := 0; i+n <= len(words); i++ {
		g := strings.Join(words[i:i+n], " ")
		if count[g] == 0 {
			order = append(order, g)
		}
		count[g]++
	}
	best := order[0]
	for _, g := range order {
		if count[g] > count[best] {
			best = g
		}
	}
	return utf8.RuneCountInString(best) * count[best]
}

func refDupNGramChars(words []string, n int) int {
	seen := map[string]bool{}
	rep := 0
	for i := 0; i < len(words)-n+1; {
		// Length-prefixed tokens make the key unambiguous even for tokens
		// that contain NUL bytes (the fuzzer feeds those).
		var key strings.Builder
		chars := 0
		for _, w := range words[i : i+n] {
			key.WriteString(strconv.Itoa(len(w)))
			key.WriteByte(':')
			key.WriteString(w)
			chars += utf8.RuneCountInString(w)
		}
		g := key.String()
		if seen[g] {
			rep += chars
			i += n
		} else {
			seen[g] = true
			i++
		}
	}
	return rep
}

func TestGopherRepetitionMatchesReferenceOnRealPages(t *testing.T) {
	g, err := NewGopherRepetition(DefaultGopherRepetitionConfig())
	must(t, err)
	for name, lang := range realPageLang {
		text := pageText(t, name)
		d := doc(text, lang)
		g.Process(d, nil)
		a := AnalysisOf(d)
		for n := 2; n <= 4; n++ {
			want := float64(refTopNGramChars(a.Tokens, n)) / float64(a.Runes)
			if got := d.Signals[SigRepTopNGram(n)]; math.Abs(got-want) > 1e-12 {
				t.Errorf("%s top %d-gram %v, reference %v", name, n, got, want)
			}
		}
		for n := 5; n <= 10; n++ {
			want := float64(refDupNGramChars(a.Tokens, n)) / float64(a.Runes)
			if got := d.Signals[SigRepDupNGram(n)]; math.Abs(got-want) > 1e-12 {
				t.Errorf("%s dup %d-gram %v, reference %v", name, n, got, want)
			}
		}
	}
}

func repOutcome(t *testing.T, text string) (string, map[string]float64) {
	t.Helper()
	g, err := NewGopherRepetition(DefaultGopherRepetitionConfig())
	must(t, err)
	d := doc(text, "en")
	o := g.Process(d, nil)
	if r := g.Decide(d.Signals, "en"); r != o {
		t.Fatalf("Decide %v != Process %v", r, o)
	}
	return o.Reason, d.Signals
}

// uniqueLine is a line of distinct words (so no n-gram repeats across
// lines built with different k).
func uniqueLine(k, words int) string {
	ws := filler((k+1)*words, 6)[k*words:]
	return strings.Join(ws, " ")
}

func TestGopherRepetitionParagraphs(t *testing.T) {
	// 10 paragraphs, 3 of them repeat a short one: 3/10 = 0.3 keeps (rule
	// is "> 0.3"); 4/10 drops. The repeated one is short so the character
	// fraction stays under 0.2.
	build := func(unique, copies int) string {
		var ps []string
		for i := 0; i < unique; i++ {
			ps = append(ps, uniqueLine(i, 20))
		}
		for i := 0; i < copies; i++ {
			ps = append(ps, "Short note.")
		}
		return strings.Join(ps, "\n\n")
	}
	if r, s := repOutcome(t, build(6, 4)); r != "" {
		t.Errorf("3/10 duplicate paragraphs: %q %v", r, s)
	}
	if r, _ := repOutcome(t, build(5, 5)); r != "dup_para_frac" {
		t.Errorf("4/10 duplicate paragraphs: %q", r)
	}
}

func TestGopherRepetitionLines(t *testing.T) {
	build := func(unique, copies int) string {
		var ls []string
		for i := 0; i < unique; i++ {
			ls = append(ls, uniqueLine(i, 20))
		}
		for i := 0; i < copies; i++ {
			ls = append(ls, "Short note.")
		}
		return strings.Join(ls, "\n") // one paragraph
	}
	if r, s := repOutcome(t, build(6, 4)); r != "" {
		t.Errorf("3/10 duplicate lines: %q %v", r, s)
	}
	if r, _ := repOutcome(t, build(5, 5)); r != "dup_line_frac" {
		t.Errorf("4/10 duplicate lines: %q", r)
	}
	// Character fraction: one long line repeated once among few lines.
	long := uniqueLine(20, 80)
	text := strings.Join([]string{long, uniqueLine(1, 20), uniqueLine(2, 20), uniqueLine(3, 20), uniqueLine(4, 20), uniqueLine(5, 20), uniqueLine(6, 20), uniqueLine(7, 20), long}, "\n")
	if r, s := repOutcome(t, text); r != "dup_line_char_frac" {
		t.Errorf("long repeated line: %q %v", r, s)
	}
}

func TestGopherRepetitionNGramDecide(t *testing.T) {
	g, err := NewGopherRepetition(DefaultGopherRepetitionConfig())
	must(t, err)
	base := func() map[string]float64 {
		s := map[string]float64{}
		for _, name := range g.SignalNames() {
			s[name] = 0
		}
		return s
	}
	for _, c := range []struct {
		sig    string
		thr    float64
		reason string
	}{
		{SigRepTopNGram(2), 0.20, "top_2_gram"}, {SigRepTopNGram(3), 0.18, "top_3_gram"}, {SigRepTopNGram(4), 0.16, "top_4_gram"},
		{SigRepDupNGram(5), 0.15, "duplicated_5_n_grams"}, {SigRepDupNGram(6), 0.14, "duplicated_6_n_grams"},
		{SigRepDupNGram(7), 0.13, "duplicated_7_n_grams"}, {SigRepDupNGram(8), 0.12, "duplicated_8_n_grams"},
		{SigRepDupNGram(9), 0.11, "duplicated_9_n_grams"}, {SigRepDupNGram(10), 0.10, "duplicated_10_n_grams"},
		{SigRepDupParaCharFrac, 0.2, "dup_para_char_frac"}, {SigRepDupLineCharFrac, 0.2, "dup_line_char_frac"},
	} {
		s := base()
		s[c.sig] = c.thr
		if o := g.Decide(s, "en"); o.Drop {
			t.Errorf("%s at threshold %v dropped: %v", c.sig, c.thr, o)
		}
		s[c.sig] = c.thr + 1e-9
		if o := g.Decide(s, "en"); o.Reason != c.reason {
			t.Errorf("%s above threshold: %v, want %s", c.sig, o, c.reason)
		}
	}
}

func TestGopherRepetitionRepeatedPhrase(t *testing.T) {
	// A boilerplate phrase repeated through an otherwise unique text: its
	// 2-gram dominates.
	var ls []string
	for i := 0; i < 10; i++ {
		ls = append(ls, "click here click here click here "+uniqueLine(i, 3))
	}
	if r, s := repOutcome(t, strings.Join(ls, "\n")); r != "top_2_gram" {
		t.Errorf("repeated phrase: %q %v", r, s)
	}
	// Per-language thresholds: Spanish's top 2-gram limit is 0.077.
	g, err := NewGopherRepetition(DefaultGopherRepetitionConfig())
	must(t, err)
	s := map[string]float64{SigRepTopNGram(2): 0.1}
	if o := g.Decide(s, "es"); o.Reason != "top_2_gram" {
		t.Errorf("es 0.1 top 2-gram: %v", o)
	}
	if o := g.Decide(s, "en"); o.Drop {
		t.Errorf("en 0.1 top 2-gram: %v", o)
	}
}

func TestGopherRepetitionRejectsBadConfig(t *testing.T) {
	cfg := DefaultGopherRepetitionConfig()
	cfg.TopNGrams = []NGramThreshold{{11, 0.1}}
	if _, err := NewGopherRepetition(cfg); err == nil {
		t.Error("n = 11 accepted")
	}
}
