package tokens

import (
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
