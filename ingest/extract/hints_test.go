package extract

import (
	"bytes"
	"regexp"
	"slices"
	"testing"
)

// classHintByLists is classHint written straight from its definition: each
// list consulted on its own, every part searched for in every name.
// classHint is checked against it.
func classHintByLists(classID []byte) int8 {
	lower := bytes.Map(func(r rune) rune { // ASCII letters only, as HTML does
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, classID[:min(len(classID), 256)])
	in := func(list []string, s []byte) bool { return slices.Contains(list, string(s)) }
	comment, final, strong, weak, pos := false, false, false, false, false
	for _, name := range bytes.FieldsFunc(lower, func(r rune) bool { return r < 0x80 && isHTMLSpace(byte(r)) }) {
		seps := 0
		for _, c := range name {
			if isNameSeparator(rune(c)) {
				seps++
			}
		}
		if seps > 2 {
			continue
		}
		s := false
		w := in(weakWords, name)
		p := in(positiveWords, name)
		for _, part := range strongParts {
			s = s || bytes.Contains(name, []byte(part))
		}
		for _, part := range weakParts {
			w = w || bytes.Contains(name, []byte(part))
		}
		if in(skipNames, name) {
			return hintSkip
		}
		f := in(strongWords, name) || in(exactStrong, name) // a whole strong name is final
		c := false
		for _, part := range commentParts {
			c = c || bytes.Contains(name, []byte(part))
		}
		if seps > 0 {
			for _, word := range bytes.FieldsFunc(name, isNameSeparator) {
				s = s || in(strongWords, word)
				w = w || in(weakWords, word) || in(exactStrong, word)
				p = p || in(positiveWords, word)
			}
		}
		switch {
		case c:
			comment = true
		case f:
			final = true
		case s:
			strong = true
		case w:
			weak = true
		case p:
			pos = true
		}
	}
	switch {
	case comment:
		return hintComment
	case final:
		return hintFinal
	case strong:
		return hintStrong
	case pos:
		return 1
	case weak:
		return hintWeak
	}
	return 0
}

var classOrID = regexp.MustCompile(`(?i)\s(?:class|id)\s*=\s*["']([^"']*)["']`)

// TestClassHintOnRealPages compares classHint with classHintByLists on
// every class and id attribute of the readability test pages.
func TestClassHintOnRealPages(t *testing.T) {
	n, hinted := 0, 0
	for _, p := range loadReadabilityPages(t) {
		for _, m := range classOrID.FindAllSubmatch(p.source, -1) {
			n++
			got, want := classHint(m[1]), classHintByLists(m[1])
			if got != want {
				t.Errorf("%s: classHint(%q) = %d, want %d", p.name, m[1], got, want)
			}
			if got != 0 {
				hinted++
			}
		}
	}
	if n < 10000 || hinted < n/20 {
		t.Errorf("only %d attributes (%d with a hint): the pages were not read", n, hinted)
	}
}

func TestClassHintCases(t *testing.T) {
	for in, want := range map[string]int8{
		"":                           0,
		"article-body":               1,
		"comment-content":            hintComment, // boilerplate wins
		"sidebar__main":              hintStrong,  // liftable: see reviseHints
		"lay-sidebar":                hintStrong,
		"post disqus_thread nav":     hintComment,
		"main SideBar":               hintFinal,  // a whole strong name
		"x-newsletter-box":           hintStrong, // a part inside a name
		"evolve-shared-mutable-nav":  0,          // a slug: ignored
		"post":                       1,
		"ad":                         hintWeak,
		"head":                       0,
		"mw-editsection":             hintSkip,
		"x sr-only":                  hintSkip,
		"skip-link":                  hintStrong,
		"hidden":                     hintFinal, // hidden everywhere
		"hidden-xs":                  hintWeak,  // hidden on small screens only
		"elementor-widget-container": hintWeak,
		"entry-meta":                 hintWeak, // a negative word qualifies the name
		"field field-name-body field-type-text-with-summary field-label-hidden": 1, // Drupal's body field
		"post type-post hentry category-popular":                                1, // WordPress: categories are not roles
		"js-dynamic-advertorial":                                                0,
		"\tcontent\n":                                                           1,
		"cooki":                                                                 0,
	} {
		if got := classHint([]byte(in)); got != want {
			t.Errorf("classHint(%q) = %d, want %d", in, got, want)
		}
		if got := classHintByLists([]byte(in)); got != want {
			t.Errorf("classHintByLists(%q) = %d, want %d", in, got, want)
		}
	}
}

func FuzzClassHint(f *testing.F) {
	for _, s := range []string{"nav", "comment-content", "x-newsletter-box", "a b\tc", "skip-link sr-only", "SIDEBAR-left main"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := classHint(b), classHintByLists(b); got != want {
			t.Fatalf("classHint(%q) = %d, want %d", b, got, want)
		}
	})
}

func BenchmarkClassHint(b *testing.B) {
	var attrs [][]byte
	for _, p := range loadReadabilityPages(b) {
		for _, m := range classOrID.FindAllSubmatch(p.source, -1) {
			attrs = append(attrs, m[1])
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		classHint(attrs[i%len(attrs)])
	}
}
