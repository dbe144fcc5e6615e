package extract

import (
	"bytes"
	"errors"
	"math/rand"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sieve-data/sieve/internal/testdata"
)

// allocDuring returns the bytes allocated while f runs.
func allocDuring(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

func checkBounded(t *testing.T, name string, page []byte, opts Options, maxTime time.Duration, maxAlloc uint64) Result {
	t.Helper()
	return checkBoundedCT(t, name, page, "", opts, maxTime, maxAlloc)
}

func checkBoundedCT(t *testing.T, name string, page []byte, contentType string, opts Options, maxTime time.Duration, maxAlloc uint64) Result {
	t.Helper()
	var res Result
	var err error
	start := time.Now()
	alloc := allocDuring(func() { res, err = Extract(page, contentType, opts) })
	took := time.Since(start)
	if errors.Is(err, ErrBinary) {
		t.Logf("%s: %d bytes rejected as binary in %v", name, len(page), took)
		return res
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	t.Logf("%s: %d bytes in %v, %d MB allocated, truncated=%v, %d chars of text", name, len(page), took, alloc>>20, res.Truncated, len(res.Text))
	// Bounds are generous (the machine is shared): they catch hangs and
	// quadratic blow-ups, not small slowdowns.
	if took > maxTime*raceSlowdown {
		t.Errorf("%s took %v, want < %v", name, took, maxTime*raceSlowdown)
	}
	if alloc > maxAlloc {
		t.Errorf("%s allocated %d MB, want < %d MB", name, alloc>>20, maxAlloc>>20)
	}
	if !utf8.ValidString(res.Text) || !utf8.ValidString(res.Title) {
		t.Errorf("%s: invalid UTF-8 in the result", name)
	}
	return res
}

func TestHugePageIsCut(t *testing.T) {
	para := []byte("<p>The quick brown fox jumps over the lazy dog, and then it runs away into the forest again.</p>\n")
	page := append([]byte("<html><head><title>big</title></head><body><article>"), bytes.Repeat(para, 100<<20/len(para))...)
	res := checkBounded(t, "100 MB page", page, DefaultOptions(), 10*time.Second, 256<<20)
	if !res.Truncated {
		t.Error("a 100 MB page must be reported as truncated")
	}
	if len(res.Text) < 1<<20 {
		t.Errorf("only %d bytes of text from the first 4 MiB", len(res.Text))
	}
}

func TestDeepNesting(t *testing.T) {
	const depth = 100_000
	for _, tag := range []string{"div", "span", "a", "p", "li", "table", "b"} {
		page := strings.Repeat("<"+tag+">", depth) + "deep text that must survive the nesting of the page" + strings.Repeat("</"+tag+">", depth)
		res := checkBounded(t, tag+" x 100000", []byte(page), DefaultOptions(), 3*time.Second, 128<<20)
		if tag != "a" && !strings.Contains(res.Text, "deep text") {
			t.Errorf("%s: deep text lost: %q", tag, res.Text)
		}
	}
	// Unclosed, then closed in the wrong order.
	page := strings.Repeat("<div><span><i>", depth/3) + "x" + strings.Repeat("</div></i>", depth/3)
	checkBounded(t, "mismatched nesting", []byte(page), DefaultOptions(), 3*time.Second, 128<<20)
}

func TestManyTokensAreCut(t *testing.T) {
	page := []byte(strings.Repeat("<b>x</b>", 2_000_000))
	opts := DefaultOptions()
	opts.MaxHTMLBytes = len(page)
	res := checkBounded(t, "2M elements", page, opts, 5*time.Second, 512<<20)
	if !res.Truncated {
		t.Error("a page over MaxNodes tokens must be reported as truncated")
	}
}

func TestBinaryBody(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{0, 1, 7, 4096, 1 << 20} {
		page := make([]byte, n)
		rng.Read(page)
		checkBounded(t, "random bytes", page, DefaultOptions(), 3*time.Second, 256<<20)
		checkBoundedCT(t, "random bytes, header says utf-8", page, "text/html; charset=utf-8", DefaultOptions(), 3*time.Second, 256<<20)
		// High bytes only: no control characters, so it is "text" in
		// some charset and goes through the sniffer.
		for i := range page {
			page[i] |= 0x80
		}
		checkBounded(t, "random high bytes", page, DefaultOptions(), 3*time.Second, 256<<20)
	}
	// The sniffing path on a big undeclared legacy page full of tags and
	// scripts stays linear.
	cp1251 := strings.Repeat("<span>\xcf\xf0\xe8\xe2\xe5\xf2</span><script>var x='\xe8';</script>", 60000)
	res := checkBounded(t, "undeclared windows-1251, many tags", []byte(cp1251), DefaultOptions(), 3*time.Second, 512<<20)
	if res.Charset == "utf-8" {
		t.Errorf("undeclared windows-1251 decoded as %s", res.Charset)
	}
	// A PNG body behind a text/html header is rejected as binary.
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 0xff, '<', 0x80}, 1000)...)
	if _, err := Extract(png, "text/html", DefaultOptions()); !errors.Is(err, ErrBinary) {
		t.Errorf("png body: err %v, want ErrBinary", err)
	}
}

func TestTitle(t *testing.T) {
	page := `<html><head><title>  The   real
	title </title></head><body><svg><title>svg title</title></svg><p>` + strings.Repeat("Some words in a paragraph. ", 10) + `</p></body></html>`
	res, err := Extract([]byte(page), "", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if res.Title != "The real title" {
		t.Errorf("title %q", res.Title)
	}
	// SVG first: its <title> is not the page title.
	page = `<html><body><svg><title>svg title</title></svg><title>page</title><p>text</p></body></html>`
	res, _ = Extract([]byte(page), "", DefaultOptions())
	if res.Title != "page" || strings.Contains(res.Text, "svg") {
		t.Errorf("title %q text %q", res.Title, res.Text)
	}
}

func TestBlocksAndWhitespace(t *testing.T) {
	page := `<html><body><article>
<h1>Heading   one</h1>
<p>First   paragraph
 spans lines,&nbsp;and has <a href="#">a link</a> inside; it is long enough to count as real prose for sure.</p>
<p>Second paragraph<br>with a line break, and a hidden <span style="display: none">SECRET</span> part and more words here.</p>
<pre>line 1
    indented line 2</pre>
<ul><li>item one is a list item with some words<li>item two is another list item with words</ul>
<div hidden>HIDDEN</div><div aria-hidden="true">ARIA</div>
<script>var x = "SCRIPT";</script><style>.x{}</style><noscript>Shown without JavaScript: <b>noscript</b> markup.</noscript>
<nav>NAV</nav><footer>FOOTER</footer><aside>ASIDE</aside><form><p>Form text stays: ASP.NET wraps whole pages in a form.</p><button>BUTTON</button><select><option>OPTION</option></select></form>
<table><tr><td>cell A has words<td>cell B has words</table>
<blockquote>A quoted sentence that is long enough, with commas, to be kept in the text.</blockquote>
</article></body></html>`
	res, err := Extract([]byte(page), "", Options{KeepBoilerplate: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Heading one\n\nFirst paragraph spans lines, and has a link inside;",
		"Second paragraph\nwith a line break, and a hidden part",
		"line 1\n    indented line 2",
		"item one is a list item with some words\nitem two is another",
		"cell A has words | cell B has words",
	} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, res.Text)
		}
	}
	for _, bad := range []string{"SECRET", "HIDDEN", "ARIA", "SCRIPT", "<b>", "NAV", "FOOTER", "ASIDE", "BUTTON", "OPTION", ".x{}", "\n\n\n"} {
		if strings.Contains(res.Text, bad) {
			t.Errorf("text contains %q:\n%s", bad, res.Text)
		}
	}
}

func TestCustomElementsAndSelfClosingTitle(t *testing.T) {
	// Unknown elements must close on their end tags, or the stack would
	// fill up and everything after them be flattened.
	page := "<html><body><article>" + strings.Repeat("<my-card><x-text>word</x-text></my-card>", 10000) + "</article></body></html>"
	res, err := Extract([]byte(page), "", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if res.Truncated {
		t.Error("10000 sibling custom elements reported as truncated (stack never popped)")
	}
	// Thousands of self-closing shapes in an inline SVG icon sheet must not
	// fill the stack either.
	page = "<html><body><svg>" + strings.Repeat(`<path d="M0 0"/><circle r="1"/>`, 5000) + "</svg><p>" + strings.Repeat("After the icons. ", 10) + "</p></body></html>"
	res, err = Extract([]byte(page), "", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if res.Truncated || !strings.Contains(res.Text, "After the icons.") {
		t.Errorf("svg icons: truncated=%v text %.80q", res.Truncated, res.Text)
	}
	// "<title/>" opens a title that never closes: as in browsers the rest
	// of the page is its raw text. The title is bounded and no markup
	// leaks into the text.
	res, err = Extract([]byte("<html><head><title/></head><body><p>"+strings.Repeat("Body text is title text. ", 500)+"</p></body></html>"), "", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Title) > maxTitleBytes || strings.Contains(res.Text, "<p>") || !utf8.ValidString(res.Title) {
		t.Errorf("unclosed title: %d-byte title, text %.100q", len(res.Title), res.Text)
	}
}

func TestRawTagName(t *testing.T) {
	var buf [16]byte
	for _, c := range []struct {
		raw     string
		a       string
		hasAttr bool
	}{
		{"<DIV class=x>", "div", true},
		{"</p >", "p", false},
		{"<br/>", "br", false},
		{"<img\nsrc=x/>", "img", true},
		{"<my-widget>", "", false},
		{"<a/b>", "a", true},
		{"<verylongunknowntagname>", "", false},
	} {
		a, _, has := rawTagName([]byte(c.raw), &buf, nil)
		if a.String() != c.a || has != c.hasAttr {
			t.Errorf("%q: got %q %v, want %q %v", c.raw, a.String(), has, c.a, c.hasAttr)
		}
	}
	_, h1, _ := rawTagName([]byte("<My-Widget x>"), &buf, nil)
	_, h2, _ := rawTagName([]byte("</my-widget>"), &buf, nil)
	if h1 != h2 {
		t.Error("start and end tag of an unknown element hash differently")
	}
}

// TestCommonCrawlFixtures runs the hand-made pages Common Crawl's WET
// generator is tested with: the page title must not come from an embedded
// SVG, and HTML-to-text whitespace and paragraph rules.
func TestCommonCrawlFixtures(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	svg := readHTMLPayloads(t, filepath.Join(dir, "cc-ia-web-commons__title-extraction-embedded-SVG.warc"))
	if len(svg) != 1 {
		t.Fatalf("got %d HTML payloads, want 1", len(svg))
	}
	res, err := Extract(svg[0].body, svg[0].contentType, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if res.Title != "Testing title extraction with embedded SVG" || !strings.Contains(res.Text, "This is body text...") || strings.Contains(res.Text, "Embedded SVG") {
		t.Errorf("title %q, text %q", res.Title, res.Text)
	}

	pages := readHTMLPayloads(t, filepath.Join(dir, "cc-ia-web-commons__text-extraction-test.warc"))
	if len(pages) != 1 {
		t.Fatalf("got %d HTML payloads, want 1", len(pages))
	}
	res, err = Extract(pages[0].body, pages[0].contentType, Options{KeepBoilerplate: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"White space and paragraph breaks when converting HTML to text\n\nThere should be a paragraph break after <h1-h6> even",
		"around inline elements (here <b>): «foobarfoo»",
		"links (<a>): «foobarfoo»",
		"comments: nospace",
		"before an image and after",
		"at <br/>first\nsecond line",
		"at <div/>first line\ndiv element\nsecond line", // blocks of one list item: one line each
		"first line\nsecond line\n<entity>",
	} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, res.Text)
		}
	}
}
