// Package runeclass answers the unicode package's category questions
// (letter? mark? space? ...) for a rune with one table look-up.
//
// The unicode.Is* functions binary-search range tables: a few hundred
// nanoseconds per non-ASCII rune, which adds up to several percent of a
// pipeline over multilingual web text when the filters, the dedup
// normaliser and the counters each ask. Runes of the Basic Multilingual
// Plane (nearly all web text) are answered from a 128 KiB table built from
// the same range tables at start-up; the rest fall back to the unicode
// package, so the answers are the unicode package's for every rune.
package runeclass

import "unicode"

// Class is a set of the categories a rune belongs to.
type Class uint16

const (
	Letter   Class = 1 << iota // unicode.IsLetter
	Mark                       // unicode.IsMark
	Number                     // unicode.IsNumber
	Punct                      // unicode.IsPunct
	Symbol                     // unicode.IsSymbol
	Space                      // unicode.IsSpace
	Control                    // unicode.IsControl
	SpaceSep                   // unicode.Zs (space separators)
	// Unspaced marks the scripts written without spaces between words
	// (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar, Tibetan, Yi):
	// their text has to be cut into characters, not split on spaces.
	Unspaced
)

// UnspacedScripts are the scripts of the Unspaced class.
var UnspacedScripts = []*unicode.RangeTable{
	unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao,
	unicode.Khmer, unicode.Myanmar, unicode.Tibetan, unicode.Yi,
}

const bmpSize = 0x10000

var bmp = buildBMP()

// buildBMP walks the range tables rather than asking about each of the
// 65,536 runes, which keeps start-up under a millisecond.
func buildBMP() *[bmpSize]Class {
	t := new([bmpSize]Class)
	mark := func(tab *unicode.RangeTable, c Class) {
		for _, rg := range tab.R16 {
			for r := uint32(rg.Lo); r <= uint32(rg.Hi); r += uint32(rg.Stride) {
				t[r] |= c
			}
		}
	}
	mark(unicode.L, Letter)
	mark(unicode.M, Mark)
	mark(unicode.N, Number)
	mark(unicode.P, Punct)
	mark(unicode.S, Symbol)
	mark(unicode.White_Space, Space)
	mark(unicode.Zs, SpaceSep)
	for _, s := range UnspacedScripts {
		mark(s, Unspaced)
	}
	// unicode.IsControl is the C0 and C1 control codes only.
	for r := 0; r < 0x20; r++ {
		t[r] |= Control
	}
	for r := 0x7f; r < 0xa0; r++ {
		t[r] |= Control
	}
	return t
}

// Of returns the classes of r.
func Of(r rune) Class {
	if uint32(r) < bmpSize {
		return bmp[r]
	}
	return slow(r)
}

// unicodeChecks are the unicode package's answers for each class.
var unicodeChecks = []struct {
	class Class
	is    func(rune) bool
}{
	{Letter, unicode.IsLetter},
	{Mark, unicode.IsMark},
	{Number, unicode.IsNumber},
	{Punct, unicode.IsPunct},
	{Symbol, unicode.IsSymbol},
	{Space, unicode.IsSpace},
	{Control, unicode.IsControl},
	{SpaceSep, func(r rune) bool { return unicode.Is(unicode.Zs, r) }},
	{Unspaced, func(r rune) bool { return unicode.In(r, UnspacedScripts...) }},
}

// slow answers for runes outside the table with the unicode package.
func slow(r rune) Class {
	var c Class
	for _, u := range unicodeChecks {
		if u.is(r) {
			c |= u.class
		}
	}
	return c
}

// Has reports whether r belongs to any of the classes in c.
func Has(r rune, c Class) bool { return Of(r)&c != 0 }

// IsSpace is unicode.IsSpace.
func IsSpace(r rune) bool { return Of(r)&Space != 0 }

// IsLetter is unicode.IsLetter.
func IsLetter(r rune) bool { return Of(r)&Letter != 0 }
