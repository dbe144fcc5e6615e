package extracteval

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/sieve-data/sieve/internal/runeclass"
	"golang.org/x/net/html"
)

// Score is a precision, recall and F1 triple.
type Score struct{ P, R, F1 float64 }

// HTMLToPlainText strips the tags of an expected-output fragment and
// collapses whitespace, to compare it as text. Tags become spaces, so
// words in neighbouring elements do not run together.
func HTMLToPlainText(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	var sb strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return collapseSpace(sb.String())
		case html.TextToken:
			sb.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			sb.WriteByte(' ')
		}
	}
}

// WordBag splits text into lower-case word tokens for a bag-of-words
// comparison: runs of letters, digits and marks, and every Han, kana or
// Hangul character on its own (those scripts do not separate words by
// spaces).
func WordBag(s string) map[string]int {
	bag := map[string]int{}
	var word []rune
	emit := func() {
		if len(word) > 0 {
			bag[strings.ToLower(string(word))]++
			word = word[:0]
		}
	}
	for _, r := range s {
		switch {
		case isCJK(r):
			emit()
			bag[string(r)]++
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			word = append(word, r)
		default:
			emit()
		}
	}
	emit()
	return bag
}

// WordPRF returns word-level precision, recall and F1 of got against want
// (multiset overlap of their word bags). Two empty texts agree perfectly;
// one empty text against a non-empty one scores zero.
func WordPRF(got, want string) Score {
	g, w := WordBag(got), WordBag(want)
	var ng, nw, overlap int
	for t, n := range g {
		ng += n
		overlap += min(n, w[t])
	}
	for _, n := range w {
		nw += n
	}
	switch {
	case ng == 0 && nw == 0:
		return Score{1, 1, 1}
	case ng == 0 || nw == 0:
		return Score{}
	}
	s := Score{P: float64(overlap) / float64(ng), R: float64(overlap) / float64(nw)}
	if s.P+s.R > 0 {
		s.F1 = 2 * s.P * s.R / (s.P + s.R)
	}
	return s
}

// Mean is the per-page average of scores (zero for none).
func Mean(scores []Score) Score {
	var m Score
	for _, s := range scores {
		m.P += s.P
		m.R += s.R
		m.F1 += s.F1
	}
	if n := float64(len(scores)); n > 0 {
		m.P, m.R, m.F1 = m.P/n, m.R/n, m.F1/n
	}
	return m
}

// isCJK reports the characters counted one per word: CJK ideographs, kana
// and the other scripts from U+3040 to U+9FFF, the compatibility
// ideographs, the supplementary ideograph planes and Hangul syllables. The
// ranges are those ingest/extract weights as wide text, so the scores stay
// comparable with the numbers measured before this package existed.
func isCJK(r rune) bool {
	switch {
	case r < 0x3040:
		return false
	case r <= 0x9FFF, r >= 0xF900 && r <= 0xFAFF, r >= 0x20000 && r <= 0x3FFFF:
		return true
	case r >= 0xAC00 && r <= 0xD7A3:
		return true
	}
	return false
}

// collapseSpace is written here again, not taken from ingest/extract: the
// yardstick shares no code with the extractor it measures.
//
// collapseSpace trims s, drops NULs and turns every run of whitespace
// (ASCII, no-break space, zero-width space, BOM and the Unicode spaces)
// into one space.
func collapseSpace(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		if isSpace(r) {
			space = sb.Len() > 0
			continue
		}
		if r == 0 {
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\n', '\t', '\r', '\f', '\v', 0xA0, 0x200B, 0xFEFF:
		return true
	}
	return r > 0x7F && runeclass.IsSpace(r)
}
