package langid

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// words holds a text split the way lingua-go splits it: lower-cased, then
// every Han, Hangul, Hiragana or Katakana character is a word of its own and
// every other run of letters (\p{L}+, which may run on into Han) is a word.
// Letters are kept once, with their script and packed index, in flat slices
// reused from document to document.
type words struct {
	runes   []rune
	scripts []script
	index   []uint16 // letter index for multi-letter keys
	bounds  []int32  // word i is runes[bounds[2i]:bounds[2i+1]]
	spare   map[rune]uint16
}

func (w *words) reset() {
	w.runes = w.runes[:0]
	w.scripts = w.scripts[:0]
	w.index = w.index[:0]
	w.bounds = w.bounds[:0]
	clear(w.spare)
}

func (w *words) count() int { return len(w.bounds) / 2 }

func (w *words) word(i int) (int, int) { return int(w.bounds[2*i]), int(w.bounds[2*i+1]) }

// split fills w from text; ms gives the letter index.
func (w *words) split(text string, ms *modelSet) {
	w.reset()
	// Every letter takes at least one byte of text, so the letter slices
	// are sized once and written by index (no append per letter).
	runes := slices.Grow(w.runes[:0], len(text))[:len(text)]
	scripts := slices.Grow(w.scripts[:0], len(text))[:len(text)]
	index := slices.Grow(w.index[:0], len(text))[:len(text)]
	n := 0
	inRun := false
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
			r = toLower(r)
		} else if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A' // unicode.ToLower's own ASCII case, without the call
		}
		i += size
		sc, letter := classOf(r)
		if inRun {
			if letter {
				runes[n], scripts[n], index[n] = r, sc, w.runIndex(r, ms)
				n++
				continue
			}
			w.bounds = append(w.bounds, int32(n))
			inRun = false
		}
		if isSingleCharWord(sc) {
			// A single-letter word: its letter never enters a longer
			// n-gram and needs no spare index.
			w.bounds = append(w.bounds, int32(n), int32(n+1))
			runes[n], scripts[n], index[n] = r, sc, ms.charIndex(r)
			n++
		} else if letter {
			w.bounds = append(w.bounds, int32(n))
			runes[n], scripts[n], index[n] = r, sc, w.runIndex(r, ms)
			n++
			inRun = true
		}
	}
	if inRun {
		w.bounds = append(w.bounds, int32(n))
	}
	w.runes, w.scripts, w.index = runes[:n], scripts[:n], index[:n]
}

// lowerTableSize covers Latin-1, Latin Extended-A/B, IPA, Greek and
// Cyrillic, where most non-ASCII letters of European text fall.
const lowerTableSize = 0x530

// lowerTable is unicode.ToLower for the runes below lowerTableSize, and
// bmpCased marks the other runes of the Basic Multilingual Plane that
// unicode.ToLower changes (a few hundred; none of Han, kana, Hangul,
// Thai, Arabic or the Indic scripts): a letter costs a load instead of
// unicode.ToLower's binary search over its case ranges.
var lowerTable, bmpCased = func() (*[lowerTableSize]rune, *[bmpTableSize / 64]uint64) {
	var t [lowerTableSize]rune
	for r := range t {
		t[r] = unicode.ToLower(rune(r))
	}
	var c [bmpTableSize / 64]uint64
	for r := lowerTableSize; r < bmpTableSize; r++ {
		if unicode.ToLower(rune(r)) != rune(r) {
			c[r/64] |= 1 << (r % 64)
		}
	}
	return &t, &c
}()

// toLower is unicode.ToLower.
func toLower(r rune) rune {
	switch {
	case uint32(r) < lowerTableSize:
		return lowerTable[r]
	case uint32(r) < bmpTableSize && bmpCased[r/64]&(1<<(r%64)) == 0:
		return r
	}
	return unicode.ToLower(r)
}

// runIndex is the letter index of r inside a word of several letters.
func (w *words) runIndex(r rune, ms *modelSet) uint16 {
	if c := ms.charIndex(r); c != 0 {
		return c
	}
	return w.spareIndex(r)
}

// spareIndex gives a letter no model holds in a longer n-gram a spare
// index of its own for this document, so distinct unknown letters still
// make distinct n-grams (lingua counts each distinct n-gram once).
func (w *words) spareIndex(r rune) uint16 {
	if w.spare == nil {
		w.spare = map[rune]uint16{}
	}
	c, ok := w.spare[r]
	if !ok {
		c = uint16(min(firstSpareChar+len(w.spare), maxCharIndex))
		w.spare[r] = c
	}
	return c
}
