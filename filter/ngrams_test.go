package filter

import "testing"

// TestShortTokenIDsIgnorePosition checks that a short token gets one id
// wherever it stands, loaded in one word or (at the end of the text, or
// without offsets) byte by byte.
func TestShortTokenIDsIgnorePosition(t *testing.T) {
	for _, text := range []string{"the cat the cat the cat", "a a", "same-sex same-sex x same-sex", "ab\x00 ab\x00 ab"} {
		a := Analyze(text)
		var s, bare ngramScratch
		s.load(a)
		noStarts := *a
		noStarts.tokenStarts = nil
		bare.load(&noStarts)
		byToken := map[string]uint64{}
		for i, tok := range a.Tokens {
			if id, ok := byToken[tok]; ok && id != s.ids[i] {
				t.Errorf("%q: token %q has ids %x and %x", text, tok, id, s.ids[i])
			}
			byToken[tok] = s.ids[i]
			if bare.ids[i] != s.ids[i] {
				t.Errorf("%q: token %q id %x without offsets, %x with", text, tok, bare.ids[i], s.ids[i])
			}
		}
	}
}
