package runeclass

import (
	"testing"
	"unicode"
)

// TestMatchesUnicodePackage checks every code point, including negative
// and out-of-range runes, against the unicode package.
func TestMatchesUnicodePackage(t *testing.T) {
	check := func(r rune) {
		want := slow(r)
		if got := Of(r); got != want {
			t.Fatalf("Of(%U) = %09b, unicode package says %09b", r, got, want)
		}
	}
	for r := rune(-2); r <= unicode.MaxRune+2; r++ {
		check(r)
	}
	// slow itself against the unicode package, spot by spot.
	for _, tc := range []struct {
		r    rune
		want Class
	}{
		{'a', Letter}, {' ', Space | SpaceSep}, {'\n', Space | Control}, {'5', Number},
		{'!', Punct}, {'$', Symbol}, {0x0301, Mark}, {0x00a0, Space | SpaceSep},
		{0x4e2d, Letter | Unspaced}, {0x0e01, Letter | Unspaced}, {0x0e31, Mark | Unspaced},
		{0x3000, Space | SpaceSep}, {0x85, Space | Control}, {0x1f600, Symbol},
		{0x20000, Letter | Unspaced}, {0x0416, Letter},
	} {
		if got := Of(tc.r); got != tc.want {
			t.Errorf("Of(%U) = %09b, want %09b", tc.r, got, tc.want)
		}
	}
}

func BenchmarkOf(b *testing.B) {
	text := []rune("Съешь же ещё этих мягких французских булок 中文字符 ไทย ١٢٣ 😀")
	var n int
	for b.Loop() {
		for _, r := range text {
			if Of(r)&(Letter|Number) != 0 {
				n++
			}
		}
	}
	_ = n
}

func BenchmarkUnicodePackage(b *testing.B) {
	text := []rune("Съешь же ещё этих мягких французских булок 中文字符 ไทย ١٢٣ 😀")
	var n int
	for b.Loop() {
		for _, r := range text {
			if unicode.IsLetter(r) || unicode.IsNumber(r) {
				n++
			}
		}
	}
	_ = n
}
