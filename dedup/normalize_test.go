package dedup

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func normalized(s string) (string, []string) {
	var n normalizer
	n.normalize(s)
	var toks []string
	for i := range n.tokens() {
		toks = append(toks, string(n.span(i, i+1)))
	}
	return string(n.out), toks
}

func TestNormalize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Hello,   World!", "hello world"},
		{"Don't stop — 2024-05-07\n\nNEXT\tline", "dont stop 00000000 next line"},
		{"ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ １２３", "fullwidth text 000"}, // NFKC
		{"ﬁne café", "fine café"},                    // ligature folded by NFKC
		{"Straße ΣΊΣΥΦΟΣ", "straße σίσυφοσ"},
		{"  ", ""},
		{"...", ""},
		{"a\u00a0b", "a b"}, // no-break space separates
		{"\xff\xfeab", "ab"},
	}
	for _, c := range cases {
		if got, _ := normalized(c.in); got != c.want {
			t.Errorf("normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNormalizeUnspacedScripts(t *testing.T) {
	// Japanese, Chinese and Thai become one token per character, with
	// combining marks kept on their base character; Latin words inside
	// stay whole.
	_, toks := normalized("東京都の天気はGoogle検索で。")
	want := []string{"東", "京", "都", "の", "天", "気", "は", "google", "検", "索", "で"}
	if strings.Join(toks, "|") != strings.Join(want, "|") {
		t.Errorf("Japanese tokens %q, want %q", toks, want)
	}
	_, toks = normalized("ภาษาไทย")
	if len(toks) < 4 || len(toks) > 7 {
		t.Errorf("Thai tokens %q: want one per base character", toks)
	}
	for _, tok := range toks {
		if strings.ContainsRune(tok, ' ') {
			t.Errorf("Thai token %q contains a space", tok)
		}
	}
	// A whole Japanese page must not collapse to a handful of tokens.
	texts := pageTexts(t, "hukumusume", "qq")
	for _, text := range texts {
		_, toks := normalized(text)
		if len(toks) < len([]rune(text))/4 {
			t.Errorf("%d tokens for %d characters of CJK text", len(toks), len([]rune(text)))
		}
	}
}

func TestNormalizeDoesNotAllocate(t *testing.T) {
	text := strings.Repeat("Grüße aus Köln, 東京 und 123 Städte! ", 50)
	var n normalizer
	n.normalize(text)
	if a := testing.AllocsPerRun(50, func() { n.normalize(text) }); a != 0 {
		t.Errorf("normalize allocates %.0f times per document after warm-up", a)
	}
	m := newMinHasher(DefaultConfig().MinHash)
	sig := make([]uint64, 112)
	if a := testing.AllocsPerRun(50, func() { m.signature(&n, sig) }); a != 0 {
		t.Errorf("signature allocates %.0f times per document", a)
	}
}

func TestNormalizeURL(t *testing.T) {
	same := [][]string{
		{"https://www.Example.org/a/b/", "http://example.org/a/b", "https://example.org:443/a/b#top"},
		{"http://example.org", "https://EXAMPLE.org/"},
	}
	for _, group := range same {
		for _, u := range group[1:] {
			if NormalizeURL(u) != NormalizeURL(group[0]) {
				t.Errorf("%q -> %q, %q -> %q: want equal", group[0], NormalizeURL(group[0]), u, NormalizeURL(u))
			}
		}
	}
	differ := [][2]string{
		{"https://example.org/a?x=1", "https://example.org/a?x=2"},
		{"https://example.org/a", "https://example.org/A"},
		{"https://example.org:8080/", "https://example.org/"},
		{"https://a.example.org/", "https://b.example.org/"},
	}
	for _, d := range differ {
		if NormalizeURL(d[0]) == NormalizeURL(d[1]) {
			t.Errorf("%q and %q normalise alike (%q)", d[0], d[1], NormalizeURL(d[0]))
		}
	}
}

func TestThreshold(t *testing.T) {
	c := DefaultConfig().MinHash
	if c.Permutations() != 112 {
		t.Fatalf("permutations %d", c.Permutations())
	}
	if th := c.Threshold(); th < 0.71 || th > 0.73 {
		t.Fatalf("threshold %.4f, want (1/14)^(1/8) = 0.719", th)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Hello, World!", "東京都の天気", "ภาษาไทย", "\xff\xfe", "ﬁ ① ⅷ", "a\u0301\u0301", "", "x y z"} {
		f.Add(s)
	}
	var n normalizer
	m := newMinHasher(DefaultConfig().MinHash)
	sig := make([]uint64, 112)
	f.Fuzz(func(t *testing.T, s string) {
		n.normalize(s)
		out := string(n.out)
		if strings.Contains(out, "  ") || strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") {
			t.Fatalf("normalize(%q) = %q: whitespace not collapsed", s, out)
		}
		last := int32(-1)
		for _, e := range n.ends {
			if e <= last || int(e) > len(n.out) {
				t.Fatalf("bad token ends %v for %q", n.ends, out)
			}
			last = e
		}
		if n.tokens() > 0 && int(n.ends[len(n.ends)-1]) != len(n.out) {
			t.Fatalf("last token ends at %d of %d", n.ends[len(n.ends)-1], len(n.out))
		}
		// Normalising twice changes nothing more (NFKC and the folds are
		// idempotent on their own output up to digit folding).
		var n2 normalizer
		n2.normalize(out)
		if string(n2.out) != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, n2.out)
		}
		// Normalising only the tail after QuickSpan gives what normalising
		// the NFKC form of the whole text gives.
		var n3 normalizer
		n3.normalize(norm.NFKC.String(s))
		if string(n3.out) != out {
			t.Fatalf("normalize(%q) = %q, but of its NFKC form %q", s, out, n3.out)
		}
		m.signature(&n, sig)
		_ = NormalizeURL(s)
	})
}
