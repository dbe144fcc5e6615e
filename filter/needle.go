package filter

import (
	"bytes"
	"math/bits"
	"strings"
)

// needle is a phrase looked for in lower-cased lines, found through its
// rarest byte. bytes.Contains jumps to each occurrence of the phrase's
// first byte, and the policy phrases start with letters as common as "t"
// and "c": most lines of prose hit them every few bytes. Jumping (with
// IndexByte) to a rare byte like "k" or "f" and comparing the phrase
// around it gives the same answer with far fewer stops.
type needle struct {
	b      []byte
	anchor int // the index in b of its rarest byte
}

// letterRarity orders bytes from common to rare in English text; bytes
// not listed (digits, punctuation) count as rarest.
const letterRarity = " etaoinshrdlcumwfgypbvkjxqz"

func newNeedle(s string) needle {
	n := needle{b: []byte(s)}
	best := -1
	for i := 0; i < len(s); i++ {
		r := strings.IndexByte(letterRarity, s[i])
		if r < 0 {
			r = len(letterRarity)
		}
		if r > best {
			best, n.anchor = r, i
		}
	}
	return n
}

// in reports whether s contains the needle (bytes.Contains(s, n.b)).
func (n needle) in(s []byte) bool {
	a := n.b[n.anchor]
	for off := n.anchor; off < len(s); {
		k := bytes.IndexByte(s[off:], a)
		if k < 0 {
			return false
		}
		start := off + k - n.anchor
		if start+len(n.b) > len(s) {
			return false
		}
		if bytes.Equal(s[start:start+len(n.b)], n.b) {
			return true
		}
		off += k + 1
	}
	return false
}

// needleSet looks for up to 8 lower-case needles in a line at once,
// ignoring ASCII case: one pass over the line's bytes stops at the
// anchors (in either case) of the needles not found yet and compares
// that needle around it, folding case as asciiLower does. For the short
// lines C4 looks at this beats lower-casing the line and a search per
// needle. Bit k of the result is needles[k].in(asciiLower(line))
// (FuzzNeedleSet).
type needleSet struct {
	needles []needle
	anchors [256]uint8 // bit k: the byte is needles[k]'s anchor, in either case
}

func newNeedleSet(needles ...needle) *needleSet {
	s := &needleSet{needles: needles}
	for k, n := range needles {
		a := n.b[n.anchor]
		s.anchors[a] |= 1 << k
		if 'a' <= a && a <= 'z' {
			s.anchors[a-'a'+'A'] |= 1 << k
		}
	}
	return s
}

// find returns the set of the needles line holds, ignoring ASCII case.
func (s *needleSet) find(line string) (found uint8) {
	for i := 0; i < len(line); i++ {
		for m := s.anchors[line[i]] &^ found; m != 0; m &= m - 1 {
			k := bits.TrailingZeros8(m)
			if s.needles[k].foldedAt(line, i) {
				found |= 1 << k
			}
		}
	}
	return found
}

// foldedAt reports whether the needle lies in line with its anchor at i,
// ignoring ASCII case.
func (n needle) foldedAt(line string, i int) bool {
	start := i - n.anchor
	if start < 0 || start+len(n.b) > len(line) {
		return false
	}
	for j, c := range n.b {
		if asciiLowerTable[line[start+j]] != c {
			return false
		}
	}
	return true
}
