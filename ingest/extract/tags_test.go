package extract

import (
	"testing"

	"golang.org/x/net/html/atom"
)

// TestFlagsOfMatchesSets checks the lookup table against the sets it is
// built from, for every atom there is.
func TestFlagsOfMatchesSets(t *testing.T) {
	n := 0
	for _, name := range []string{"p", "div", "a", "br", "script", "span", "b", "nav", "svg", "img", "custom-x", "td", "table", "x", "section"} {
		a := atom.Lookup([]byte(name))
		check(t, a)
		n++
	}
	// Every atom: walk the atom table by trying the names of all sets
	// and a range of raw atom values built from the package's names.
	for _, set := range []map[atom.Atom]bool{blockTags, skippedTags, voidTags, closesP, plainInline} {
		for a := range set {
			check(t, a)
			n++
		}
	}
	for _, name := range []string{"abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "base", "bdi", "bdo", "big", "blink", "blockquote", "body", "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "data", "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "dl", "dt", "em", "embed", "fieldset", "figcaption", "figure", "font", "footer", "form", "frame", "frameset", "h1", "h6", "head", "header", "hgroup", "hr", "html", "i", "iframe", "input", "ins", "kbd", "label", "legend", "li", "link", "main", "map", "mark", "marquee", "menu", "meta", "meter", "noscript", "object", "ol", "optgroup", "option", "output", "param", "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "select", "slot", "small", "source", "strong", "style", "sub", "summary", "sup", "tbody", "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt", "u", "ul", "var", "video", "wbr", "xmp", "math", "mi", "path", "g", "href", "class", "id"} {
		check(t, atom.Lookup([]byte(name)))
		n++
	}
	if n < 100 {
		t.Fatalf("checked only %d atoms", n)
	}
}

func check(t *testing.T, a atom.Atom) {
	t.Helper()
	var want tagFlags
	if blockTags[a] {
		want |= flagBlock
	}
	if skippedTags[a] {
		want |= flagSkipped
	}
	if voidTags[a] {
		want |= flagVoid
	}
	if closesP[a] {
		want |= flagClosesP
	}
	if plainInline[a] {
		want |= flagPlainInline
	}
	if got := flagsOf(a); got != want {
		t.Errorf("flagsOf(%s) = %b, want %b", a, got, want)
	}
}
