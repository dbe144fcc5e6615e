package tokens

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCount checks the fast counter against the reference encoder on
// arbitrary valid UTF-8 (the regex engine and the scanner must agree on
// every white-space, contraction and digit-run corner).
func FuzzCount(f *testing.F) {
	for _, k := range knownCounts {
		f.Add(k.text)
	}
	for _, s := range []string{"I'm here, they'LL go", "a\r\n\r\n b", "  \t\n x", "x  ", "١٢٣٤ ½ 3.14159",
		"«Ça va?» dit-il.\u00a0Oui", "don't\n\n\n", "x\u3000y", " !!!\n\nabc", "'S'T'Re", "日本語のテキスト、です。"} {
		f.Add(s)
	}
	c, ref := counter(f), reference(f)
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		want, err := ref.Count(s)
		if err != nil {
			return
		}
		if got := c.Count(s); got != want {
			t.Fatalf("Count(%q) = %d, reference %d", s, got, want)
		}
	})
}

// FuzzCountInvalid checks Count on arbitrary bytes, valid UTF-8 or not,
// against the reference encoder on the text with its bad bytes replaced:
// Count checks the UTF-8 as it counts and starts again on the repaired
// text when a piece is invalid (see Counter.count), wherever in the text,
// in whatever kind of piece (a lone byte, a token that is part of a
// character, a merged piece, a piece past the cache's length) it is.
func FuzzCountInvalid(f *testing.F) {
	for _, s := range []string{"abc\xff", "\xe6\x97", " \xe6\x97\xa5\xe6", "hello \x80world", "\xc3(", "日本\xe8語",
		"Привет\xd0", "\xed\xa0\x80 surrogate", "\xf0\x9f\x91", "x\xf4\x90\x80\x80", "\xc0\xaf overlong",
		strings.Repeat("語", 100) + "\xff" + strings.Repeat("語", 100), strings.Repeat("ab ", 70) + "\xe0\x80"} {
		f.Add(s)
	}
	c, ref := counter(f), reference(f)
	f.Fuzz(func(t *testing.T, s string) {
		want, err := ref.Count(strings.ToValidUTF8(s, "\uFFFD"))
		if err != nil {
			return
		}
		if got := c.Count(s); got != want {
			t.Fatalf("Count(%q) = %d, reference %d on the repaired text", s, got, want)
		}
	})
}

// FuzzSplit checks the pre-tokenizer (its fast path for Latin words
// included) piece by piece against the regex engine with the reference
// pattern (see referenceCounter), not only through the counts.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"Hello world", " naïve café", "Straße über", "a'b 'll", "x\u00a0y",
		" Привет мир", "日本語 テキスト", "abc123 def", " \u0301a", "A\r\nb  c", "z" + "\u0915\u094d\u0937"} {
		f.Add(s)
	}
	reference(f)
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		checkSplit(t, s)
	})
}

// TestSplitMatchesRegexOnRealText: the pieces of real text in 75
// languages are the regex's.
func TestSplitMatchesRegexOnRealText(t *testing.T) {
	reference(t)
	texts := realTexts(t)
	if testing.Short() || raceEnabled {
		texts = texts[:len(texts)/10]
	}
	for _, s := range texts {
		checkSplit(t, s)
	}
}

func checkSplit(t *testing.T, s string) {
	t.Helper()
	var want []string
	m, err := refSplit.FindStringMatch(s)
	for ; m != nil && err == nil; m, err = refSplit.FindNextMatch(m) {
		want = append(want, m.String())
	}
	if err != nil {
		return
	}
	var got []string
	splitCl100k(s, func(p string) { got = append(got, p) })
	if len(got) != len(want) {
		t.Fatalf("%q: %d pieces %q, regex %d %q", s, len(got), got, len(want), want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%q: piece %d is %q, regex %q", s, i, got[i], want[i])
		}
	}
}
