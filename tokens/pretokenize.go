package tokens

import (
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// splitCl100k calls piece for each pre-token of s, exactly as tiktoken's
// cl100k_base pattern splits it:
//
//	(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
//	 ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// The alternatives are tried in order at each position, as the regex engine
// does; a hand-written scanner is used because the backtracking regex
// (regexp2) is the slowest part of counting by far. s must be valid UTF-8.
func splitCl100k(s string, piece func(string)) {
	for i := 0; i < len(s); {
		n := pieceLen(s, i)
		piece(s[i : i+n])
		i += n
	}
}

// pieceLen returns the length of the pre-token starting at i (> 0).
func pieceLen(s string, i int) int {
	// Fast path for the commonest pre-tokens, a word of Latin letters with
	// or without a space before it: the second alternative,
	// [^\r\n\p{L}\p{N}]?\p{L}+, is the first that can match there (the
	// first needs an apostrophe), and ASCII letters need no decoding.
	// letters goes on past the ASCII ones (é, ß), as matchCl100k would.
	if c := s[i]; isASCIILetter(c) {
		return letters(s, i)
	} else if c == ' ' && i+1 < len(s) && isASCIILetter(s[i+1]) {
		return 1 + letters(s, i+1)
	}
	return matchCl100k(s, i)
}

// isASCIILetter reports whether c is A-Z or a-z, the only ASCII runes in
// \p{L}.
func isASCIILetter(c byte) bool { return (c|0x20)-'a' < 26 }

// rune classes of the pattern.
const (
	classOther  = iota // neither letter, number nor white space
	classLetter        // \p{L}
	classNumber        // \p{N}
	classSpace         // \s
)

// bmpClass holds the class of every rune of the Basic Multilingual Plane,
// four to a byte (16 KB): one load instead of unicode's binary searches of
// range tables, for the letters of every script in common use. Runes
// above it (emoji, historic scripts) take classOf.
var bmpClass = func() (t [1 << 14]uint8) {
	for r := rune(0); r < 1<<16; r++ {
		t[r>>2] |= classOf(r) << (2 * (r & 3))
	}
	return t
}()

func bmpClassOf(r rune) uint8 { return bmpClass[r>>2] >> (2 * (r & 3)) & 3 }

func classOf(r rune) uint8 {
	switch {
	case unicode.IsLetter(r):
		return classLetter
	case unicode.IsNumber(r):
		return classNumber
	case isSpace(r):
		return classSpace
	}
	return classOther
}

// isSpace is \s of the regex engines tiktoken is defined by: the Unicode
// White_Space property, which for Go is unicode.IsSpace.
func isSpace(r rune) bool { return unicode.IsSpace(r) }

// next decodes the rune at i and returns its class and width; ok is false
// at the end of s.
func next(s string, i int) (r rune, class uint8, w int, ok bool) {
	if i >= len(s) {
		return 0, 0, 0, false
	}
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), bmpClassOf(rune(c)), 1, true
	}
	// Two- and three-byte sequences (all of the BMP but ASCII) decoded
	// inline; s is valid UTF-8, so the continuation bytes are there.
	if c < 0xE0 && i+1 < len(s) {
		r = rune(c&0x1F)<<6 | rune(s[i+1]&0x3F)
		return r, bmpClassOf(r), 2, true
	}
	if c < 0xF0 && i+2 < len(s) {
		r = rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
		return r, bmpClassOf(r), 3, true
	}
	r, w = utf8.DecodeRuneInString(s[i:])
	if r < 1<<16 {
		return r, bmpClassOf(r), w, true
	}
	return r, classOf(r), w, true
}

func isNewline(r rune) bool { return r == '\r' || r == '\n' }

// matchCl100k returns the length of the pre-token starting at i (> 0).
func matchCl100k(s string, i int) int {
	r, cls, w, _ := next(s, i)

	// (?i:'s|'t|'re|'ve|'m|'ll|'d)
	if r == '\'' {
		if n := contraction(s[i+1:]); n > 0 {
			return 1 + n
		}
	}
	// [^\r\n\p{L}\p{N}]?\p{L}+
	if cls == classLetter {
		return w + letters(s, i+w)
	}
	if cls != classNumber && !isNewline(r) {
		if _, c2, _, ok := next(s, i+w); ok && c2 == classLetter {
			return w + letters(s, i+w)
		}
	}
	// \p{N}{1,3}
	if cls == classNumber {
		n := w
		for k := 1; k < 3; k++ {
			_, c, w2, ok := next(s, i+n)
			if !ok || c != classNumber {
				break
			}
			n += w2
		}
		return n
	}
	// ' ?[^\s\p{L}\p{N}]+[\r\n]*'
	start := i
	if r == ' ' {
		if _, c2, _, ok := next(s, i+1); ok && c2 == classOther {
			start = i + 1
		}
	}
	if c0 := classAt(s, start); c0 == classOther {
		j := start
		for {
			_, c, w2, ok := next(s, j)
			if !ok || c != classOther {
				break
			}
			j += w2
		}
		for j < len(s) && (s[j] == '\r' || s[j] == '\n') {
			j++
		}
		return j - i
	}
	// Only white space is left: the run of white space starting at i.
	end, lastNL := i, -1
	for {
		r2, c, w2, ok := next(s, end)
		if !ok || c != classSpace {
			break
		}
		if isNewline(r2) {
			lastNL = end
		}
		end += w2
	}
	// \s*[\r\n]+ : greedy white space, backtracking to the last newline.
	if lastNL >= 0 {
		return lastNL + 1 - i
	}
	// \s+(?!\S) : the whole run at the end of the text, else all of it but
	// its last character when that leaves at least one.
	if end == len(s) {
		return end - i
	}
	_, lastW := utf8.DecodeLastRuneInString(s[i:end])
	if end-lastW > i {
		return end - lastW - i
	}
	// \s+
	return end - i
}

func classAt(s string, i int) uint8 {
	_, c, _, ok := next(s, i)
	if !ok {
		return classSpace // no match possible
	}
	return c
}

// letters returns the byte length of the run of letters at i.
func letters(s string, i int) int {
	j := i
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf {
			// ASCII letters without the general decoding (most words),
			// eight at a time where there are eight bytes left
			if j+8 <= len(s) {
				n := asciiLetterRun(headWord(s[j : j+8]))
				j += n
				if n < 8 && s[j] < utf8.RuneSelf {
					break // the run ends at an ASCII non-letter
				}
				continue // eight letters, or a non-ASCII byte after n
			}
			if !isASCIILetter(c) {
				break
			}
			j++
			continue
		}
		// two- and three-byte letters (Cyrillic, Greek, Arabic, Indic,
		// CJK) decoded here rather than by a call to next
		var r rune
		var w int
		switch c := s[j]; {
		case c < 0xE0 && j+1 < len(s):
			r, w = rune(c&0x1F)<<6|rune(s[j+1]&0x3F), 2
		case c < 0xF0 && j+2 < len(s):
			r, w = rune(c&0x0F)<<12|rune(s[j+1]&0x3F)<<6|rune(s[j+2]&0x3F), 3
		default:
			_, cls, w4, _ := next(s, j)
			if cls != classLetter {
				return j - i
			}
			j += w4
			continue
		}
		if bmpClassOf(r) != classLetter {
			break
		}
		j += w
	}
	return j - i
}

// asciiLetterRun returns how many of the eight bytes of w (little-endian,
// first byte lowest) are ASCII letters before the first byte that is not:
// each byte folded to lower case and masked to 7 bits is at least 'a'
// (adding 0x80-'a' sets its top bit) and at most 'z' (subtracting it from
// 0x80+'z' leaves the top bit set), and the byte was ASCII. Neither sum
// carries out of its byte (x ≤ 0x7F), so the bytes do not interfere.
func asciiLetterRun(w uint64) int {
	const (
		lo = 0x0101010101010101
		hi = 0x8080808080808080
	)
	x := (w | 0x20*lo) &^ hi
	letter := (x + (0x80-'a')*lo) & ((0x80+'z')*lo - x) &^ w & hi
	return bits.TrailingZeros64(^letter&hi) / 8
}

// contraction matches s|t|re|ve|m|ll|d, ignoring case, at the start of s.
func contraction(s string) int {
	lower := func(k int) byte {
		if k >= len(s) {
			return 0
		}
		c := s[k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return c
	}
	switch lower(0) {
	case 's', 't', 'm', 'd':
		return 1
	case 'r', 'v':
		if lower(1) == 'e' {
			return 2
		}
	case 'l':
		if lower(1) == 'l' {
			return 2
		}
	}
	return 0
}
