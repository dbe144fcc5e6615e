package extract

import (
	"bytes"
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// htmlToPlainText strips the tags of an expected-output fragment and
// collapses whitespace, to compare it as text.
func htmlToPlainText(b []byte) string {
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

// wordBag splits text into lower-case word tokens for a bag-of-words
// comparison: runs of letters and digits, and every Han, kana or Hangul
// character on its own (those scripts do not separate words by spaces).
func wordBag(s string) map[string]int {
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
		case runeWeight(r) > 1:
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

// prf returns token-level precision, recall and F1 of got against want
// (multiset overlap). Two empty texts agree perfectly.
func prf(got, want string) (p, r, f float64) {
	g, w := wordBag(got), wordBag(want)
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
		return 1, 1, 1
	case ng == 0 || nw == 0:
		return 0, 0, 0
	}
	p = float64(overlap) / float64(ng)
	r = float64(overlap) / float64(nw)
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}
