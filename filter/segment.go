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
// same rules (WB5-WB13b restricted to ASCII), and chunks whose other code
// points are letters, Katakana, Han, kana or punctuation that no rule
// joins go through letterSegments (the same rules over code points);
// the rest (marks, Hebrew, Thai vowels, emoji, invalid UTF-8) go through
// the uax29 package. No UAX#29 rule joins across ASCII white space, so
// cutting there changes no boundary. FuzzSegmentMatchesUAX29 and
// TestSegmentMatchesUAX29OnRealText check the equivalence.
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
		j, flags := chunkEnd(text, i, hi)
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
	wbOther  = iota
	wbLetter // wbLetter, wbDigit and wbUnderscore follow each other (asciiSegments)
	wbDigit
	wbUnderscore // ExtendNumLet
	wbMidLetter  // :
	wbMidNumLet  // . and ' (Single_Quote behaves alike here)
	wbMidNum     // , ;
	wbKatakana   // no ASCII byte; letterSegments' Katakana
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
		// Letters, digits and "_" join each other whatever is around
		// (WB5, WB8-WB10, WB13a, WB13b): most bytes need no more.
		join := uint8(prev-wbLetter) < 3 && uint8(cur-wbLetter) < 3 || wbJoins(class(i-2), prev, cur, class(i+1))
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
		return cur == wbLetter || cur == wbDigit || cur == wbUnderscore || cur == wbKatakana
	case wbKatakana: // WB13, WB13a
		return cur == wbKatakana || cur == wbUnderscore
	case wbMidLetter: // WB7
		return cur == wbLetter && before == wbLetter
	case wbMidNumLet: // WB7, WB11
		return cur == wbLetter && before == wbLetter || cur == wbDigit && before == wbDigit
	case wbMidNum: // WB11
		return cur == wbDigit && before == wbDigit
	}
	return false
}

// letterSegments segments text[lo:hi] (no ASCII white space, some
// non-ASCII) when it is valid UTF-8 and every non-ASCII code point in it
// has one of the Word_Break values the rules below know, and reports
// whether it did:
//   - ALetter, which UAX#29 gives the same rules as the ASCII letters
//     (WB5-WB7, WB9, WB10, WB13a, WB13b): most words of the web's
//     non-Latin and accented-Latin text (Cyrillic, Greek, Hangul, Arabic
//     letters, ...);
//   - Katakana, which joins only Katakana and ExtendNumLet (WB13-WB13b);
//   - Other that is no Extended_Pictographic: Han, Hiragana, CJK and
//     other punctuation, no-break spaces. No rule joins it to anything
//     but a following Extend, Format or ZWJ (WB4), none of which passes.
//
// In such a chunk only WB5-WB13b can join two code points, and wbJoins
// applies them to the code points' classes. Marks (Extend), Hebrew,
// Thai, emoji, non-ASCII digits and the rest take the uax29 package's
// path, as does invalid UTF-8. FuzzSegmentMatchesUAX29 checks the result.
func letterSegments(text string, lo, hi int, emit spanFunc) bool {
	// First pass: may the chunk take this path at all? The classes of
	// the first code points are kept for the second (most chunks are
	// short: words).
	var memo [maxMemo]struct{ k, size uint8 }
	n := 0 // code points seen
	for i := lo; i < hi; n++ {
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:hi])
		k := runeWB(r)
		if size == 1 || k&wbKnown == 0 {
			return false
		}
		if n < maxMemo {
			memo[n].k, memo[n].size = k, uint8(size)
		}
		i += size
	}
	// Second pass: the rules, one code point of look-ahead; i is the
	// offset of the n-th code point.
	next := func(i, n int) (wb, tc uint8, size int) {
		if c := text[i]; c < utf8.RuneSelf {
			return asciiWB[c], asciiTokenClass[c], 1
		}
		var k uint8
		if n < maxMemo {
			k, size = memo[n].k, int(memo[n].size)
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:hi])
			k = runeWB(r)
		}
		return k & wbClassMask, k >> wbTCShift, size
	}
	prev, flags, size := next(lo, 0)
	before := uint8(wbOther)
	start, runes := lo, 1
	i, n := lo+size, 1
	var cur, tc uint8
	if i < hi {
		cur, tc, size = next(i, n)
	}
	for i < hi {
		after, atc, asize := uint8(wbOther), uint8(0), 0
		if i+size < hi {
			after, atc, asize = next(i+size, n+1)
		}
		if !wbJoins(before, prev, cur, after) {
			emit(start, i, flags, runes)
			start, flags, runes = i, 0, 0
		}
		flags |= tc
		runes++
		before, prev = prev, cur
		i += size
		n++
		cur, tc, size = after, atc, asize
	}
	emit(start, hi, flags, runes)
	return true
}

// maxMemo is how many code points' classes letterSegments keeps from its
// first pass to its second.
const maxMemo = 32

// runeWB packs, for a non-ASCII code point, what letterSegments needs:
// wbKnown when it may take that path, its Word_Break class there
// (wbLetter, wbKatakana or wbOther) and, above wbTCShift, its token class
// (runeTokenClass).
func runeWB(r rune) uint8 {
	if r >= 0x10000 {
		return 0
	}
	b := r >> 7
	bl := &wbBlocks[b]
	bl.once.Do(func() {
		for k := rune(0); k < 128; k++ {
			bl.class[k] = probeWB(b<<7 | k)
		}
	})
	return bl.class[r&127]
}

const (
	wbClassMask = 7
	wbKnown     = 8
	wbTCShift   = 4
)

var wbBlocks [0x10000 >> 7]struct {
	once  sync.Once
	class [128]uint8
}

// probeWB finds a code point's runeWB. The Word_Break property is read
// from the uax29 package itself, by how it segments short probes, one
// block of 128 code points at a time on first use, so the fast path
// cannot disagree with the package it stands in for.
func probeWB(r rune) uint8 {
	if !utf8.ValidRune(r) || r < utf8.RuneSelf {
		return 0
	}
	var class uint8
	switch x := string(r); {
	case probeALetter(x):
		class = wbLetter
	case probeKatakana(x):
		class = wbKatakana
	case probeLone(x):
		class = wbOther
	default:
		return 0
	}
	return class | wbKnown | runeTokenClass(r)<<wbTCShift
}

// probeALetter tells ALetter from every other Word_Break value by the
// rules only ALetter obeys together: it joins letters on both sides (WB5,
// not only WB4's Extend/Format, which also join after "."), joins across
// ":" (WB6/7: ALetter or Hebrew_Letter), and does not join a following
// "'" (WB7a: Hebrew_Letter does), nor across "," (WB11/12: Numeric).
func probeALetter(x string) bool {
	return segments("a"+x+"a") == 1 && segments(x+x) == 1 && segments("."+x) == 2 &&
		segments(x+":"+x) == 1 && segments(x+"'") == 2 && segments(x+","+x) == 3 &&
		segments(x+"\""+x) == 3 && segments("1"+x+"1") == 1 && segments(x+"_"+x) == 1
}

// probeKatakana: Katakana joins itself and "_" on either side (WB13,
// WB13a, WB13b), and no letter, digit, mark or punctuation.
func probeKatakana(x string) bool {
	return segments(x+x) == 1 && segments("ア"+x) == 1 && segments(x+"_"+x) == 1 &&
		segments("a"+x) == 2 && segments(x+"a") == 2 && segments("1"+x) == 2 && segments(x+"1") == 2 &&
		segments("."+x) == 2 && segments(x+":"+x) == 3 && segments(x+"."+x) == 3 && segments(x+"'"+x) == 3
}

// probeLone: Other that no rule joins to a neighbour of any class the
// fast path knows: not to itself (WB3d WSegSpace, WB15 Regional
// Indicator), not after a ZWJ (WB3c Extended_Pictographic), not to
// letters, digits, "_" or Katakana on either side, nor onto a letter
// before it (WB4 Extend, Format, ZWJ).
func probeLone(x string) bool {
	return segments(x+x) == 2 && segments("\u200d"+x) == 2 && segments("a"+x+"a") == 3 &&
		segments("1"+x+"1") == 3 && segments("_"+x+"_") == 3 && segments("ア"+x+"ア") == 3 &&
		segments("a."+x) == 3 && segments("1,"+x) == 3 && segments("a:"+x) == 3 && segments(x+"\u0301") == 1
}

func segments(s string) int {
	n := 0
	for it := words.FromString(s); it.Next(); {
		n++
	}
	return n
}
