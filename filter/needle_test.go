package filter

import (
	"bytes"
	"testing"
)

// FuzzNeedle checks needle.in against bytes.Contains.
func FuzzNeedle(f *testing.F) {
	for _, s := range []string{"", "cookie", "our cookie policy.", "terms of us", "xterms of use", "javascrip", "lorem ipsumlorem ipsum", "kkkk"} {
		f.Add(s, "cookie")
		f.Add(s, "terms of use")
	}
	f.Fuzz(func(t *testing.T, hay, phrase string) {
		if phrase == "" {
			return
		}
		if got, want := newNeedle(phrase).in([]byte(hay)), bytes.Contains([]byte(hay), []byte(phrase)); got != want {
			t.Fatalf("needle %q in %q = %v, bytes.Contains says %v", phrase, hay, got, want)
		}
	})
}

func TestNeedleAnchors(t *testing.T) {
	for phrase, anchor := range map[string]byte{"cookie": 'k', "terms of use": 'f', "javascript": 'j', "lorem ipsum": 'p'} {
		if n := newNeedle(phrase); n.b[n.anchor] != anchor {
			t.Errorf("%q anchored on %q, want %q", phrase, n.b[n.anchor], anchor)
		}
	}
	for _, s := range []string{"we use cookies here", "read the terms of use", "enable javascript", "lorem ipsum dolor"} {
		found := false
		for _, n := range append([]needle{loremIpsum, javascript}, policyNeedles...) {
			found = found || n.in([]byte(s))
		}
		if !found {
			t.Errorf("no needle in %q", s)
		}
	}
}
