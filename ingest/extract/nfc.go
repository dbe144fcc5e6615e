package extract

import (
	"encoding/binary"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nfc returns s in Unicode Normalization Form C, the form text is
// compared, searched and deduplicated in (trafilatura normalises too). Most
// text already is: the check is a fast scan (isNFC), and only text that
// fails it goes through the norm package.
func nfc(s string) string {
	if isNFC(s) || norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// isNFC reports that s is in NFC because every code point in it is a
// "stable" one: canonical combining class 0 and NFC_Quick_Check=Yes (it is
// not decomposed by NFC and nothing before it can combine with it). A
// string of stable code points passes UAX #15's quick check with the
// answer YES, so norm.NFC.IsNormalString would return true for it; false
// here only means "ask the norm package". ASCII is read 8 bytes at a time;
// other code points up to U+2FFFF are looked up in a bit table built from
// the norm package's own data on first use; invalid UTF-8 and the planes
// above fall back.
//
// The norm package's check costs ~5 ns per code point of non-Latin text;
// for the scripts of most of the web (Cyrillic, Greek, Arabic, Han, kana,
// Hangul syllables, Thai, precomposed Latin) this scan is a table lookup.
func isNFC(s string) bool {
	i := 0
	for i < len(s) {
		if i+8 <= len(s) && binary.LittleEndian.Uint64([]byte(s[i:i+8]))&0x8080808080808080 == 0 {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if size == 1 || r >= stableLimit {
			return false
		}
		stableOnce.Do(buildStable)
		if stable[r>>6]&(1<<(r&63)) == 0 {
			return false
		}
		i += size
	}
	return true
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
