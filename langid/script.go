package langid

import "unicode"

// script is one of the alphabets lingua-go's rule engine knows, in lingua's
// own order (which decides ties when a word is counted for an alphabet).
type script uint8

const (
	scriptArabic script = iota
	scriptArmenian
	scriptBengali
	scriptCyrillic
	scriptDevanagari
	scriptGeorgian
	scriptGreek
	scriptGujarati
	scriptGurmukhi
	scriptHan
	scriptHangul
	scriptHebrew
	scriptHiragana
	scriptKatakana
	scriptLatin
	scriptTamil
	scriptTelugu
	scriptThai
	numScripts
	scriptNone = numScripts
)

var scriptTables = [numScripts]*unicode.RangeTable{
	unicode.Arabic, unicode.Armenian, unicode.Bengali, unicode.Cyrillic, unicode.Devanagari,
	unicode.Georgian, unicode.Greek, unicode.Gujarati, unicode.Gurmukhi, unicode.Han,
	unicode.Hangul, unicode.Hebrew, unicode.Hiragana, unicode.Katakana, unicode.Latin,
	unicode.Tamil, unicode.Telugu, unicode.Thai,
}

// Per-rune classes for the Basic Multilingual Plane, so the hot loop does a
// table look-up instead of a range-table search.
const (
	classLetter  = 1 << 7 // unicode.IsLetter (regexp \p{L})
	classScript  = 0x1f   // low bits: the script, or scriptNone
	bmpTableSize = 0x10000
)

var bmpClass = func() *[bmpTableSize]uint8 {
	var t [bmpTableSize]uint8
	for r := range rune(bmpTableSize) {
		t[r] = classOfSlow(r)
	}
	return &t
}()

func classOfSlow(r rune) uint8 {
	c := uint8(scriptNone)
	for s, tab := range scriptTables {
		if unicode.Is(tab, r) {
			c = uint8(s)
			break
		}
	}
	if unicode.IsLetter(r) {
		c |= classLetter
	}
	return c
}

// classOf returns the rune's script (or scriptNone) and whether it is a letter.
func classOf(r rune) (script, bool) {
	var c uint8
	if r >= 0 && r < bmpTableSize {
		c = bmpClass[r]
	} else {
		c = classOfSlow(r)
	}
	return script(c & classScript), c&classLetter != 0
}

// isSingleCharWord reports scripts whose every character lingua treats as a
// word of its own (its word pattern starts with \p{Han}|\p{Hangul}|
// \p{Hiragana}|\p{Katakana}).
func isSingleCharWord(s script) bool {
	return s == scriptHan || s == scriptHangul || s == scriptHiragana || s == scriptKatakana
}
