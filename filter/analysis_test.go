package filter

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/pipeline"
)

func TestAnalyzeEnglishTokens(t *testing.T) {
	a := Analyze("The same-sex law, passed in 2014... isn't new! #tag 3.14")
	want := []string{"The", "same-sex", "law", ",", "passed", "in", "2014", ".", ".", ".", "isn't", "new", "!", "#", "tag", "3.14"}
	if !reflect.DeepEqual(a.Tokens, want) {
		t.Fatalf("tokens %q\nwant   %q", a.Tokens, want)
	}
	// Words: all but the punctuation marks , . . . ! #
	if a.Words != 10 {
		t.Errorf("words = %d, want 10", a.Words)
	}
	// Tokens with a letter: all words but 2014 and 3.14.
	if a.LetterTokens != 8 {
		t.Errorf("letter tokens = %d, want 8", a.LetterTokens)
	}
	if a.TokenRunes[1] != 8 {
		t.Errorf("same-sex has %d code points, want 8", a.TokenRunes[1])
	}
}

func TestAnalyzeSpacelessScripts(t *testing.T) {
	// Chinese: one word per Han character (UAX#29 without a dictionary).
	zh := Analyze("人工智能迈上新台阶。")
	if zh.Words != 9 || len(zh.Tokens) != 10 {
		t.Errorf("zh: %d words %d tokens %q", zh.Words, len(zh.Tokens), zh.Tokens)
	}
	// Japanese: kanji and hiragana one by one, a katakana run is one word.
	ja := Analyze("イソップの童話")
	if ja.Tokens[0] != "イソップ" || ja.Words != 4 {
		t.Errorf("ja: %q", ja.Tokens)
	}
	// Thai: no dictionary, so split per grapheme cluster (marks stay on
	// their consonant); never one giant word.
	th := Analyze("ภาษาไทยง่ายนิดเดียว")
	if th.Words < 10 {
		t.Errorf("th: only %d words: %q", th.Words, th.Tokens)
	}
	for i, tok := range th.Tokens {
		if !th.HasLetter[i] {
			t.Errorf("th token %q has no letter", tok)
		}
	}
}

func TestAnalyzeLinesAndParagraphs(t *testing.T) {
	a := Analyze("\nfirst line\nsecond\r\n\n\n  \nthird block\n")
	if want := []string{"first line", "second", "third block"}; !reflect.DeepEqual(a.Lines, want) {
		t.Errorf("lines %q", a.Lines)
	}
	if a.NewlineRuns != 2 {
		t.Errorf("newline runs = %d, want 2", a.NewlineRuns)
	}
	if want := []string{"first line\nsecond\r", "  \nthird block"}; !reflect.DeepEqual(a.Paragraphs, want) {
		t.Errorf("paragraphs %q", a.Paragraphs)
	}
	if a.Runes != 37 {
		t.Errorf("runes = %d", a.Runes)
	}
}

func TestAnalysisCacheResetsOnTextChange(t *testing.T) {
	d := &pipeline.Document{Text: "one two"}
	a := AnalysisOf(d)
	if AnalysisOf(d) != a {
		t.Fatal("analysis not cached")
	}
	d.Text = "one two three" // a step forgot to reset Analysis
	if b := AnalysisOf(d); b == a || b.Words != 3 {
		t.Fatal("stale analysis used after the text changed")
	}
}

func TestAnalyzeEmpty(t *testing.T) {
	a := Analyze("")
	if len(a.Tokens) != 0 || len(a.Lines) != 0 || a.Runes != 0 {
		t.Fatalf("%+v", a)
	}
}

// TestRuneWB: the probes find the Word_Break classes where the fast path
// must apply, and nothing the rules it knows would cut wrongly.
func TestRuneWB(t *testing.T) {
	for want, runes := range map[uint8][]rune{
		wbKnown | wbLetter:   {'é', 'ß', 'ж', 'Ж', 'λ', 'Ω', 'ա', '한', 'ب', 'ი'},
		wbKnown | wbKatakana: {'カ', 'ア', 'ー', 'ｶ'},
		wbKnown | wbOther:    {'中', '話', 'の', '。', '、', '「', 'ก', '«', '\u00a0', '—'},
		0:                    {'\u0301', 'ש', '٣', '\u200d', '\U0001F600', '\u3000', '·', '\u2028', '\u00ad', '©', '１'},
	} {
		for _, r := range runes {
			if got := runeWB(r) & (wbKnown | wbClassMask); got != want {
				t.Errorf("%q (U+%04X): class %#x, want %#x", r, r, got, want)
			}
		}
	}
}

// TestC4MovesAnalysis: a cleaned text keeps an analysis (moved over, not
// dropped) equal to a fresh one, also for a changed line and a line whose
// leading mark UAX#29 joined to a trimmed no-break space.
func TestC4MovesAnalysis(t *testing.T) {
	c, err := NewC4Quality(DefaultC4QualityConfig())
	if err != nil {
		t.Fatal(err)
	}
	text := "First line has enough words here.\nshort\nThe third line is kept as well [1].\n\n\u3000\u0301 leading mark line with words.\nsame-sex marriage is a hyphen case here.\nOne. Two. Three. Four. Five sentences."
	d := doc(text, "en")
	AnalysisOf(d)
	if o := c.Process(d, nil); o.Drop {
		t.Fatalf("dropped: %+v", o)
	}
	got, ok := d.Analysis.(*Analysis)
	if !ok || got.text != d.Text || d.Text == text {
		t.Fatalf("no moved analysis (text changed: %v)", d.Text != text)
	}
	if err := sameAnalysis(got, Analyze(d.Text)); err != nil {
		t.Fatal(err)
	}
}

// TestSegmentMatchesUAX29OnRealText: the fast paths cut real sentences of
// every language in the shared langid data (75 languages, all scripts)
// and the shared pages exactly as the uax29 package does; FuzzSegment-
// MatchesUAX29 explores the rest.
func TestSegmentMatchesUAX29OnRealText(t *testing.T) {
	dir := filepath.Join(testdata.Shared(t, "langid"), "sentences")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	must(t, err)
	var texts []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		must(t, err)
		texts = append(texts, string(b))
	}
	for name := range realPageLang {
		texts = append(texts, pageText(t, name))
	}
	for _, text := range texts {
		// Spaces dropped too: long chunks mixing scripts.
		for _, s := range []string{text, strings.ReplaceAll(text, " ", "")} {
			var got []string
			segment(s, func(start, end int) { got = append(got, s[start:end]) })
			if want := uax29Spans(s); !slices.Equal(got, want) {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Fatalf("segment %d: %q, uax29 %q (in %q)", i, got[i], want[i], s[:min(len(s), 200)])
					}
				}
				t.Fatalf("%d segments, uax29 %d", len(got), len(want))
			}
		}
	}
}
