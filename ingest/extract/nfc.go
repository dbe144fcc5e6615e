package extract

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nfc returns s in Unicode Normalization Form C, the form text is
// compared, searched and deduplicated in (trafilatura normalises too). Most
// text already is: the check is a fast scan (stablePrefix), and only the
// part from the first code point it cannot vouch for goes through the
// norm package.
func nfc(s string) string {
	k := stablePrefix(s)
	if k == len(s) {
		return s
	}
	// s[:k] is stable code points and s[k] starts one too (or k is 0):
	// a normalization boundary, so only the rest needs the norm package
	// (NFC(s) is NFC(s[:k]) followed by NFC(s[k:]), and s[:k] is NFC).
	tail := s[k:]
	if norm.NFC.IsNormalString(tail) {
		return s
	}
	return s[:k] + norm.NFC.String(tail)
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
	t := stable
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
			if size == 1 || r >= stableLimit {
				return cutBefore(s, last)
			}
			i += size
		}
		if t[r>>6]&(1<<(r&63)) == 0 {
			return cutBefore(s, last)
		}
	}
	return len(s)
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
