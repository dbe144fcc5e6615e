package filter

import (
	"sync"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/words"
)

// segment calls emit with the byte span of every UAX#29 word-boundary
// segment of text that is not ASCII white space. Spans never hold white
// space at their start (a combining mark right after a space, which
// UAX#29 attaches to the space, comes out alone).
//
// Most web text is ASCII between spaces, and the general UAX#29 machine is
// the largest cost of a document's analysis, so white-space separated
// chunks that are pure ASCII go through asciiSegments, which applies the
// same rules (WB5-WB13b restricted to ASCII); other chunks go through
// the uax29 package. No UAX#29 rule joins across ASCII white space, so
// cutting there changes no boundary. FuzzSegmentMatchesUAX29 checks the
// equivalence.
func segment(text string, emit func(start, end int)) {
	segmentClassified(text, func(start, end int, _ uint8, _ int) { emit(start, end) })
}

// spanFunc receives a segment's span. For spans of the fast paths flags
// is the OR of their code points' classes (asciiTokenClass; for a
// non-ASCII one, what classify makes of it) and runes their number,
// saving classify a second pass over the bytes; spans from the uax29
// package get tcNonASCII, which tells the caller to classify them itself.
type spanFunc func(start, end int, flags uint8, runes int)

// segmentClassified is segment that also passes the spans' classes.
func segmentClassified(text string, emit spanFunc) {
	segmentRange(text, 0, len(text), emit)
}

// segmentRange is segmentClassified over text[lo:hi], a run of whole
// chunks (ASCII white space, or an end of text, on both sides), with
// offsets into text; the uax29 package sees the same bytes after a chunk
// as it would in the whole text.
func segmentRange(text string, lo, hi int, emit spanFunc) {
	it := words.FromString("")
	for i := lo; i < hi; {
		// asciiTokenClass is 0 exactly for ASCII white space.
		if asciiTokenClass[text[i]] == 0 {
			i++
			continue
		}
		j, flags := i, uint8(0)
		for ; j < hi; j++ {
			k := asciiTokenClass[text[j]]
			if k == 0 {
				break
			}
			flags |= k
		}
		switch {
		case flags&(tcNonASCII|tcPunct) == 0:
			// Only letters and digits: one word (WB5, WB8-10).
			emit(i, j, flags, j-i)
		case flags&tcNonASCII == 0:
			asciiSegments(text, i, j, emit)
		case letterSegments(text, i, j, emit):
			// Non-ASCII letters of word-separating scripts (Cyrillic,
			// Greek, accented Latin, Hangul, Arabic letters, ...) with
			// ASCII: the ASCII rules apply (segmentLetters).
		default:
			// Include a few bytes after the chunk: at the very end of
			// its input the segmenter treats a truncated (invalid) UTF-8
			// sequence differently than before a space.
			it.SetText(text[i:min(j+utf8.UTFMax, len(text))])
			for it.Next() {
				if start := i + it.Start(); start < j {
					emit(start, min(i+it.End(), j), tcNonASCII, 0)
				}
			}
		}
		i = j
	}
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// ASCII Word_Break classes.
const (
	wbOther = iota
	wbLetter
	wbDigit
	wbUnderscore // ExtendNumLet
	wbMidLetter  // :
	wbMidNumLet  // . and ' (Single_Quote behaves alike here)
	wbMidNum     // , ;
)

var asciiWB = func() (t [128]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = wbLetter, wbLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = wbDigit
	}
	t['_'] = wbUnderscore
	t[':'] = wbMidLetter
	t['.'], t['\''] = wbMidNumLet, wbMidNumLet
	t[','], t[';'] = wbMidNum, wbMidNum
	return
}()

// asciiSegments splits text[lo:hi] (ASCII, no white space) by UAX#29.
// It walks the bytes once, asking wbJoins at each.
func asciiSegments(text string, lo, hi int, emit spanFunc) {
	chunk := text[lo:hi]
	if len(chunk) == 0 {
		return
	}
	class := func(i int) uint8 {
		if i < 0 || i >= len(chunk) {
			return wbOther
		}
		return asciiWB[chunk[i]]
	}
	start := 0
	prev := asciiWB[chunk[0]]
	flags := asciiTokenClass[chunk[0]]
	for i := 1; i < len(chunk); i++ {
		c := chunk[i]
		cur := asciiWB[c]
		join := wbJoins(class(i-2), prev, cur, class(i+1))
		if !join {
			emit(lo+start, lo+i, flags, i-start)
			start, flags = i, 0
		}
		flags |= asciiTokenClass[c]
		prev = cur
	}
	emit(lo+start, hi, flags, len(chunk)-start)
}

// wbJoins reports whether UAX#29 keeps prev and cur (Word_Break classes
// of the ASCII kinds above) in one segment, given the class before prev
// and the one after cur: the rules as listed by the class they start from.
func wbJoins(before, prev, cur, after uint8) bool {
	switch prev {
	case wbLetter:
		switch cur {
		case wbLetter, wbDigit, wbUnderscore: // WB5, WB9, WB13a
			return true
		case wbMidLetter, wbMidNumLet: // WB6
			return after == wbLetter
		}
	case wbDigit:
		switch cur {
		case wbLetter, wbDigit, wbUnderscore: // WB8, WB10, WB13a
			return true
		case wbMidNum, wbMidNumLet: // WB12
			return after == wbDigit
		}
	case wbUnderscore: // WB13a, WB13b
		return cur == wbLetter || cur == wbDigit || cur == wbUnderscore
	case wbMidLetter: // WB7
		return cur == wbLetter && before == wbLetter
	case wbMidNumLet: // WB7, WB11
		return cur == wbLetter && before == wbLetter || cur == wbDigit && before == wbDigit
	case wbMidNum: // WB11
		return cur == wbDigit && before == wbDigit
	}
	return false
}

// maxLetterChunk bounds the chunks letterSegments takes (in code points):
// longer ones (URLs, runs without spaces) go to the uax29 package.
const maxLetterChunk = 64

// letterSegments segments text[lo:hi] (no ASCII white space, some
// non-ASCII) when every non-ASCII code point in it has Word_Break=ALetter,
// and reports whether it did. UAX#29 gives ALetter the same rules as the
// ASCII letters (WB5-WB7, WB9, WB10, WB13a, WB13b), so the chunk is cut
// exactly as asciiSegments cuts ASCII, reading code points instead of
// bytes. Most words of the web's non-Latin and accented-Latin text pass;
// marks (Extend), Han, kana, Hebrew, Thai and the rest take the uax29
// package's path, as before. FuzzSegmentMatchesUAX29 checks the result.
func letterSegments(text string, lo, hi int, emit spanFunc) bool {
	var offs [maxLetterChunk + 1]int32
	var class, tc [maxLetterChunk]uint8 // Word_Break and token classes
	n := 0
	for i := lo; i < hi; {
		if n == maxLetterChunk {
			return false
		}
		c := text[i]
		offs[n] = int32(i)
		if c < utf8.RuneSelf {
			class[n], tc[n] = asciiWB[c], asciiTokenClass[c]
			i++
			n++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:hi])
		if size == 1 || !isALetter(r) {
			return false
		}
		class[n], tc[n] = wbLetter, runeTokenClass(r)
		i += size
		n++
	}
	offs[n] = int32(hi)
	at := func(k int) uint8 {
		if k < 0 || k >= n {
			return wbOther
		}
		return class[k]
	}
	start, flags := 0, tc[0]
	for k := 1; k < n; k++ {
		join := wbJoins(at(k-2), class[k-1], class[k], at(k+1))
		if !join {
			emit(int(offs[start]), int(offs[k]), flags, k-start)
			start, flags = k, 0
		}
		flags |= tc[k]
	}
	emit(int(offs[start]), hi, flags, n-start)
	return true
}

// isALetter reports Word_Break=ALetter for a non-ASCII code point of the
// BMP. The property is read from the uax29 package itself, by how it
// segments short probes, one block of 128 code points at a time on first
// use, so the fast path cannot disagree with the package it stands in for.
func isALetter(r rune) bool {
	if r >= 0x10000 {
		return false
	}
	b := r >> 7
	bl := &aLetterBlocks[b]
	bl.once.Do(func() {
		for k := rune(0); k < 128; k++ {
			if probeALetter(b<<7 | k) {
				bl.bits[k>>6] |= 1 << (k & 63)
			}
		}
	})
	return bl.bits[(r&127)>>6]&(1<<(r&63)) != 0
}

var aLetterBlocks [0x10000 >> 7]struct {
	once sync.Once
	bits [2]uint64
}

// probeALetter tells ALetter from every other Word_Break value by the
// rules only ALetter obeys together: it joins letters on both sides (WB5,
// not only WB4's Extend/Format, which also join after "."), joins across
// ":" (WB6/7: ALetter or Hebrew_Letter), and does not join a following
// "'" (WB7a: Hebrew_Letter does), nor across "," (WB11/12: Numeric).
func probeALetter(r rune) bool {
	if !utf8.ValidRune(r) || r < utf8.RuneSelf {
		return false
	}
	x := string(r)
	return segments("a"+x+"a") == 1 && segments(x+x) == 1 && segments("."+x) == 2 &&
		segments(x+":"+x) == 1 && segments(x+"'") == 2 && segments(x+","+x) == 3 &&
		segments(x+"\""+x) == 3 && segments("1"+x+"1") == 1 && segments(x+"_"+x) == 1
}

func segments(s string) int {
	n := 0
	for it := words.FromString(s); it.Next(); {
		n++
	}
	return n
}
