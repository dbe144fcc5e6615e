package filter

import (
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
	it := words.FromString("")
	for i := 0; i < len(text); {
		if isASCIISpace(text[i]) {
			i++
			continue
		}
		j, ascii := i, true
		for j < len(text) && !isASCIISpace(text[j]) {
			if text[j] >= 0x80 {
				ascii = false
			}
			j++
		}
		if ascii {
			asciiSegments(text, i, j, emit)
		} else {
			// Include a few bytes after the chunk: at the very end of
			// its input the segmenter treats a truncated (invalid) UTF-8
			// sequence differently than before a space.
			it.SetText(text[i:min(j+utf8.UTFMax, len(text))])
			for it.Next() {
				if start := i + it.Start(); start < j {
					emit(start, min(i+it.End(), j))
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
func asciiSegments(text string, lo, hi int, emit func(start, end int)) {
	class := func(i int) uint8 {
		if i < lo || i >= hi {
			return wbOther
		}
		return asciiWB[text[i]]
	}
	start := lo
	for i := lo + 1; i < hi; i++ {
		prev, cur := class(i-1), class(i)
		join := false
		switch {
		case (prev == wbLetter || prev == wbDigit) && (cur == wbLetter || cur == wbDigit): // WB5, WB8-10
			join = true
		case cur == wbUnderscore && (prev == wbLetter || prev == wbDigit || prev == wbUnderscore): // WB13a
			join = true
		case prev == wbUnderscore && (cur == wbLetter || cur == wbDigit): // WB13b
			join = true
		case prev == wbLetter && (cur == wbMidLetter || cur == wbMidNumLet) && class(i+1) == wbLetter: // WB6
			join = true
		case prev == wbDigit && (cur == wbMidNum || cur == wbMidNumLet) && class(i+1) == wbDigit: // WB12
			join = true
		case cur == wbLetter && (prev == wbMidLetter || prev == wbMidNumLet) && class(i-2) == wbLetter: // WB7
			join = true
		case cur == wbDigit && (prev == wbMidNum || prev == wbMidNumLet) && class(i-2) == wbDigit: // WB11
			join = true
		}
		if !join {
			emit(start, i)
			start = i
		}
	}
	if start < hi {
		emit(start, hi)
	}
}
