package langid

import (
	"unicode/utf8"
	"unsafe"

	"github.com/sieve-data/sieve/internal/runeclass"
)

// minSampleChars is the smallest MaxChars accepted: below lingua's 120-letter
// threshold a sample would be scored as a short text.
const minSampleChars = 200

// sampleWindowChars is the size of one sample window; several windows
// spread over the text see its beginning, middle and end (boilerplate
// at the edges, main text inside) instead of only the start.
const sampleWindowChars = 250

// sampleOf returns text itself when it has at most maxChars characters,
// otherwise windows of it spread evenly from start to end, cut at spaces,
// joined by newlines (in the scratch buffer, valid until the next call).
func (s *scratch) sampleOf(text string, maxChars int) string {
	// A rune is at most 4 bytes: only texts in between need counting, and
	// only up to maxChars runes.
	if len(text) <= maxChars || len(text) <= 4*maxChars && skipRunes(text, 0, maxChars) == len(text) {
		return text
	}
	windows := max(1, maxChars/sampleWindowChars)
	per := maxChars / windows
	s.sample = s.sample[:0]
	for i := range windows {
		start := i * len(text) / windows
		if start > 0 {
			start = nextWordStart(text, start)
		}
		end := wordEnd(text, skipRunes(text, start, per))
		if len(s.sample) > 0 {
			s.sample = append(s.sample, '\n')
		}
		s.sample = append(s.sample, text[start:end]...)
	}
	// The sample lives only until the next call on this scratch, and
	// nothing keeps the string, so it can alias the buffer.
	return unsafe.String(unsafe.SliceData(s.sample), len(s.sample))
}

// skipRunes returns the offset n runes after i in text, or len(text) if
// fewer follow. Runes are counted as a range loop counts them (an invalid
// byte is one rune): eight ASCII bytes at a time where the text has them,
// else one utf8.DecodeRuneInString step.
func skipRunes(text string, i, n int) int {
	for n > 0 && i < len(text) {
		if n >= 8 && i+8 <= len(text) && load8(text, i)&0x8080808080808080 == 0 {
			i, n = i+8, n-8
			continue
		}
		size := 1
		if text[i] >= utf8.RuneSelf {
			_, size = utf8.DecodeRuneInString(text[i:])
		}
		i, n = i+size, n-1
	}
	return i
}

// load8 returns the 8 bytes of s at i as a little-endian word.
func load8(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// maxSnap bounds how far a window edge moves to reach a space; text
// without spaces (Chinese, Japanese, Thai) is cut at a character instead.
const maxSnap = 48

// nextWordStart moves i to a rune start and, if a space follows closely,
// past it.
func nextWordStart(text string, i int) int {
	for i < len(text) && !utf8.RuneStart(text[i]) {
		i++
	}
	for j := i; j < len(text) && j-i < maxSnap; {
		r, size := utf8.DecodeRuneInString(text[j:])
		j += size
		if runeclass.IsSpace(r) {
			return j
		}
	}
	return i
}

// wordEnd moves i forward to the next space if one follows closely.
func wordEnd(text string, i int) int {
	for j := i; j < len(text) && j-i < maxSnap; {
		r, size := utf8.DecodeRuneInString(text[j:])
		if runeclass.IsSpace(r) {
			return j
		}
		j += size
	}
	return i
}
