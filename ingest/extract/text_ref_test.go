package extract

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/sieve-data/sieve/internal/runeclass"
)

// The walker's text path as it was before its fast paths (a character or
// a byte at a time): the definition appendText must agree with, byte for
// byte and count for count (FuzzAppendText).

func (w *walker) appendTextRef(s []byte) {
	inLink := w.linkDepth > 0
	pre := w.preDepth > 0
	for i := 0; i < len(s); {
		c := s[i]
		if c > ' ' && c < utf8.RuneSelf {
			// Fast path: a run of visible ASCII is copied at once. It is
			// what the general loop below does byte by byte (ASCII is
			// never wide, weighs 1, and only ',' among it is a comma).
			if w.space {
				if w.cur.chars > 0 && w.buf[len(w.buf)-1] != '\n' {
					w.buf = append(w.buf, ' ')
				}
				w.space = false
				w.spaceNL = false
			}
			i = w.appendRunRef(s, i, inLink, pre)
			continue
		}
		if !pre && (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
			// Fast path: a run of ASCII white space (the indentation
			// between tags) only leaves a pending space.
			nl := false
			for ; i < len(s); i++ {
				d := s[i]
				if d == '\n' {
					nl = true
				} else if d != ' ' && d != '\t' && d != '\r' && d != '\f' {
					break
				}
			}
			w.space = true
			w.spaceNL = w.spaceNL || nl
			continue
		}
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRune(s[i:])
		}
		if pre {
			if c == '\r' {
				i++
				continue
			}
			if c == '\n' || c == '\t' || c == ' ' {
				w.buf = append(w.buf, c)
				i++
				continue
			}
		} else if isSpaceRef(r) {
			w.space = true
			w.spaceNL = w.spaceNL || c == '\n'
			i += size
			continue
		}
		if w.space {
			if w.cur.chars > 0 && w.buf[len(w.buf)-1] != '\n' {
				// A source line break between two Chinese or Japanese
				// characters is not a space (CSS segment-break rules):
				// those scripts do not separate words.
				last, _ := utf8.DecodeLastRune(w.buf)
				if !(w.spaceNL && isWide(last) && isWide(r)) {
					w.buf = append(w.buf, ' ')
				}
			}
			w.space = false
			w.spaceNL = false
		}
		if r == 0 || invisible(r, size) {
			i += size // NUL and the invisible characters
			continue
		}
		i = w.appendRunRef(s, i, inLink, pre)
	}
}

// appendRun appends the character at s[i], which appendText decided to
// keep (and whose pending space it handled), and the run of visible
// characters after it, up to the next white space (in <pre>: the next
// ASCII white space or control character) or character to drop; it
// returns where the run ends. It does at once what appendText's general
// loop would do a character at a time: inside a run no space is pending,
// so each character only adds its bytes, its weight and its comma.
func (w *walker) appendRunRef(s []byte, i int, inLink, pre bool) int {
	// The first character is kept, whatever it is.
	r, size := decodeRune(s, i)
	j, chars, commas := i+size, runeWeight(r), 0
	if isComma(r) {
		commas++
	}
	for j < len(s) {
		c := s[j]
		if c > ' ' && c < utf8.RuneSelf {
			// Visible ASCII, the common case: never wide, weighs 1.
			if c == ',' {
				commas++
			}
			chars++
			j++
			continue
		}
		if c < utf8.RuneSelf {
			if c == ' ' && !pre && j+1 < len(s) && visibleAtRef(s, j+1) {
				// One space between two visible characters is what
				// appendText would write for it (no newline in it, a
				// visible character before it): it stays in the run,
				// uncounted, so a run is a stretch of text, not a word.
				j++
				continue
			}
			break
		}
		r, size := decodeRune(s, j)
		if invisible(r, size) || !pre && isSpaceRef(r) {
			break
		}
		chars += runeWeight(r)
		if isComma(r) {
			commas++
		}
		j += size
	}
	w.lastWasBr = false
	w.buf = append(w.buf, s[i:j]...)
	w.cur.chars += chars
	if inLink {
		w.cur.links += chars
	}
	w.cur.commas += commas
	return j
}

func isSpaceRef(r rune) bool {
	switch r {
	case ' ', '\n', '\t', '\r', '\f', '\v', 0xA0, 0x200B, 0xFEFF:
		return true
	}
	return r > 0x7F && runeclass.IsSpace(r)
}

func visibleAtRef(s []byte, i int) bool {
	c := s[i]
	if c < utf8.RuneSelf {
		return c > ' '
	}
	r, size := decodeRune(s, i)
	return !invisible(r, size) && !isSpaceRef(r)
}

// TestIsSpace: isSpace's shortcuts answer as the definition for every rune.
func TestIsSpace(t *testing.T) {
	for r := rune(-1); r <= utf8.MaxRune+1; r++ {
		if isSpace(r) != isSpaceRef(r) {
			t.Fatalf("isSpace(%U) = %v, want %v", r, isSpace(r), isSpaceRef(r))
		}
	}
}

// FuzzAppendText feeds the same text runs, in and out of links and
// <pre>, with line breaks and block ends between them, to appendText and
// to appendTextRef, and compares the text and the counts, and the
// walker's NFC-stability flag with the NFC scan of its text.
func FuzzAppendText(f *testing.F) {
	for _, s := range []string{
		"plain words, more words here and, there  double  spaces\nnew line",
		"Привет, мир — Καλημέρα κόσμε — 你好，世界 — こんにちは — 안녕하세요 — مرحبا، — สวัสดี — 🙂",
		"e\u0301 \u064b a\u00a0b\u0085c\u00adde\u2060f\u200bg\ufeffh\u3000i\u2003j x\xffy \xc3",
		"12345678 abcdefg, hijklmn opqrstu,vwxyz12 \t\f\r\v\x00\x7f\x01 a b c d e f g h",
		"中\n文 字 and 日本 語",
		// a block of eight whose visible prefix is taken before the byte
		// that stops it: a line break, two spaces, a space before a
		// control byte or before a non-ASCII character
		"abcdef gh\nij abc  defghijk ab c\x01defgh abcd e\u00e9fgh, a,b,c,d\te",
	} {
		f.Add([]byte(s), uint16(0x1234))
	}
	f.Fuzz(func(t *testing.T, text []byte, ops uint16) {
		a, b := new(walker), new(walker)
		a.reset(DefaultOptions(), 0)
		b.reset(DefaultOptions(), 0)
		// Cut the text into up to four runs; ops picks, per run, link,
		// pre, and whether a line break or a block end comes before it.
		cuts := []int{0, len(text) / 4, len(text) / 2, len(text) * 3 / 4, len(text)}
		for k := 0; k < 4; k++ {
			run := text[cuts[k]:cuts[k+1]]
			op := ops >> (4 * k)
			for _, w := range []*walker{a, b} {
				w.linkDepth = int(op & 1)
				w.preDepth = int(op >> 1 & 1)
				if op&4 != 0 {
					w.lineBreak()
				}
				if op&8 != 0 {
					w.flush()
				}
			}
			a.appendText(run)
			b.appendTextRef(run)
			if !bytes.Equal(a.buf, b.buf) || a.cur != b.cur || a.space != b.space || a.spaceNL != b.spaceNL || a.lastWasBr != b.lastWasBr {
				t.Fatalf("run %d %q (link %v, pre %v):\n got %q %+v space %v/%v br %v\nwant %q %+v space %v/%v br %v",
					k, run, op&1 != 0, op&2 != 0, a.buf, a.cur, a.space, a.spaceNL, a.lastWasBr, b.buf, b.cur, b.space, b.spaceNL, b.lastWasBr)
			}
		}
		// The walker's stability flag is what the NFC scan of its text
		// says (the check Extract skips when the flag is clear).
		if a.unstable != (stablePrefix(string(a.buf)) < len(a.buf)) {
			t.Fatalf("unstable = %v for %+q", a.unstable, a.buf)
		}
		a.flush()
		b.flush()
		if len(a.blocks) != len(b.blocks) {
			t.Fatalf("%d blocks, want %d", len(a.blocks), len(b.blocks))
		}
		for i := range a.blocks {
			if a.blocks[i] != b.blocks[i] {
				t.Fatalf("block %d: %+v, want %+v", i, a.blocks[i], b.blocks[i])
			}
		}
	})
}

// wordListRef is how findHeadline split text into words before nextWord.
func wordListRef(b []byte) []string {
	return strings.FieldsFunc(strings.ToLower(string(b)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// TestWordRune: isWordRune is its definition, and lower-casing never
// turns a word character into another kind (so a word can be lower-cased
// after it is cut out, not before).
func TestWordRune(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		want := unicode.IsLetter(r) || unicode.IsDigit(r)
		if isWordRune(r) != want {
			t.Fatalf("isWordRune(%U) = %v, want %v", r, !want, want)
		}
		if isWordRune(unicode.ToLower(r)) != want {
			t.Fatalf("isWordRune(ToLower(%U)) = %v", r, !want)
		}
	}
}

// FuzzNextWord: nextWord cuts the words wordListRef does.
func FuzzNextWord(f *testing.F) {
	f.Add([]byte("Привет, Мир — ΚΑΛΗΜΈΡΑ κόσμε İstanbul ǅemal x1 2Y_z 你好，世界 a\xffb \xc3"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var got []string
		var buf []byte
		for i := 0; ; {
			var wd []byte
			if wd, i = nextWord(b, i, buf); wd == nil {
				break
			}
			buf = wd
			got = append(got, string(wd))
		}
		if want := wordListRef(b); !slices.Equal(got, want) {
			t.Fatalf("nextWord(%q): %q, want %q", b, got, want)
		}
	})
}

// FuzzCopyrightLine: isCopyrightLine's one pass finds what searching for
// each phrase finds.
func FuzzCopyrightLine(f *testing.F) {
	for _, s := range []string{"© 2020 Example Inc.", "Copyright 2024", "xx ALL RIGHTS RESERVED.", "all rights reserve", "copyrigh",
		"gggggggg copyright", "\xc2\xc2\xa9", "abcdefgGcopyrighT", "Текст © текст", "all rights reservedcopyright"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		want := bytes.Contains(b, []byte("©")) || indexFoldSlow(string(b), "copyright") >= 0 || indexFoldSlow(string(b), "all rights reserved") >= 0
		if got := isCopyrightLine(b); got != want {
			t.Fatalf("isCopyrightLine(%q) = %v, want %v", b, got, want)
		}
	})
}

// FuzzLooksBinary: looksBinary's word-at-a-time skip counts the control
// bytes a byte-at-a-time count does.
func FuzzLooksBinary(f *testing.F) {
	f.Add([]byte("<html>\n\t<p>text\x00\x01\x02\x1b\x1f x</p>\xff\xfe\x80 \x7f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		want := false
		if _, _, ok := bomEncoding(b); !ok && len(b) > 0 {
			head := b[:min(len(b), 4096)]
			ctrl := 0
			for _, c := range head {
				if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b {
					ctrl++
				}
			}
			want = ctrl*20 > len(head)
		}
		if got := looksBinary(b); got != want {
			t.Fatalf("looksBinary(%q) = %v, want %v", b, got, want)
		}
	})
}

// FuzzAtomCache: rawTagName with its memo answers as without it, over a
// sequence of tags sharing one cache (names colliding in it, names of
// every length, upper case, NULs).
func FuzzAtomCache(f *testing.F) {
	f.Add("<div class=x>|</DIV>|<p>|<a href=y>|<my-widget>|<abcdefghijklmnopq>|<abcdefghijklmnop>|<b\x00>|<b>|</Br >|<span/>")
	f.Fuzz(func(t *testing.T, tags string) {
		var cache atomCache
		var b1, b2 [16]byte
		for _, raw := range strings.Split(tags, "|") {
			a1, h1, x1 := rawTagName([]byte(raw), &b1, &cache)
			a2, h2, x2 := rawTagName([]byte(raw), &b2, nil)
			if a1 != a2 || h1 != h2 || x1 != x2 {
				t.Fatalf("rawTagName(%q) = %v %x %v with the cache, %v %x %v without", raw, a1, h1, x1, a2, h2, x2)
			}
		}
	})
}
