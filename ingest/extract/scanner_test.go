package extract

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
	"golang.org/x/net/html"
)

// compareWithTokenizer scans page with scanner and with the x/net/html
// Tokenizer and returns the first difference: token type, raw bytes,
// text, attribute names and values.
func compareWithTokenizer(page []byte) error {
	var s scanner
	s.reset(bytes.Clone(page))
	z := html.NewTokenizer(bytes.NewReader(page))
	for n := 0; ; n++ {
		want := z.Next()
		got := s.next()
		if normalizeTokenName(fmt.Sprint(want)) != scanTokenName(got) {
			return fmt.Errorf("token %d: type %s, want %s (raw %q, want %q)", n, scanTokenName(got), want, s.raw(), z.Raw())
		}
		if want == html.ErrorToken {
			return nil
		}
		if !bytes.Equal(s.raw(), z.Raw()) {
			return fmt.Errorf("token %d (%s): raw %q, want %q", n, want, s.raw(), z.Raw())
		}
		switch want {
		case html.TextToken:
			if g, w := s.text(), z.Text(); !bytes.Equal(g, w) {
				return fmt.Errorf("token %d: text %q, want %q", n, g, w)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			_, more := z.TagName()
			i := 0
			for ; more; i++ {
				var k, v []byte
				k, v, more = z.TagAttr()
				if i >= s.numAttrs() {
					return fmt.Errorf("token %d %q: %d attributes, want more", n, s.raw(), s.numAttrs())
				}
				if g := s.attrKey(i); !bytes.Equal(g, k) {
					return fmt.Errorf("token %d %q: attribute %d name %q, want %q", n, s.raw(), i, g, k)
				}
				if g := s.attrVal(i); !bytes.Equal(g, v) {
					return fmt.Errorf("token %d %q: attribute %d value %q, want %q", n, s.raw(), i, g, v)
				}
			}
			if i != s.numAttrs() {
				return fmt.Errorf("token %d %q: %d attributes, want %d", n, s.raw(), s.numAttrs(), i)
			}
		}
	}
}

func scanTokenName(t scanToken) string {
	return [...]string{"Error", "Text", "StartTag", "SelfClosingTag", "EndTag", "Comment"}[t]
}

// normalizeTokenName folds Doctype into Comment: the scanner does not
// tell them apart (neither carries text the walker uses).
func normalizeTokenName(s string) string {
	if s == "Doctype" {
		return "Comment"
	}
	return s
}

func TestScannerMatchesTokenizerOnRealPages(t *testing.T) {
	var pages [][]byte
	for _, p := range loadReadabilityPages(t) {
		pages = append(pages, p.source)
	}
	for _, name := range []string{"resiliparse__warcfile.warc.gz", "commoncrawl-whirlwind__whirlwind.warc.gz", "dolma__sample-0000.warc.gz"} {
		for _, p := range readHTMLPayloads(t, filepath.Join(testdata.Shared(t, "warc"), name)) {
			pages = append(pages, p.body)
		}
	}
	if len(pages) < 150 {
		t.Fatalf("only %d pages", len(pages))
	}
	for i, p := range pages {
		if err := compareWithTokenizer(p); err != nil {
			t.Errorf("page %d: %v", i, err)
		}
	}
}

func TestScannerEdgeCases(t *testing.T) {
	cases := []string{
		"", "<", "a<", "</", "a</", "<a", "<a ", "<a b", "<a b=", "<a b='x", "</a", "</ x>", "</>", "<!", "<!-", "<!--",
		"<!---->", "<!-->x", "<!--->x", "<!-- a --!>b", "<!-- a --!-->b", "<!--a--!", "<!DOCTYPE html>x", "<!doctype", "<?xml x?>y",
		"<p/>", "<br/>", "<a b/>", "<a b=c/>", "<a b='c'/>", "<a b=c />", "<a B=1 b=2 A=3>", "<a =b>", "<a ==b>", "<a b = c>",
		"<div class='A&amp;B' id=x&ampy data=\"&lt;&gt\">", "<x a=\"\r\nb\x00\">", "<X\x00Y a\x00=1>", "<a\tb\nc\fd\re>",
		"<title>a &amp; b</title>", "<title>a</title >", "<title></title>x", "<TITLE>x</TiTlE>", "<title>x</titlex>y</title>",
		"<script>a</script>", "<script>if (a<b) x</script>", "<script><!--<script>x</script>y--></script>z",
		"<script><!-- x --></script>y", "<script><!--<script></script></script>y", "<script>", "<script/>x</script>",
		"<style>a&amp;</style>", "<textarea>a&amp;b\x00</textarea>", "<xmp>a\x00<b></xmp>", "<plaintext>a</plaintext><b>",
		"<iframe>x</iframe>", "<noscript><p>x</p></noscript>", "<noembed>a</noembed><noframes>b</noframes>",
		"a\r\nb\rc\x00&amp;&nbsp;&#0;&notit;&#x110000;", "a < b > c", "<<a>>", "<a/b/c>", "<p\n>x</p\n>", "<script>a</scrip",
		"<script><!--", "<script><!--<script", "<script><!--<script>--", "<script><!--<script></script", "<!--a-->-->",
	}
	for _, c := range cases {
		if err := compareWithTokenizer([]byte(c)); err != nil {
			t.Errorf("%q: %v", c, err)
		}
	}
}

// TestScannerMatchesTokenizerOnMutatedPages is a deterministic fuzz run:
// real pages with markup fragments inserted, bytes deleted and ends cut,
// so the rarely taken paths (tags and comments cut by the end of the
// page, escaped scripts, duplicate attributes) are compared on every run.
func TestScannerMatchesTokenizerOnMutatedPages(t *testing.T) {
	var seeds [][]byte
	for _, name := range []string{"svg-parsing", "hidden-nodes", "replace-brs", "001", "qq"} {
		b, err := os.ReadFile(filepath.Join(testdata.Shared(t, "html"), name, "source.html"))
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b[:min(len(b), 4096)])
	}
	frags := []string{"<", ">", "/", "!", "-", "?", "a", "=", "'", "\"", " ", "\r", "&", "amp;", "script", "\x00",
		"<!--", "-->", "</", "<script>", "</script>", "<title>", "\xff", " b=1", " B=2", "<!-- <script>", "<plaintext>"}
	r := rand.New(rand.NewPCG(1, 2))
	n := 3000
	if testing.Short() {
		n = 300
	}
	for range n {
		b := bytes.Clone(seeds[r.IntN(len(seeds))])
		for k := r.IntN(6); k >= 0; k-- {
			p := r.IntN(len(b) + 1)
			switch r.IntN(4) {
			case 0, 1:
				b = slices.Insert(b, p, []byte(frags[r.IntN(len(frags))])...)
			case 2:
				if p < len(b) {
					b = slices.Delete(b, p, p+1)
				}
			case 3:
				b = b[:p]
			}
		}
		if err := compareWithTokenizer(b); err != nil {
			t.Fatalf("%q: %v", b, err)
		}
	}
}

// FuzzScanner checks the scanner token for token against x/net/html.
func FuzzScanner(f *testing.F) {
	for _, name := range []string{"svg-parsing", "hidden-nodes", "replace-brs", "001"} {
		if b, err := os.ReadFile(filepath.Join(testdata.Shared(f, "html"), name, "source.html")); err == nil {
			f.Add(b[:min(len(b), 4096)])
		}
	}
	f.Add([]byte("<script><!--<script>x</script>y--></script><!-- a --!><a b='&amp;' B=2/><title>&lt;</title>\r\n"))
	f.Fuzz(func(t *testing.T, page []byte) {
		if err := compareWithTokenizer(page); err != nil {
			t.Fatal(err)
		}
	})
}
