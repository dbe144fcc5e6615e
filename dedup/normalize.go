package dedup

import (
	"unicode"
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
func (n *normalizer) normalize(text string) {
	out := n.out[:0]
	ends := n.ends[:0]
	src := text
	// Most web text is already NFKC: then the copy is skipped. Otherwise
	// only the text from the first character that may change (often a
	// no-break space far into the page) goes through the normaliser;
	// Append joins it to the verbatim prefix at a normalisation boundary.
	// nfkcSpan finds that prefix faster than norm.NFKC.QuickSpanString
	// and as exactly (see nfkc.go); text that is not valid UTF-8 takes
	// norm's own path.
	if !isASCII(text) {
		q, ok := nfkcSpan(text)
		if !ok {
			q = norm.NFKC.QuickSpanString(text)
		}
		if q < len(text) {
			n.nfkc = norm.NFKC.AppendString(append(n.nfkc[:0], text[:q]...), text[q:])
			src = unsafeString(n.nfkc)
		}
	}
	// inToken: the last byte of out belongs to an open token. kept: the
	// previous source character was written to out, so a combining mark
	// that follows may attach to it (a mark after a dropped character is
	// dropped too, or the output would stop being NFKC).
	inToken, kept := false, false
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			i++
			kept = false
			switch asciiClass[c] {
			case asciiLetter:
				if !inToken {
					if len(out) > 0 {
						out = append(out, ' ')
					}
					inToken = true
				}
				out = append(out, c|0x20) // lower case
				kept = true
			case asciiDigit:
				if !inToken {
					if len(out) > 0 {
						out = append(out, ' ')
					}
					inToken = true
				}
				out = append(out, '0')
				kept = true
			case asciiSep:
				if inToken {
					ends = append(ends, int32(len(out)))
					inToken = false
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		i += size
		wasKept := kept
		kept = false
		rc := runeclass.Of(r)
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
			out = utf8.AppendRune(out, unicode.ToLower(r))
			for i < len(src) {
				m, msize := utf8.DecodeRuneInString(src[i:])
				if !runeclass.Has(m, runeclass.Mark) {
					break
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
				out = utf8.AppendRune(out, unicode.ToLower(r))
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

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
