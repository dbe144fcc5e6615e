package filter

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/words"
)

func FuzzHeuristics(f *testing.F) {
	for _, s := range []string{"", "\n\n", c4Good, "same-sex - -x -", "人工智能迈上新台阶。\n\n", "ภาษาไทย", "a@b.co 8.8.8.8 ::1",
		"• - ...\n…\n#", "\xff\xfe", "x-", "-x", "a--b", "[1] {lorem ipsum}."} {
		f.Add(s, "en")
	}
	f.Add("a b a b a b c a b c d a b c d e a b c d e f a b c d e f a b c d e f", "en")
	f.Add("x y z x y z x y z", "en")
	f.Add("der und die", "de")
	f.Add("的 是", "zh")
	steps := allSteps(f)
	gr, _ := NewGopherRepetition(DefaultGopherRepetitionConfig())
	c4, _ := NewC4Quality(DefaultC4QualityConfig())
	pii, _ := NewPII(DefaultPIIConfig())
	steps = append(steps, c4, pii)
	f.Fuzz(func(t *testing.T, text, lang string) {
		a := Analyze(text)
		if len(a.Tokens) != len(a.TokenRunes) || len(a.Tokens) != len(a.IsWord) || a.Words > len(a.Tokens) || a.LetterTokens > len(a.Tokens) {
			t.Fatalf("inconsistent analysis %+v", a)
		}
		runes := 0
		for i, tok := range a.Tokens {
			if int(a.TokenRunes[i]) != utf8.RuneCountInString(tok) || strings.TrimSpace(tok) == "" {
				t.Fatalf("token %q with %d runes", tok, a.TokenRunes[i])
			}
			// The segmenter's classes (fast paths) are classify's.
			if w, l, _, _ := classify(tok); w != a.IsWord[i] || l != a.HasLetter[i] {
				t.Fatalf("token %q: word %v letter %v, classify says %v %v", tok, a.IsWord[i], a.HasLetter[i], w, l)
			}
			runes += int(a.TokenRunes[i])
		}
		if a.Runes != utf8.RuneCountInString(text) {
			t.Fatalf("runes %d, want %d", a.Runes, utf8.RuneCountInString(text))
		}
		if a.valid != utf8.ValidString(text) {
			t.Fatalf("valid %v, want %v", a.valid, !a.valid)
		}
		for i, line := range a.Lines {
			if a.LineRunes[i] != utf8.RuneCountInString(line) {
				t.Fatalf("line %q with %d runes", line, a.LineRunes[i])
			}
		}
		if runes > a.Runes {
			t.Fatalf("tokens longer than the text")
		}
		// The hashed, prefix-pruned n-gram statistics equal the literal
		// definition.
		if len(a.Tokens) < 300 && a.Runes > 0 {
			d := doc(text, lang)
			gr.Process(d, nil)
			for n := 2; n <= 4; n++ {
				if got, want := d.Signals[SigRepTopNGram(n)], float64(refTopNGramChars(a.Tokens, n))/float64(a.Runes); got != want {
					t.Fatalf("top %d-gram %v, reference %v", n, got, want)
				}
			}
			for n := 5; n <= 10; n++ {
				if got, want := d.Signals[SigRepDupNGram(n)], float64(refDupNGramChars(a.Tokens, n))/float64(a.Runes); got != want {
					t.Fatalf("dup %d-gram %v, reference %v", n, got, want)
				}
			}
		}
		for _, s := range steps {
			d := doc(text, lang)
			o := s.Process(d, nil)
			if r := s.Decide(d.Signals, lang); r != o {
				t.Fatalf("%s: Decide %v != Process %v", s.Name(), r, o)
			}
			for k, v := range d.Signals {
				if v != v {
					t.Fatalf("%s: signal %s is NaN", s.Name(), k)
				}
			}
		}
	})
}

func FuzzPIIMask(f *testing.F) {
	for _, s := range []string{"a@b.org", "8.8.8.8", "2606:4700::1111", "1.2.3.4.5", "x@[1.2.3.4]", "::", ":::::", "@@@"} {
		f.Add(s)
	}
	p, _ := NewPII(DefaultPIIConfig())
	f.Fuzz(func(t *testing.T, text string) {
		out, emails, ips := p.Mask(text)
		if emails == 0 && ips == 0 && out != text {
			t.Fatalf("text changed without a match: %q -> %q", text, out)
		}
		// Masking is stable: the placeholders are not masked again.
		again, e2, i2 := p.Mask(out)
		if again != out && (e2 > emails || i2 > ips) {
			t.Fatalf("mask not stable: %q -> %q -> %q", text, out, again)
		}
	})
}

func FuzzParseLanguageTable(f *testing.F) {
	f.Add([]byte(defaultLanguagesYAML))
	f.Add([]byte("es: {top_n_grams: [[2, 0.1]]}"))
	f.Add([]byte("x: null"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := ParseLanguageTable(b)
		if err != nil {
			return
		}
		for _, p := range tab {
			_ = p.IsOff(RuleStopWords)
		}
	})
}

// uax29Spans segments the whole text with the uax29 package, dropping
// white-space segments and leading white space (see segment).
func uax29Spans(text string) []string {
	var out []string
	it := words.FromString(text)
	for it.Next() {
		tok := strings.TrimLeft(it.Value(), " \t\n\r\v\f")
		if tok != "" && strings.TrimFunc(tok, func(r rune) bool { return r <= ' ' && isASCIISpace(byte(r)) }) != "" {
			out = append(out, tok)
		}
	}
	return out
}

func FuzzSegmentMatchesUAX29(f *testing.F) {
	for _, s := range []string{"Hello, world! e.g. 3.14 1,000 a:b a'b 'a' 1'2 _x_ x_1 a..b 1..2 a.1 1.a", "don't stop: 10:30, 2.5%",
		"naïve café", "人工智能 迈上", "a \u0301b", "  \u0301", "x\u00a0y", "\x1c\x1d a", "...---", "a_.b", "1_.2", "A.B.C.",
		"Привет, мир! т.е. 3,5 кг. «цитата» слово-слово Ж:Ж 1.Ж", "Καλημέρα, κόσμε; ά΄β", "한국어 문장입니다. 1.한", "שלום עולם ש'ס", "مرحبا بالعالم، نعم", "e\u0301té x_ж ж_1 ж'ж", "ΑΒΓ.ΔΕ",
		"これはテスト_です。カタカナ_ABCとひらがな、漢字1.5。", "中文句子，没有空格。Hello世界a.b中:文", "ｶﾀｶﾅ ア_ア ア1 1ア a.ア", "ภาษาไทย ไม่มี",
		"東京\u3099 ア\u0301イ 中\u200d文 🇯🇵日本 中\u00ad文", "\u00a0中\u00a0a\u00a0", "テ'ス.ト:テ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var got []string
		segment(text, func(start, end int) {
			if tok := text[start:end]; strings.TrimSpace(tok) != "" || strings.ContainsFunc(tok, func(r rune) bool { return !(r <= ' ' && isASCIISpace(byte(r))) }) {
				got = append(got, tok)
			}
		})
		// With invalid UTF-8 near the end of the input the uax29 package
		// groups a truncated sequence with what follows; there only the
		// coverage is checked: every byte outside ASCII white space is in
		// exactly one span, in order.
		if !utf8.ValidString(text) {
			var b strings.Builder
			for i := 0; i < len(text); i++ {
				if !isASCIISpace(text[i]) {
					b.WriteByte(text[i])
				}
			}
			if strings.Join(got, "") != b.String() {
				t.Fatalf("spans %q do not cover %q", got, text)
			}
			return
		}
		want := uax29Spans(text)
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
			t.Fatalf("segments differ for %q:\n got %q\nwant %q", text, got, want)
		}
	})
}

// FuzzCountWords: C4's word count through the fast segmenter is the
// uax29 package's.
func FuzzCountWords(f *testing.F) {
	for _, s := range []string{"これは日本語の文です。", "中文句子，没有空格。", "a \u0301b  \u0301", "ภาษาไทย ไม่มี", "x\u3000y", "Hello, world! 3.14"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := countWords(s), countWordsUAX29(s); got != want {
			t.Fatalf("countWords(%q) = %d, want %d", s, got, want)
		}
	})
}

// FuzzDeriveAnalysis: when C4 cleans a text, the analysis it moves over
// from the old text is the one Analyze computes on the cleaned text.
func FuzzDeriveAnalysis(f *testing.F) {
	for _, s := range []string{
		"First line has enough words here.\nshort\nThe third line is kept as well [1].\n\n\u3000\u0301 leading mark line with words.\nsame-sex marriage is a hyphen case here.\nfoo -\n-bar baz qux.",
		"Привет, мир! Это строка.\nкоротко\nΚαλημέρα κόσμε, είναι καλή μέρα.\n\u00a0trailing nbsp line here ok.\u00a0\njavascript must be enabled here now.",
		"これは日本語の文です。\n短い\n中文句子，没有空格。很好。",
	} {
		f.Add(s, "en")
	}
	f.Add("Line one is here ok.\nx\nLine three is here ok.", "ja")
	cfg := DefaultC4QualityConfig()
	cfg.MinNumSentences = -1
	cfg.FilterNoTerminalPunct = false
	c, err := NewC4Quality(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		d := doc(text, lang)
		AnalysisOf(d)
		c.Process(d, nil)
		got, ok := d.Analysis.(*Analysis)
		if !ok || got.text != d.Text {
			return // kept its text, or analysed anew later
		}
		want := Analyze(d.Text)
		if err := sameAnalysis(got, want); err != nil {
			t.Fatalf("%v\nold %q\nnew %q", err, text, d.Text)
		}
	})
}

func sameAnalysis(got, want *Analysis) error {
	type counts struct{ Runes, NewlineRuns, Words, WordRunes, LetterTokens int }
	if g, w := (counts{got.Runes, got.NewlineRuns, got.Words, got.WordRunes, got.LetterTokens}),
		(counts{want.Runes, want.NewlineRuns, want.Words, want.WordRunes, want.LetterTokens}); g != w {
		return fmt.Errorf("counts %+v, want %+v", g, w)
	}
	if !slices.Equal(got.Tokens, want.Tokens) || !slices.Equal(got.TokenRunes, want.TokenRunes) ||
		!slices.Equal(got.tokenStarts, want.tokenStarts) || !slices.Equal(got.IsWord, want.IsWord) ||
		!slices.Equal(got.HasLetter, want.HasLetter) {
		return fmt.Errorf("tokens %q (%v), want %q (%v)", got.Tokens, got.tokenStarts, want.Tokens, want.tokenStarts)
	}
	if got.valid != want.valid {
		return fmt.Errorf("valid %v, want %v", got.valid, want.valid)
	}
	if !slices.Equal(got.Lines, want.Lines) || !slices.Equal(got.LineRunes, want.LineRunes) || !slices.Equal(got.Paragraphs, want.Paragraphs) {
		return fmt.Errorf("lines %q, want %q", got.Lines, want.Lines)
	}
	return nil
}

// FuzzC4WordsFromAnalysis: C4's words-per-line count for spaceless
// languages, taken from the text's analysis (wordsInLine), is the one it
// counts anew without an analysis.
func FuzzC4WordsFromAnalysis(f *testing.F) {
	for _, s := range []string{
		"これは日本語の文です。\n短い\n中文句子，没有空格。很好。\nsame-sex ja-ja 中-文 x--\u0301y\n\u00a0\u0301文字\n文\u3000\n[1]引用文です。",
		"ภาษาไทย ไม่มี\nการเว้นวรรค ครับ\na-b-c d",
	} {
		f.Add(s, "ja")
	}
	cfg := DefaultC4QualityConfig()
	cfg.FilterNoTerminalPunct = false
	cfg.MinWordsPerLine = 4
	c, err := NewC4Quality(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		for _, l := range []string{lang, "zh", "th"} {
			with, without := doc(text, l), doc(text, l)
			AnalysisOf(with)
			o1, o2 := c.Process(with, nil), c.Process(without, nil)
			if o1 != o2 || with.Text != without.Text || !maps.Equal(with.Signals, without.Signals) {
				t.Fatalf("%s: with analysis %v %v, without %v %v", l, o1, with.Signals, o2, without.Signals)
			}
		}
	})
}
