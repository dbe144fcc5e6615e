package dedup

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sieve-data/sieve/internal/runeclass"
)

// normalizer turns text into its dedup form: Unicode NFKC, lower case,
// punctuation and symbols removed (so "don't" and "dont" agree, as with
// datatrove's remove_punctuation), every digit folded to '0', and tokens
// separated by exactly one space. Characters of scripts written without
// spaces between words (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar,
// Tibetan) each become a token of their own, so shingles over them are
// character n-grams instead of one giant "word".
//
// A normalizer reuses its buffers: after warm-up, normalising allocates
// nothing. It is not safe for concurrent use.
type normalizer struct {
	nfkc []byte
	out  []byte
	ends []int32 // end offset in out of each token
}

// ASCII byte classes for the fast path.
const (
	asciiSep = iota
	asciiLetter
	asciiDigit
	asciiDrop
)

// asciiWord8 is asciiWord on eight bytes at once (SWAR, little endian):
// n is the number of leading bytes of x that are ASCII letters or digits,
// and the first n bytes of w are their asciiWord values (the rest is
// garbage). Each test adds a constant to the low seven bits of every byte,
// which cannot carry into the next byte, and reads the top bit:
// y = b|0x20 is a lower-case letter when 0x61 <= y <= 0x7a, b a digit
// when 0x30 <= b <= 0x39; a byte with its top bit set is not ASCII.
// TestASCIIWord8 checks it against asciiWord for every byte in every
// position.
func asciiWord8(x uint64) (w uint64, n int) {
	const (
		hi   = 0x8080808080808080
		lo7  = 0x7f7f7f7f7f7f7f7f
		ones = 0x0101010101010101
	)
	x7 := x & lo7
	y := x7 | 0x20*ones
	letter := (y + 0x1f*ones) &^ (y + 0x05*ones)
	digit := (x7 + 0x50*ones) &^ (x7 + 0x46*ones)
	ascii := ^x & hi
	word := (letter | digit) & ascii
	digit &= ascii
	// Letters to lower case; digits (0x30-0x39, bit 0x20 already set) to '0'.
	w = (x | 0x20*ones) &^ ((digit >> 7) * 0x0f)
	return w, bits.TrailingZeros64(^word&hi) >> 3
}

// load64 reads s[i:i+8] as a little-endian number.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// asciiWord maps an ASCII letter to its lower case and a digit to '0';
// every other byte, non-ASCII ones included, to 0.
var asciiWord = func() (t [256]byte) {
	for c := range 128 {
		switch asciiClass[c] {
		case asciiLetter:
			t[c] = byte(c) | 0x20
		case asciiDigit:
			t[c] = '0'
		}
	}
	return t
}()

var asciiClass = func() (t [128]byte) {
	for c := range 128 {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			t[c] = asciiLetter
		case '0' <= c && c <= '9':
			t[c] = asciiDigit
		case c <= ' ' || c == 0x7f:
			t[c] = asciiSep
		default:
			t[c] = asciiDrop
		}
	}
	return t
}()

// normalize fills n.out and n.ends for text.
//
// Most web text is already NFKC: then it is folded as it is, and the
// quick check that proves it rides along the fold (nfkcState, one table
// look-up per non-ASCII rune, see nfkc.go). When the check meets a rune
// that may change (often a no-break space far into the page), the fold
// restarts on the NFKC form: the verbatim prefix up to that rune, which
// the check has proven normalised, joined by norm's Append to the
// normalised rest (Append defines the result as NFKC of the whole text
// for any normalised prefix). Text that is not valid UTF-8 takes norm's
// own path (QuickSpanString, then Append), as before.
func (n *normalizer) normalize(text string) {
	q, ok := n.fold(text, true) // ASCII text never stops the check
	if ok && q == len(text) {
		return
	}
	if !ok {
		q = norm.NFKC.QuickSpanString(text)
	}
	src := text
	if q < len(text) {
		n.nfkc = norm.NFKC.AppendString(append(n.nfkc[:0], text[:q]...), text[q:])
		src = unsafeString(n.nfkc)
	}
	n.fold(src, false)
}

// fold writes the dedup form of src to n.out and n.ends. With check, it
// also runs the NFKC quick check and stops at the first rune it cannot
// prove normalised, returning that rune's offset and whether the rest of
// src is valid UTF-8 (as nfkcSpan does); a complete fold returns
// len(src), true.
func (n *normalizer) fold(src string, check bool) (stop int, valid bool) {
	out := n.out[:0]
	ends := n.ends[:0]
	var qc nfkcState
	// inToken: the last byte of out belongs to an open token. kept: the
	// previous source character was written to out, so a combining mark
	// that follows may attach to it (a mark after a dropped character is
	// dropped too, or the output would stop being NFKC).
	inToken, kept := false, false
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			qc.reset()
			if w := asciiWord[c]; w != 0 {
				// A letter or digit: copy the whole run of them at once
				// (one unpredictable branch per word, not per byte).
				if !inToken {
					if len(out) > 0 {
						out = append(out, ' ')
					}
					inToken = true
				}
				// Eight bytes at a time: the first n bytes of each chunk
				// that are letters or digits are kept, folded by asciiWord8.
				ended := false
				for i+8 <= len(src) {
					x := load64(src, i)
					w8, n := asciiWord8(x)
					out = binary.LittleEndian.AppendUint64(out, w8)
					out = out[:len(out)-8+n]
					i += n
					if n < 8 {
						ended = true
						break
					}
				}
				for ; !ended && i < len(src); i++ {
					w := asciiWord[src[i]]
					if w == 0 {
						break
					}
					out = append(out, w)
				}
				kept = true
				continue
			}
			i++
			kept = false
			if asciiClass[c] == asciiSep && inToken {
				ends = append(ends, int32(len(out)))
				inToken = false
			}
			continue
		}
		r, size := decodeRune(src[i:])
		info := runeInfoOf(r)
		if check {
			if r == utf8.RuneError && size == 1 {
				n.out, n.ends = out, ends
				return i, false
			}
			if !qc.step(info.nfkc) {
				n.out, n.ends = out, ends
				return i, utf8.ValidString(src[i:])
			}
		}
		i += size
		wasKept := kept
		kept = false
		rc := info.class
		switch {
		case r == utf8.RuneError && size == 1:
			if inToken {
				ends = append(ends, int32(len(out)))
				inToken = false
			}
		case rc&runeclass.Mark != 0:
			// Combining marks (Thai vowels, Devanagari matras) belong to the
			// character before them; alone they are dropped.
			if inToken && wasKept {
				out = utf8.AppendRune(out, r)
				kept = true
			}
		case rc&runeclass.Unspaced != 0:
			// The character is a token of its own, with the marks after it.
			if inToken {
				ends = append(ends, int32(len(out)))
			}
			if len(out) > 0 {
				out = append(out, ' ')
			}
			out = utf8.AppendRune(out, info.lower)
			for i < len(src) {
				m, msize := decodeRune(src[i:])
				mi := runeInfoOf(m)
				if mi.class&runeclass.Mark == 0 {
					break
				}
				if check && !qc.step(mi.nfkc) {
					// This mark is where the check stops: the fold
					// restarts, so the partial token does not matter.
					n.out, n.ends = out, ends
					return i, utf8.ValidString(src[i:])
				}
				out = utf8.AppendRune(out, m)
				i += msize
			}
			ends = append(ends, int32(len(out)))
			inToken = false
		case rc&(runeclass.Letter|runeclass.Number) != 0:
			if !inToken {
				if len(out) > 0 {
					out = append(out, ' ')
				}
				inToken = true
			}
			if rc&runeclass.Letter != 0 {
				out = utf8.AppendRune(out, info.lower)
			} else {
				out = append(out, '0')
			}
			kept = true
		case rc&(runeclass.Space|runeclass.Control|runeclass.SpaceSep) != 0:
			if inToken {
				ends = append(ends, int32(len(out)))
				inToken = false
			}
		default: // punctuation, symbols, format characters: dropped
		}
	}
	if inToken {
		ends = append(ends, int32(len(out)))
	}
	n.out, n.ends = out, ends
	return len(src), true
}

// tokens returns the number of tokens of the last normalize call.
func (n *normalizer) tokens() int { return len(n.ends) }

// span returns the bytes of tokens [from, to) joined by single spaces.
func (n *normalizer) span(from, to int) []byte {
	start := 0
	if from > 0 {
		start = int(n.ends[from-1]) + 1
	}
	return n.out[start:n.ends[to-1]]
}
