package filter

import "testing"

// TestShortTokenIDsIgnorePosition checks that a short (or medium) token gets one id
// wherever it stands, loaded in one word or (at the end of the text, or
// without offsets) byte by byte.
func TestShortTokenIDsIgnorePosition(t *testing.T) {
	for _, text := range []string{"the cat the cat the cat", "a a", "same-sex same-sex x same-sex", "ab\x00 ab\x00 ab",
		"international internationally international interlocking", "abcdefgh abcdefgh\x00 abcdefghabcdefgh"} {
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

// TestTokenIDsTellTokensApart checks that the distinct tokens of real
// pages (short, medium and long) get distinct ids.
func TestTokenIDsTellTokensApart(t *testing.T) {
	byID := map[uint64]string{}
	for name := range realPageLang {
		a := Analyze(pageText(t, name))
		var s ngramScratch
		s.load(a)
		for i, tok := range a.Tokens {
			if other, ok := byID[s.ids[i]]; ok && other != tok {
				t.Fatalf("tokens %q and %q share id %x", other, tok, s.ids[i])
			}
			byID[s.ids[i]] = tok
		}
	}
	if len(byID) < 1000 {
		t.Fatalf("only %d distinct tokens", len(byID))
	}
}
