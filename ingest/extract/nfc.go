package extract

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nfc returns s in Unicode Normalization Form C, the form text is
// compared, searched and deduplicated in (trafilatura normalises too). Most
// text already is: the check is a fast scan (stablePrefix), and only the
// code points it cannot vouch for go through the norm package, each
// stretch of them with the stable code point before it (a window).
//
// Cutting at stable code points is exact: a stable code point is a
// normalization boundary (nothing before it combines with it or is
// reordered past it), so NFC(s) is the NFC of the pieces between such
// boundaries, one after the other, and the pieces made only of stable
// code points are NFC already. Text in a script with combining marks
// (Arabic harakat, Vietnamese tones, Indic vowel signs) has a window per
// mark, a few code points each, instead of the rest of the page going
// through the norm package.
func nfc(s string) string {
	var out []byte // the NFC of s[:done], once a window was not NFC
	done := 0
	for from := 0; ; {
		k := from + stablePrefix(s[from:])
		if k == len(s) {
			break
		}
		// s[from:k] is stable, and s[k] starts a stable code point (or k
		// is from, itself a boundary): the window runs from k to the next
		// stable code point after the ones that are not.
		e, ok := windowEnd(s, k)
		if !ok {
			// Invalid UTF-8 or a code point above the table: the rest goes
			// to the norm package as one piece.
			e = len(s)
		}
		if w := s[k:e]; !norm.NFC.IsNormalString(w) {
			out = append(out, s[done:k]...)
			out = norm.NFC.AppendString(out, w)
			done = e
		}
		from = e
	}
	if out == nil {
		return s
	}
	return string(append(out, s[done:]...))
}

// windowEnd returns where the first stable code point after s[k]'s starts
// (len(s) if none); ok is false when it meets invalid UTF-8 or a code
// point the table does not cover, whose stability it cannot tell.
func windowEnd(s string, k int) (int, bool) {
	for i := k; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if size == 1 && r == utf8.RuneError || r >= stableLimit {
			return i, false
		}
		if i > k && isStable(r) {
			return i, true
		}
		i += size
	}
	return len(s), true
}

// stablePrefix returns len(s) when every code point in s is a
// "stable" one: canonical combining class 0 and NFC_Quick_Check=Yes (it is
// not decomposed by NFC and nothing before it can combine with it). A
// string of stable code points passes UAX #15's quick check with the
// answer YES, so norm.NFC.IsNormalString would return true for it.
// Otherwise it returns where the last stable code point before the first
// other one starts (0 when there is none): the text before it is NFC, and
// a stable code point cannot combine with what precedes it, so that is a
// place to cut the text for the norm package. ASCII is read 8 bytes at a
// time; other code points up to U+2FFFF are looked up in a bit table built
// from the norm package's own data on first use; invalid UTF-8 and the
// planes above stop the scan.
//
// The norm package's check costs ~5 ns per code point of non-Latin text;
// for the scripts of most of the web (Cyrillic, Greek, Arabic, Han, kana,
// Hangul syllables, Thai, precomposed Latin) this scan is a table lookup.
func stablePrefix(s string) int {
	stableOnce.Do(buildStable)
	i, last := 0, 0 // last: where the latest stable code point starts
	for i < len(s) {
		c := s[i]
		last = i
		if c < utf8.RuneSelf {
			if i+8 <= len(s) && load8(s, i)&0x8080808080808080 == 0 {
				i += 8
			} else {
				i++
			}
			continue
		}
		// Two- and three-byte sequences decoded inline (the utf8
		// package's call costs as much as the look-up); the others, and
		// anything invalid, go through DecodeRuneInString.
		var r rune
		switch {
		case c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			r = rune(c&0x1F)<<6 | rune(s[i+1]&0x3F)
			i += 2
		case c >= 0xE1 && c < 0xF0 && c != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			r = rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			i += 3
		default:
			var size int
			r, size = utf8.DecodeRuneInString(s[i:])
			if size == 1 {
				return cutBefore(s, last)
			}
			i += size
		}
		if !isStable(r) {
			return cutBefore(s, last)
		}
	}
	return len(s)
}

// isStable reports a stable code point: ASCII, or one of the table (see
// stablePrefix; U+30000 and above are not in it and count as not
// stable). The table must have been built (stableOnce).
func isStable(r rune) bool {
	return r < utf8.RuneSelf || r < stableLimit && stable[r>>6]&(1<<(r&63)) != 0
}

// cutBefore returns the start of the code point before the one at i (a
// stable one, or i is 0), the place stablePrefix cuts at.
func cutBefore(s string, i int) int {
	if i == 0 {
		return 0
	}
	_, size := utf8.DecodeLastRuneInString(s[:i])
	return i - size
}

// load8 reads 8 bytes of s at i as a little-endian word.
func load8(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// stableLimit bounds the table: the BMP and the two ideograph planes
// (emoji and CJK extension B are common on the web). 24 KiB.
const stableLimit = 0x30000

var (
	stableOnce sync.Once
	stable     *[stableLimit / 64]uint64
)

// buildStable fills the table of stable code points (~10 ms, once per
// process that meets non-ASCII text). BoundaryBefore is ccc 0 and not
// combining backward (NFC_QC=Maybe); IsNormalString of the code point
// alone rules out NFC_QC=No (singletons, composition exclusions).
func buildStable() {
	t := new([stableLimit / 64]uint64)
	var buf [utf8.UTFMax]byte
	for r := rune(0x80); r < stableLimit; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		b := buf[:utf8.EncodeRune(buf[:], r)]
		if norm.NFC.Properties(b).BoundaryBefore() && norm.NFC.IsNormal(b) {
			t[r>>6] |= 1 << (r & 63)
		}
	}
	stable = t
}
