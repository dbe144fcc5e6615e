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
	// A rune is at most 4 bytes: only texts in between need counting.
	if len(text) <= maxChars || (len(text) <= 4*maxChars && utf8.RuneCountInString(text) <= maxChars) {
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
		end := start
		for n := 0; n < per && end < len(text); n++ {
			_, size := utf8.DecodeRuneInString(text[end:])
			end += size
		}
		end = wordEnd(text, end)
		if len(s.sample) > 0 {
			s.sample = append(s.sample, '\n')
		}
		s.sample = append(s.sample, text[start:end]...)
	}
	// The sample lives only until the next call on this scratch, and
	// nothing keeps the string, so it can alias the buffer.
	return unsafe.String(unsafe.SliceData(s.sample), len(s.sample))
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
