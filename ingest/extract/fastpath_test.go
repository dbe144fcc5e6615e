package extract

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// isNFC reports that every code point of s is stable (so s is NFC).
func isNFC(s string) bool { return stablePrefix(s) == len(s) }

// TestIsNFCAgreesWithNorm: isNFC may only say yes where the norm package
// does. Every code point of the table, alone and after each kind of
// neighbour (a starter it might compose with, a combining mark, Hangul
// jamo), and strings of many scripts.
func TestIsNFCAgreesWithNorm(t *testing.T) {
	stableOnce.Do(buildStable)
	var yes int
	neighbours := []string{"", "a", "e", "\u0301", "\u1100", "\u1161", "\uac00", "\u0915", "\u093c", "\u09c7"}
	for r := rune(0); r < stableLimit+0x100; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		for _, n := range neighbours {
			for _, x := range []string{n + s, s + n, n + s + n} {
				if isNFC(x) {
					if !norm.NFC.IsNormalString(x) {
						t.Fatalf("isNFC(%+q) = true, norm says not NFC", x)
					}
					if x == s {
						yes++
					}
				}
			}
		}
	}
	// The table must cover most code points (a table of zeros would pass
	// the loop above): Han, Hangul syllables, Cyrillic, ... are stable.
	if yes < 150000 {
		t.Fatalf("only %d code points stable", yes)
	}
	for _, s := range []string{
		"plain ASCII text, long enough for the 8-byte path.",
		"Привет, мир — Καλημέρα κόσμε — 你好，世界 — こんにちは — 안녕하세요 — مرحبا — สวัสดี — 🙂",
		"Vi\u1ec7t Nam", "caf\u00e9",
	} {
		if !isNFC(s) || !norm.NFC.IsNormalString(s) {
			t.Errorf("isNFC(%q) = %v, want true (and NFC)", s, isNFC(s))
		}
	}
	for _, s := range []string{
		"cafe\u0301",          // e + combining acute: composes
		"\u1100\u1161",        // L + V jamo: compose to a syllable
		"\u0958",              // composition exclusion (NFC_QC=No)
		"\u212b",              // angstrom sign: singleton
		"ok\xff",              // invalid UTF-8
		"\U00030000 after it", // above the table
	} {
		if isNFC(s) {
			t.Errorf("isNFC(%+q) = true, want a fall-back to norm", s)
		}
		if nfc(s) != norm.NFC.String(s) {
			t.Errorf("nfc(%+q) = %+q, want %+q", s, nfc(s), norm.NFC.String(s))
		}
	}
}

// FuzzNFC: nfc is norm.NFC.String, and isNFC never says yes wrongly.
func FuzzNFC(f *testing.F) {
	for _, s := range []string{"", "abc", "cafe\u0301", "한국어 \u1100\u1161", "日本語テキスト", strings.Repeat("ж", 20) + "\u0301",
		"long ascii prefix here, then: e\u0301\u0323 and \uac00\u11a8 and \u0958 q\u0307\u0323", "\u0301 first", "x\xff\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if isNFC(s) && !norm.NFC.IsNormalString(s) {
			t.Fatalf("isNFC(%+q) = true, norm says not NFC", s)
		}
		if got, want := nfc(s), norm.NFC.String(s); got != want {
			t.Fatalf("nfc(%+q) = %+q, want %+q", s, got, want)
		}
	})
}

func BenchmarkNFC(b *testing.B) {
	s := strings.Repeat("Привет, мир — 你好，世界 — こんにちは — plain words here. ", 100)
	b.SetBytes(int64(len(s)))
	b.Run("isNFC", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		for i := 0; i < b.N; i++ {
			isNFC(s)
		}
	})
	b.Run("norm", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		for i := 0; i < b.N; i++ {
			norm.NFC.IsNormalString(s)
		}
	})
}

// indexFoldSlow is the definition indexFoldBytes must agree with.
func indexFoldSlow(s, lowerNeedle string) int {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return strings.Index(string(b), lowerNeedle)
}

func TestIndexFoldBytes(t *testing.T) {
	for _, c := range []struct{ s, needle string }{
		{"", "copyright"}, {"Copyright 2024", "copyright"}, {"(c) COPYRIGHT", "copyright"},
		{"copyrigh", "copyright"}, {"cccccopyright", "copyright"}, {"CcCopyright", "copyright"},
		{"All Rights Reserved.", "all rights reserved"}, {"a", "a"}, {"A", "a"}, {"ba", "a"},
		{"href", "href"}, {"data-HREF=x", "href"}, {"x", ""}, {"été Copyright", "copyright"},
		{"1234", "34"}, {"javascript:void", "javascript:"},
	} {
		if got, want := indexFoldBytes([]byte(c.s), c.needle), indexFoldSlow(c.s, c.needle); got != want {
			t.Errorf("indexFoldBytes(%q, %q) = %d, want %d", c.s, c.needle, got, want)
		}
		if got, want := indexFold(c.s, c.needle), indexFoldSlow(c.s, c.needle); got != want {
			t.Errorf("indexFold(string %q, %q) = %d, want %d", c.s, c.needle, got, want)
		}
	}
}

func FuzzIndexFold(f *testing.F) {
	f.Add("All rights reserved", "rights")
	f.Add("xCoPyRiGhTx", "copyright")
	f.Fuzz(func(t *testing.T, s, needle string) {
		needle = strings.ToLower(needle)
		for i := 0; i < len(needle); i++ {
			if needle[i] >= 0x80 {
				return // the needles are ASCII
			}
		}
		if got, want := indexFoldBytes([]byte(s), needle), indexFoldSlow(s, needle); got != want {
			t.Fatalf("indexFoldBytes(%q, %q) = %d, want %d", s, needle, got, want)
		}
	})
}

// TestScanUTF8FastPath: valid UTF-8 is counted exactly.
func TestScanUTF8FastPath(t *testing.T) {
	for _, s := range []string{"", "ascii only", "Привет, мир — 你好 🙂", "é", strings.Repeat("日本語", 50) + "x"} {
		st := scanUTF8([]byte(s))
		if st.invalid != 0 || !st.complete || st.multi != utf8.RuneCountInString(s)-countASCII(s) {
			t.Errorf("scanUTF8(%q) = %+v", s, st)
		}
	}
}

func countASCII(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < utf8.RuneSelf {
			n++
		}
	}
	return n
}

// scanUTF8Ref is scanUTF8's definition: every rune decoded by the utf8
// package.
func scanUTF8Ref(raw []byte) utf8Stats {
	var st utf8Stats
	for i := 0; i < len(raw); {
		r, size := utf8.DecodeRune(raw[i:])
		switch {
		case r == utf8.RuneError && size == 1 && !utf8.FullRune(raw[i:]):
			return st
		case r == utf8.RuneError && size == 1:
			st.invalid++
		case size > 1:
			st.multi++
		}
		i += size
	}
	st.complete = true
	return st
}

// FuzzScanUTF8: scanUTF8 counts as decoding every rune does, and on valid
// input the multi-byte sequences are the runes above ASCII.
func FuzzScanUTF8(f *testing.F) {
	f.Add([]byte("Привет, мир — 你好 🙂 and more ascii text"))
	f.Add([]byte("ascii ascii ascii \xe0\x80\x80 \xed\xa0\x80 \xf0\x9f \xc3"))
	f.Fuzz(func(t *testing.T, b []byte) {
		st := scanUTF8(b)
		if want := scanUTF8Ref(b); st != want {
			t.Fatalf("scanUTF8(%q) = %+v, want %+v", b, st, want)
		}
		if !utf8.Valid(b) {
			if st.invalid == 0 && st.complete {
				t.Fatalf("scanUTF8(%q) = %+v for invalid UTF-8", b, st)
			}
			return
		}
		want := 0
		for _, r := range string(b) {
			if r >= utf8.RuneSelf {
				want++
			}
		}
		if st.multi != want || st.invalid != 0 || !st.complete {
			t.Fatalf("scanUTF8(%q) = %+v, want %d multi-byte", b, st, want)
		}
	})
}

// FuzzDecodeRune: decodeRune is utf8.DecodeRune.
func FuzzDecodeRune(f *testing.F) {
	f.Add([]byte("é中\xed\xa0\x80\xe0\x80\x80\xc0\x80🙂\xe1\x80"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for i := 0; i < len(b); i++ {
			r, n := decodeRune(b, i)
			wr, wn := utf8.DecodeRune(b[i:])
			if r != wr || n != wn {
				t.Fatalf("decodeRune(%q, %d) = %U, %d, want %U, %d", b, i, r, n, wr, wn)
			}
		}
	})
}
