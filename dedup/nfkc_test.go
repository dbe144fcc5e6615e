package dedup

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sieve-data/sieve/internal/runeclass"
)

// TestNFKCTableAgainstNorm checks every rune the table calls safe with
// norm itself: alone and after "x", a starter is whole-text normalised by
// norm's quick check; so is a non-starter after "x", and a run of
// maxMarkRun of it after every safe starter that decomposes (the starters
// that carry trailing non-starters). Every rune above the table is unsafe.
func TestNFKCTableAgainstNorm(t *testing.T) {
	tab := make([]uint8, nfkcTabSize)
	for r := range rune(nfkcTabSize) {
		info := runeInfoOf(r)
		tab[r] = info.nfkc
		if info.class != runeclass.Of(r) || info.lower != unicode.ToLower(r) {
			t.Fatalf("U+%04X: table class %v lower %U, want %v %U", r, info.class, info.lower, runeclass.Of(r), unicode.ToLower(r))
		}
	}
	for _, r := range []rune{0x30000, 0x10400, 0x1D400, 0xE0041, 0x10FFFF} {
		if info := runeInfoOf(r); info.class != runeclass.Of(r) || info.lower != unicode.ToLower(r) {
			t.Fatalf("U+%04X: class %v lower %U", r, info.class, info.lower)
		}
	}
	var marks []rune
	var decomposing []rune
	starters, unsafe := 0, 0
	for r := rune(0x80); r < rune(len(tab)); r++ {
		s := string(r)
		switch e := tab[r]; e {
		case nfkcUnsafe:
			unsafe++
			continue
		case nfkcStarter:
			starters++
			if norm.NFKC.PropertiesString(s).Decomposition() != nil {
				decomposing = append(decomposing, r)
			}
		default:
			if got := norm.NFKC.PropertiesString(s).CCC(); got != e {
				t.Fatalf("U+%04X: table class %d, norm %d", r, e, got)
			}
			marks = append(marks, r)
		}
		for _, ctx := range []string{s, "x" + s, s + s + "x", "x" + s + "y"} {
			if q := norm.NFKC.QuickSpanString(ctx); q != len(ctx) {
				t.Fatalf("U+%04X safe, but QuickSpanString(%q) = %d of %d", r, ctx, q, len(ctx))
			}
			if q, ok := nfkcSpan(ctx); !ok || q != len(ctx) {
				t.Fatalf("nfkcSpan(%q) = %d, %v", ctx, q, ok)
			}
		}
	}
	t.Logf("%d safe starters (%d decomposing), %d safe non-starters, %d unsafe", starters, len(decomposing), len(marks), unsafe)
	if starters < 50000 || len(marks) < 300 {
		t.Fatalf("table too small: %d starters, %d non-starters", starters, len(marks))
	}
	// A full run of the highest-class non-starter after each decomposing
	// starter stays within the stream-safe limit.
	hi := marks[0]
	for _, m := range marks {
		if tab[m] > tab[hi] {
			hi = m
		}
	}
	for _, s := range decomposing {
		ctx := string(s) + strings.Repeat(string(hi), maxMarkRun)
		if q := norm.NFKC.QuickSpanString(ctx); q != len(ctx) {
			t.Fatalf("QuickSpanString(%q) = %d of %d", ctx, q, len(ctx))
		}
	}
	// Every ordered pair of non-starters: the fast path accepts exactly
	// what norm's quick check accepts.
	for _, a := range marks {
		for _, b := range marks {
			ctx := "x" + string(a) + string(b)
			q, ok := nfkcSpan(ctx)
			want := norm.NFKC.QuickSpanString(ctx) == len(ctx)
			if !ok || (q == len(ctx)) != want {
				t.Fatalf("%q: nfkcSpan %d, norm accepts %v", ctx, q, want)
			}
		}
	}
	// Runes beyond the table stop the walk, in every plane.
	for _, r := range []rune{0x30000, 0xE0041, 0x10FFFD} {
		if q, ok := nfkcSpan("a" + string(r)); q != 1 || !ok {
			t.Errorf("U+%04X: nfkcSpan = %d, %v; want 1, true", r, q, ok)
		}
	}
}

// checkNFKCSpan compares the fast path with norm on s.
func checkNFKCSpan(t *testing.T, s string) {
	q, ok := nfkcSpan(s)
	if !ok {
		if utf8.ValidString(s) {
			t.Fatalf("nfkcSpan(%q): not ok on valid UTF-8", s)
		}
		return
	}
	if !utf8.ValidString(s) {
		t.Fatalf("nfkcSpan(%q): ok on invalid UTF-8", s)
	}
	if !norm.NFKC.IsNormalString(s[:q]) {
		t.Fatalf("nfkcSpan(%q) = %d, but the prefix is not NFKC", s, q)
	}
	if q == len(s) {
		if qs := norm.NFKC.QuickSpanString(s); qs != len(s) {
			t.Fatalf("nfkcSpan(%q) = all, QuickSpanString = %d", s, qs)
		}
	} else if !utf8.RuneStart(s[q]) {
		t.Fatalf("nfkcSpan(%q) = %d: not at a rune start", s, q)
	}
	want := norm.NFKC.AppendString(nil, s)
	if q == len(s) {
		if string(want) != s {
			t.Fatalf("nfkcSpan(%q): whole text taken as NFKC, norm gives %q", s, want)
		}
		return
	}
	got := norm.NFKC.AppendString([]byte(s[:q]), s[q:])
	if string(got) != string(want) {
		t.Fatalf("%q: Append from %d gives %q, norm %q", s, q, got, want)
	}
	// The old path: from QuickSpanString's boundary.
	qs := norm.NFKC.QuickSpanString(s)
	if old := norm.NFKC.AppendString([]byte(s[:qs]), s[qs:]); string(old) != string(got) {
		t.Fatalf("%q: from %d gives %q, from QuickSpanString's %d %q", s, q, got, qs, old)
	}
}

func FuzzNFKCSpan(f *testing.F) {
	for _, s := range []string{
		"Grüße", "e\u0301", "é\u0323", "x\u05b0\u05b1\u05b0", "ก\u0e38\u0e48", "\u00a0a",
		"한국어\u11a8", "ﬁ", "\xff", "a" + strings.Repeat("\u0591", 40), "é" + strings.Repeat("\u05b0", 20),
		"नमस्ते", "😀👍🏽", "\U0002070E", "\U000E0041",
	} {
		f.Add(s)
	}
	f.Fuzz(checkNFKCSpan)
}

// TestNFKCSpanRealText runs the fast path over real pages in many scripts.
func TestNFKCSpanRealText(t *testing.T) {
	docs := sentenceDocs(t, []string{"en", "de", "fr", "ru", "el", "ar", "fa", "ur", "he", "hi", "bn", "ta", "te", "gu", "pa", "th", "ja", "zh", "ko", "vi", "tr", "pl", "yo", "ka", "hy"}, 20)
	for _, d := range docs {
		checkNFKCSpan(t, d.text)
	}
	for _, text := range pageTexts(t, "hukumusume", "qq") {
		checkNFKCSpan(t, text)
	}
}

// oldNormalize is normalize as it was before the fast paths (commit
// ccdc6f7, verbatim but for its signature): norm's QuickSpanString and
// Append, then a rune-by-rune fold with the unicode package's ToLower. It
// is the oracle the fast paths must match bit for bit.
func oldNormalize(text string) (string, []int32) {
	n := &normalizer{}
	out := n.out[:0]
	ends := n.ends[:0]
	src := text
	// Most web text is already NFKC: then the copy is skipped. Otherwise
	// only the text from the first character that may change (often a
	// no-break space far into the page) goes through the normaliser;
	// Append joins it to the verbatim prefix at a normalisation boundary.
	if !isASCII(text) {
		if q := norm.NFKC.QuickSpanString(text); q < len(text) {
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
	return string(n.out), n.ends
}

func checkNormalizeFastPath(t *testing.T, n *normalizer, s string) {
	n.normalize(s)
	want, wantEnds := oldNormalize(s)
	if string(n.out) != want || !slices.Equal(n.ends, wantEnds) {
		t.Fatalf("normalize(%q) = %q %v, before the fast path %q %v", s, n.out, n.ends, want, wantEnds)
	}
}

// TestNormalizeFastPathMatchesNorm compares normalize with the path that
// always asks norm, on real text in many scripts and on the places where
// the fused check must stop: late no-break spaces, a combining mark after
// a Han character, long runs of marks, invalid bytes early and late.
func TestNormalizeFastPathMatchesNorm(t *testing.T) {
	var n normalizer
	cases := []string{
		"plain ascii", "Grüße aus Köln", strings.Repeat("Grüße ", 100) + "a\u00a0b",
		"東京\u0301都", "東\u3099京", "ก\u0e38\u0e48ข", "x" + strings.Repeat("\u05b0", 20) + "y",
		"é" + strings.Repeat("\u0591", 17), "\xffGrüße", "Grüße\xff", "Grüße\xe2\x82", "ｆｕｌｌ", "한국어\u11a8",
		"e\u0301", "\u0958", "😀👍🏽", "\U0002070E中", "\U000E0041x",
	}
	for _, d := range sentenceDocs(t, []string{"en", "de", "fr", "ru", "el", "ar", "fa", "ur", "he", "hi", "bn", "ta", "th", "ja", "zh", "ko", "vi", "tr", "yo", "ka"}, 20) {
		cases = append(cases, d.text, d.text+"\u00a0"+d.text)
	}
	for _, s := range cases {
		checkNormalizeFastPath(t, &n, s)
	}
}

func FuzzNormalizeFastPath(f *testing.F) {
	for _, s := range []string{"Grüße\u00a0x", "東\u0301", "\xffé", "x\u05b0\u05b1", "ﬁ", "a\u0301\u0301"} {
		f.Add(s)
	}
	var n normalizer
	f.Fuzz(func(t *testing.T, s string) { checkNormalizeFastPath(t, &n, s) })
}

// FuzzDecodeRune checks decodeRune against the utf8 package.
func FuzzDecodeRune(f *testing.F) {
	for _, s := range []string{"a", "é", "中", "😀", "\xff", "\xe0\x80\x80", "\xed\xa0\x80", "\xc0\x80", "\xc2", "\xe2\x82"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i := 0; i < len(s); i++ {
			r, n := decodeRune(s[i:])
			wr, wn := utf8.DecodeRuneInString(s[i:])
			if r != wr || n != wn {
				t.Fatalf("decodeRune(%q) = %U, %d; utf8 %U, %d", s[i:], r, n, wr, wn)
			}
		}
	})
}

// TestDecodeRuneEveryRune checks decodeRune on every rune's encoding and
// on every two- and three-byte prefix.
func TestDecodeRuneEveryRune(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		s := string(r) + "x"
		if got, n := decodeRune(s); got != []rune(s)[0] || n != len(string(r)) && r != utf8.RuneError {
			t.Fatalf("U+%04X: %U, %d", r, got, n)
		}
	}
	var b [3]byte
	for x := range 1 << 24 {
		if x&0xff0000 < 0xc00000 {
			continue
		}
		b[0], b[1], b[2] = byte(x>>16), byte(x>>8), byte(x)
		s := string(b[:])
		r, n := decodeRune(s)
		wr, wn := utf8.DecodeRuneInString(s)
		if r != wr || n != wn {
			t.Fatalf("%q: %U, %d; utf8 %U, %d", s, r, n, wr, wn)
		}
	}
}

// TestASCIIWord8 checks the eight-byte fold against asciiWord for every
// byte value in every position, among random neighbours.
func TestASCIIWord8(t *testing.T) {
	rng := uint64(0x9E3779B97F4A7C15)
	for pos := range 8 {
		for v := range 256 {
			for trial := range 16 {
				rng = rng*6364136223846793005 + 1442695040888963407
				x := rng
				if trial%2 == 0 {
					// Neighbours that are all letters or digits, so the
					// byte under test decides n.
					x = 0
					for k := range 8 {
						x |= uint64("aZ0m9Qz5"[(k+trial/2)%8]) << (8 * k)
					}
				}
				x = x&^(0xff<<(8*pos)) | uint64(v)<<(8*pos)
				w, n := asciiWord8(x)
				want := 0
				for want < 8 && asciiWord[byte(x>>(8*want))] != 0 {
					want++
				}
				if n != want {
					t.Fatalf("x=%016x: n = %d, want %d", x, n, want)
				}
				for k := range n {
					if got := byte(w >> (8 * k)); got != asciiWord[byte(x>>(8*k))] {
						t.Fatalf("x=%016x byte %d: %q, want %q", x, k, got, asciiWord[byte(x>>(8*k))])
					}
				}
			}
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
