package dedup

import (
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sieve-data/sieve/internal/runeclass"
)

// nfkcSpan is a faster norm.NFKC.QuickSpanString for valid UTF-8 text: it
// returns n such that text[:n] is in NFKC, as the norm package computes it,
// and n == len(text) when the norm package's quick check would find the
// whole text normalised (nearly all web text). It stops early, at the
// start of a rune, where it cannot be sure; the caller then normalises
// text[n:] with norm.NFKC.AppendString(text[:n], text[n:]), which the
// norm package defines as NFKC(text) whatever n is, as long as text[:n] is
// normalised. ok is false when text is not valid UTF-8: the norm package
// has its own rules for invalid bytes, so the caller must then take its
// path unchanged.
//
// Why it is exact: norm's quickSpan walks the text rune by rune with the
// rune's quick-check flag (NFKC_QC Yes, else stop), its leading combining
// class (a non-starter must not have a lower class than the rune before
// it) and a count of consecutive non-starters (the stream-safe format
// inserts U+034F after 30). nfkcSpan walks the same way with the same
// facts, read from a table built once from norm's own answers (see
// buildNFKCTable): a starter that is quick-check Yes resets the state; a
// non-starter that is quick-check Yes must not lower the class and may
// follow at most maxMarkRun others, far below 30 even after a starter that
// decomposes with trailing non-starters. Runes the table does not cover
// (above U+2FFFF) or does not know to be safe stop the walk. The tests
// check the table against norm for every rune and every pair of
// non-starters, and fuzz nfkcSpan against QuickSpanString.
//
// Skipping QuickSpanString saves its trie look-ups per rune: the table
// holds one byte per rune of the first three planes, built in blocks of
// 128 runes when a text first needs one (the whole table would take about
// 20 ms; a corpus in a few scripts touches a few dozen blocks).
func nfkcSpan(text string) (n int, ok bool) {
	var qc nfkcState
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			qc.reset()
			continue
		}
		r, size := decodeRune(text[i:])
		if r == utf8.RuneError && size == 1 {
			return i, false
		}
		if !qc.step(runeInfoOf(r).nfkc) {
			return i, utf8.ValidString(text[i:])
		}
		i += size
	}
	return len(text), true
}

// nfkcState is the quick check's state between runes: the combining class
// of the last rune and the number of non-starters since the last starter.
type nfkcState struct {
	lastCC uint8
	run    uint8
}

// reset is the step over an ASCII byte (a starter).
func (s *nfkcState) reset() { *s = nfkcState{} }

// step advances over a non-ASCII rune with table entry e and reports
// whether the text up to and including it is still proven normalised.
func (s *nfkcState) step(e uint8) bool {
	switch e {
	case nfkcStarter:
		*s = nfkcState{}
		return true
	case nfkcUnsafe:
		return false
	}
	// A non-starter of class e.
	if e < s.lastCC || s.run >= maxMarkRun {
		return false
	}
	s.lastCC, s.run = e, s.run+1
	return true
}

// runeInfo is what the dedup fold needs to know about a rune: its NFKC
// table entry, its categories (runeclass.Of, kept here so that one look-up
// answers all three) and its lower case.
type runeInfo struct {
	nfkc  uint8
	class runeclass.Class
	lower rune
}

// runeInfoOf returns r's table entries; runes above the table are unsafe
// for the fast path and lower-cased by the unicode package.
func runeInfoOf(r rune) runeInfo {
	if uint32(r) >= nfkcTabSize {
		return runeInfo{nfkcUnsafe, runeclass.Of(r), unicode.ToLower(r)}
	}
	b := nfkcBlocks[r>>nfkcBlockBits].Load()
	if b == nil {
		b = buildNFKCBlock(r >> nfkcBlockBits)
		nfkcBlocks[r>>nfkcBlockBits].Store(b)
	}
	k := r & (1<<nfkcBlockBits - 1)
	return runeInfo{b.nfkc[k], b.class[k], b.lower[k]}
}

// decodeRune is utf8.DecodeRuneInString with the two- and three-byte
// forms (Latin, Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, CJK) decoded
// inline; everything else, invalid bytes included, goes to the utf8
// package, so the result is always the same as its.
func decodeRune(s string) (rune, int) {
	if len(s) >= 3 {
		c0, c1, c2 := s[0], s[1], s[2]
		if c0&0xE0 == 0xC0 && c0 >= 0xC2 && c1&0xC0 == 0x80 {
			return rune(c0&0x1F)<<6 | rune(c1&0x3F), 2
		}
		if c0&0xF0 == 0xE0 && c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			// Overlong forms (below U+0800) and surrogates are invalid.
			if r := rune(c0&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F); r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
				return r, 3
			}
		}
	}
	return utf8.DecodeRuneInString(s)
}

// Table entries: nfkcStarter for a quick-check-Yes starter, nfkcUnsafe for
// a rune the fast path does not handle, else the combining class of a
// quick-check-Yes non-starter (1..254; Unicode uses at most 240).
const (
	nfkcStarter = 0
	nfkcUnsafe  = 255
	nfkcTabSize = 0x30000
	// maxMarkRun bounds a run of non-starters on the fast path; the
	// stream-safe limit is 30 including up to 3 trailing non-starters of
	// the starter before.
	maxMarkRun = 16
)

const nfkcBlockBits = 7

// nfkcBlocks holds the table's blocks, built on first use. Two goroutines
// may build the same block at once; they store the same bytes.
var nfkcBlocks [nfkcTabSize >> nfkcBlockBits]atomic.Pointer[runeBlock]

// runeBlock holds the table entries and lower cases of 128 runes.
type runeBlock struct {
	nfkc  [1 << nfkcBlockBits]uint8
	class [1 << nfkcBlockBits]runeclass.Class
	lower [1 << nfkcBlockBits]rune
}

// buildNFKCBlock classifies the runes of one block from norm's NFKC
// properties. A starter is safe when norm says it begins a segment that
// nothing before it combines with (BoundaryBefore: class 0 and not
// quick-check Maybe), it does not change under NFKC on its own (so it is
// not quick-check No) and its decomposition, if any, starts with a starter
// (no leading non-starters). A non-starter is safe when it has no
// decomposition (so it is one non-starter of its own class) and norm's
// quick check accepts it after "x" (it is not Maybe: it combines with no
// starter).
func buildNFKCBlock(block rune) *runeBlock {
	rb := new(runeBlock)
	t := &rb.nfkc
	var buf [1 + utf8.UTFMax]byte
	for i := range t {
		r := block<<nfkcBlockBits | rune(i)
		rb.lower[i] = unicode.ToLower(r)
		rb.class[i] = runeclass.Of(r)
		t[i] = nfkcUnsafe
		if r < utf8.RuneSelf || (0xD800 <= r && r <= 0xDFFF) {
			continue // ASCII: the walk handles it itself
		}
		buf[0] = 'x'
		s := buf[1 : 1+utf8.EncodeRune(buf[1:], r)]
		p := norm.NFKC.Properties(s)
		switch {
		case p.CCC() == 0 && p.LeadCCC() == 0:
			if !p.BoundaryBefore() {
				continue
			}
			if d := p.Decomposition(); d != nil {
				first, _ := utf8.DecodeRune(d)
				if norm.NFKC.PropertiesString(string(first)).CCC() != 0 || !norm.NFKC.IsNormal(s) {
					continue
				}
			}
			t[i] = nfkcStarter
		case p.CCC() != 0 && p.CCC() == p.LeadCCC() && p.CCC() < nfkcUnsafe && p.Decomposition() == nil:
			if xs := buf[:1+len(s)]; norm.NFKC.QuickSpan(xs) == len(xs) {
				t[i] = p.CCC()
			}
		}
	}
	return rb
}
