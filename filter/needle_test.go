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

// FuzzNeedleSet checks needleSet.find against each needle's in on the
// lower-cased line.
func FuzzNeedleSet(f *testing.F) {
	for _, s := range []string{"", "Our COOKIE Policy.", "Terms Of Use", "JavaScript is off", "LOREM IPSUM", "ppppjjjj kkk yyy fff", "x\xffk\xe2\x80\xa6Cookie"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		lower := asciiLower(nil, line)
		var want uint8
		for k, n := range c4Needles.needles {
			if n.in(lower) {
				want |= 1 << k
			}
		}
		if got := c4Needles.find(line); got != want {
			t.Fatalf("find(%q) = %b, want %b", line, got, want)
		}
	})
}
