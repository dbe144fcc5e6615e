package filter

import "testing"

// FuzzStopWordFilter checks stopWordFilter.has against a map lookup.
func FuzzStopWordFilter(f *testing.F) {
	f.Add("the", "the be to of and that have with", "")
	f.Add("thé", "thé a\x00 a longerword", "a")
	f.Add("a\x00", "a", "")
	f.Add("longerword", "longerword x", "")
	f.Fuzz(func(t *testing.T, tok, list, extra string) {
		words := append(splitSpace(list), extra)
		set := map[string]struct{}{}
		for _, w := range words {
			set[w] = struct{}{}
		}
		filter := newStopWordFilter(words)
		_, want := set[tok]
		if got := filter.has(tok, set); got != want {
			t.Fatalf("has(%q) = %v over %q", tok, got, words)
		}
		for _, w := range words {
			if !filter.has(w, set) {
				t.Fatalf("listed %q not found in %q", w, words)
			}
		}
	})
}

func splitSpace(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
