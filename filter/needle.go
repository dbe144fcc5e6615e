package filter

import (
	"bytes"
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
