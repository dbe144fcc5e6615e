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
