package filter

import "testing"

// FuzzRemoveCitations checks removeCitations against datatrove's pattern.
func FuzzRemoveCitations(f *testing.F) {
	for _, s := range []string{"", "a claim[1] here", "[edit]x[citation needed]", "[[12]]", "[١٢]", "[12", "[]", "[edit", "a[b]c", "[\xff]", "[1][2][edit]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := removeCitations(s), citationRE.ReplaceAllString(s, ""); got != want {
			t.Fatalf("removeCitations(%q) = %q, want %q", s, got, want)
		}
	})
}
