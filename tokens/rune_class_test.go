package tokens

import (
	"testing"
	"unicode/utf8"
)

// TestNextMatchesUnicode: the scanner's inline decoding and its BMP class
// table give, for every scalar value, the rune, width and class that
// utf8.DecodeRuneInString and the unicode package's tables give.
func TestNextMatchesUnicode(t *testing.T) {
	buf := make([]byte, 0, 8)
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		buf = utf8.AppendRune(buf[:0], r)
		buf = append(buf, 'x')
		s := string(buf)
		got, cls, w, ok := next(s, 0)
		if !ok || got != r || w != utf8.RuneLen(r) || cls != classOf(r) {
			t.Fatalf("next(%U) = %U, class %d, width %d; want class %d, width %d", r, got, cls, w, classOf(r), utf8.RuneLen(r))
		}
		if _, _, w2, _ := next(s[:len(s)-1], 0); w2 != w {
			t.Fatalf("next(%U) at the end of the text: width %d", r, w2)
		}
	}
}

// TestASCIILetterRun: the eight-bytes-at-a-time run of ASCII letters is
// the byte loop's, for every byte value at every position after a run of
// letters, with every byte value after it too.
func TestASCIILetterRun(t *testing.T) {
	var b [8]byte
	for run := 0; run < 8; run++ {
		for x := 0; x < 256; x++ {
			for y := 0; y < 256; y++ {
				for k := range b {
					b[k] = "aZmQz"[(k+x)%5]
				}
				b[run] = byte(x)
				if run+1 < len(b) {
					b[run+1] = byte(y)
				}
				want := 0
				for want < len(b) && isASCIILetter(b[want]) {
					want++
				}
				if got := asciiLetterRun(headWord(string(b[:]))); got != want {
					t.Fatalf("asciiLetterRun(%q) = %d, want %d", b[:], got, want)
				}
			}
		}
	}
}
