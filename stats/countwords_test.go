package stats

import (
	"math/rand/v2"
	"testing"
	"unicode"
	"unicode/utf8"
)

// countWordsRef is countWords as defined: decode every code point.
func countWordsRef(s string) int {
	n, in := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

func TestCountCharsWords(t *testing.T) {
	for r := rune(0x10000); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) {
			t.Fatalf("U+%04X is white space: spaceLead must cover the planes above the BMP", r)
		}
	}
	for _, s := range []string{
		"", " ", "a", "Hello,\tworld\n\nagain\u00a0x ", "a\u3000b\u2003c\u1680d\u0085e\u205f",
		"中文没有空格。 第二", "ok\xffbad \xe2\x80", "\xe2\x80\x83x", "—dash… “quote”",
	} {
		c, w := countCharsWords(s)
		if c != utf8.RuneCountInString(s) || w != countWordsRef(s) {
			t.Errorf("countCharsWords(%+q) = %d, %d, want %d, %d", s, c, w, utf8.RuneCountInString(s), countWordsRef(s))
		}
	}
}

func FuzzCountCharsWords(f *testing.F) {
	f.Add("Hello,\tworld\n\nagain\u00a0x ")
	f.Add("a\u3000b\xe2\x80")
	f.Fuzz(func(t *testing.T, s string) {
		c, w := countCharsWords(s)
		if c != utf8.RuneCountInString(s) || w != countWordsRef(s) {
			t.Fatalf("countCharsWords(%+q) = %d, %d, want %d, %d", s, c, w, utf8.RuneCountInString(s), countWordsRef(s))
		}
	})
}

// TestCountCharsWordsASCIIBlocks: the eight-bytes-at-a-time path on
// random ASCII over the bytes around the white-space boundaries.
func TestCountCharsWordsASCIIBlocks(t *testing.T) {
	alphabet := []byte{' ', '\t', '\n', '\v', '\f', '\r', 0x08, 0x0E, 0x1F, 0x21, 'a', 'Z', 0x7F, 0x00}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 20000; n++ {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if rng.IntN(4) == 0 && len(b) > 3 {
			copy(b[rng.IntN(len(b)-2):], "é")
		}
		s := string(b)
		c, w := countCharsWords(s)
		if c != utf8.RuneCountInString(s) || w != countWordsRef(s) {
			t.Fatalf("countCharsWords(%q) = %d, %d, want %d, %d", s, c, w, utf8.RuneCountInString(s), countWordsRef(s))
		}
	}
}
