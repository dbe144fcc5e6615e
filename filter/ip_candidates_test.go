package filter

import "testing"

// FuzzIPPrefilter checks that mayHoldIP never rules out a text in which
// ipCandidates finds a candidate (the prefilter must not change masking).
func FuzzIPPrefilter(f *testing.F) {
	for _, s := range []string{"", "1.2.3.4", "a1.2.3.4", "x 10.0.0.1.", "fe80::1", "e::", "::", "v1.2 and 3.4",
		"see 2001:db8::ff00:42:8329 here", "...1", "time 10:30:15", "a.b.c.d", "ab:cd", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		found := false
		ipCandidates(s, func(int, int) { found = true })
		if found && !mayHoldIP(s) {
			t.Fatalf("mayHoldIP(%q) = false, but ipCandidates yields", s)
		}
	})
}

func TestIPPrefilterRulesOutProse(t *testing.T) {
	for _, s := range []string{"A made-up sentence. Another one: fine.", "Version 1.2 is out.", "e.g. this"} {
		if mayHoldIP(s) {
			t.Errorf("mayHoldIP(%q) = true", s)
		}
	}
	for _, s := range []string{"host 192.168.0.1 up", "addr fe80::1", "e::"} {
		if !mayHoldIP(s) {
			t.Errorf("mayHoldIP(%q) = false", s)
		}
	}
}
