package filter

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzSWAR checks the word-at-a-time helpers against their byte loops.
func FuzzSWAR(f *testing.F) {
	for _, s := range []string{"", "plain ascii text here.", "héllo wörld, ça va? 漢字", "\x80\xff abc", "a.b!c?d", "12345678.", "\xe2\x80", "abc_DEF_09zZ@[`{/:", "ab\x00\x7f\xdf\xff_________",
		"中文句子。第二句！第三？ ok", "Привет мир. Да! Нет?", "a\xe3\x80 b。c\xef\xbc x\xef\xbc\x81y\xe3\x80\x82"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := runeCount(s), utf8.RuneCountInString(s); got != want {
			t.Fatalf("runeCount(%q) = %d, want %d", s, got, want)
		}
		if got, want := validRuneCount(s), utf8.RuneCountInString(s); utf8.ValidString(s) && got != want {
			t.Fatalf("validRuneCount(%q) = %d, want %d", s, got, want)
		}
		if got, want := countSentences(s), refCountSentences(s); got != want {
			t.Fatalf("countSentences(%q) = %d, want %d", s, got, want)
		}
		for i := 0; i < len(s); i++ {
			if !asciiWordByte[s[i]] {
				continue
			}
			want := i
			for want < len(s) && asciiWordByte[s[want]] {
				want++
			}
			if got := asciiWordEnd(s, i); got != want {
				t.Fatalf("asciiWordEnd(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
		for i := 0; i+8 <= len(s); i++ {
			w := load8(s, i)
			for _, c := range []byte{0, '.', '!', 0x80, s[i]} {
				want := false
				for k := i; k < i+8; k++ {
					want = want || s[k] == c
				}
				if hasByte(w, c) != want {
					t.Fatalf("hasByte(%q, %q) = %v", s[i:i+8], c, !want)
				}
			}
		}
	})
}

// refCountSentences is countSentences before its word-at-a-time skip.
func refCountSentences(s string) int {
	n := 0
	hasWord := false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case r == '.' || r == '!' || r == '?' || r == '。' || r == '！' || r == '？':
			if i < len(s) && (s[i] == '.' || s[i] == '!' || s[i] == '?') {
				continue // the run goes on
			}
			if hasWord && (i >= len(s) || s[i] == ' ' || s[i] == '\t' || r >= 0x3000) {
				n++
				hasWord = false
			}
		case hasWord:
			// Only a sentence end matters now: skip plain ASCII bytes.
			for i < len(s) && s[i] < utf8.RuneSelf && !sentenceEndByte[s[i]] {
				i++
			}
		case r < utf8.RuneSelf:
			hasWord = isAlnum(byte(r))
		default:
			hasWord = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
	}
	if hasWord {
		n++
	}
	return n
}

// laneWords calls f with eight bytes of fill with one lane set to each
// byte value in turn: every value in every lane, next to neighbours that
// could carry or borrow into it.
func laneWords(fills []byte, f func(buf [8]byte, w uint64)) {
	for _, fill := range fills {
		for lane := 0; lane < 8; lane++ {
			for b := 0; b < 256; b++ {
				var buf [8]byte
				for k := range buf {
					buf[k] = fill
				}
				buf[lane] = byte(b)
				f(buf, load8(string(buf[:]), 0))
			}
		}
	}
}

// laneBit reports lane k's high bit in m.
func laneBit(m uint64, k int) bool { return m>>(8*k+7)&1 == 1 }

func TestASCIIWordLanesAllBytes(t *testing.T) {
	laneWords([]byte{0, 'a', 'Z', '_', '9', 0x7f, 0x80, 0xff, ' '}, func(buf [8]byte, w uint64) {
		m := asciiWordLanes(w)
		for k := 0; k < 8; k++ {
			if got, want := laneBit(m, k), asciiWordByte[buf[k]]; got != want {
				t.Fatalf("lanes %q: lane %d is %v, want %v", buf, k, got, want)
			}
		}
	})
}

// TestChunkLanesAllBytes checks chunkLanes against asciiTokenClass.
func TestChunkLanesAllBytes(t *testing.T) {
	laneWords([]byte{0, 'a', 'Z', '_', '9', 0x7f, 0x80, 0xff, ' ', '\t', '\r', 0x1f}, func(buf [8]byte, w uint64) {
		sp, l, d, p, h := chunkLanes(w)
		for k := 0; k < 8; k++ {
			c, class := buf[k], asciiTokenClass[buf[k]]
			want := [5]bool{class == 0, class&tcLetter != 0, class&(tcWord|tcLetter) == tcWord && c < 0x80,
				class&tcPunct != 0, c >= 0x80}
			if got := [5]bool{laneBit(sp, k), laneBit(l, k), laneBit(d, k), laneBit(p, k), laneBit(h, k)}; got != want {
				t.Fatalf("lanes %q: lane %d (space, letter, digit, punct, high) %v, want %v", buf, k, got, want)
			}
		}
	})
}

// FuzzChunkEnd holds chunkEnd to the byte-by-byte scan over
// asciiTokenClass.
func FuzzChunkEnd(f *testing.F) {
	for _, s := range []string{"", "word", "a longer word here", "abcdefghijklmnop qr", "héllo wörld", "x,y.z!\x7f\x01\tq", "12345678\v9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i := range len(s) {
			j, flags := i, uint8(0)
			for ; j < len(s) && asciiTokenClass[s[j]] != 0; j++ {
				flags |= asciiTokenClass[s[j]]
			}
			gj, gflags := chunkEnd(s, i, len(s))
			if gj != j || gflags != flags {
				t.Fatalf("chunkEnd(%q, %d) = %d, %#x, want %d, %#x", s, i, gj, gflags, j, flags)
			}
		}
	})
}
