package extract

import (
	"bytes"
)

// Class and id names are the strongest cheap evidence for what a container
// is. The word lists follow the idea of readability's "unlikely candidates"
// and trafilatura's boilerplate XPaths (menus, sidebars, comments, share
// bars, cookie banners), written out as words of a class or id name.
//
// negativeWords match a whole word of the name (split on space, '-', '_'),
// negativeParts anywhere inside it (they are long enough not to collide).
var negativeWords = map[string]bool{
	"nav": true, "navbar": true, "menu": true, "footer": true, "sidebar": true,
	"comment": true, "comments": true, "share": true, "sharing": true, "social": true,
	"related": true, "breadcrumb": true, "breadcrumbs": true, "cookie": true,
	"cookies": true, "consent": true, "gdpr": true, "banner": true, "ad": true,
	"ads": true, "advert": true, "advertisement": true, "promo": true, "sponsor": true,
	"sponsored": true, "widget": true, "widgets": true, "popup": true, "modal": true,
	"newsletter": true, "subscribe": true, "subscription": true, "signup": true,
	"login": true, "pagination": true, "pager": true, "masthead": true, "toolbar": true,
	"tags": true, "tagcloud": true, "skip": true, "hidden": true, "hide": true,
	"disqus": true, "outbrain": true, "taboola": true, "recommended": true,
	"trending": true, "popular": true, "copyright": true, "legal": true, "rss": true,
	"author-bio": true, "byline": true, "dateline": true, "meta": true,
	"share-bar": true, "sr-only": true, "visually-hidden": true, "screen-reader-text": true,
	"offscreen": true, "mw-editsection": true, "noprint": true, "navbox": true,
	"catlinks": true, "infobox": true, "reflist": true, "references": true,
}

var negativeParts = []string{
	"sidebar", "comment", "breadcrumb", "cookie", "newsletter", "navigation",
	"footer", "advert", "sponsor", "subscribe", "masthead", "disqus", "outbrain",
	"taboola", "skiplink", "skip-link", "sr-only", "screen-reader", "visually-hidden",
}

// partsByFirstByte holds negativeParts by their first byte, so a name is
// scanned once instead of once per part.
var partsByFirstByte = func() (t [256][]string) {
	for _, p := range negativeParts {
		t[p[0]] = append(t[p[0]], p)
	}
	return t
}()

// minPartLen is the length of the shortest negativePart.
var minPartLen = func() int {
	n := len(negativeParts[0])
	for _, p := range negativeParts {
		n = min(n, len(p))
	}
	return n
}()

var positiveWords = map[string]bool{
	"article": true, "articlebody": true, "article-body": true, "content": true,
	"entry": true, "entry-content": true, "hentry": true, "h-entry": true,
	"main": true, "post": true, "post-content": true, "post-body": true, "text": true,
	"story": true, "story-body": true, "body": true, "blog": true, "prose": true,
	"mw-content-text": true, "page-content": true, "article-content": true,
}

// Word hints: one map look-up answers both lists.
const (
	hintNegative = 1 << iota
	hintPositive
)

var wordHints = func() map[string]uint8 {
	m := make(map[string]uint8, len(negativeWords)+len(positiveWords))
	for w := range negativeWords {
		m[w] |= hintNegative
	}
	for w := range positiveWords {
		m[w] |= hintPositive
	}
	return m
}()

// hasNegativePart reports whether name contains one of negativeParts.
func hasNegativePart(name []byte) bool {
	for i := 0; i+minPartLen <= len(name); i++ {
		for _, p := range partsByFirstByte[name[i]] {
			if len(name)-i >= len(p) && string(name[i:i+len(p)]) == p {
				return true
			}
		}
	}
	return false
}

// classHint scores an element's class and id: -1 boilerplate, +1 content,
// 0 unknown. Boilerplate wins when both match ("comment-content" is a
// comment), because keeping a comment thread costs more than losing a
// mislabelled paragraph, which the length rule can still rescue.
func classHint(classID []byte) int8 {
	// Lower-case into a stack buffer; class lists longer than this are cut.
	var buf [256]byte
	lower := buf[:0]
	for _, c := range classID[:min(len(classID), len(buf))] {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower = append(lower, c)
	}
	pos := false
	for len(lower) > 0 {
		// Next name of the space-separated list.
		i := 0
		for i < len(lower) && !isHTMLSpace(lower[i]) {
			i++
		}
		name := lower[:i]
		for i < len(lower) && isHTMLSpace(lower[i]) {
			i++
		}
		lower = lower[i:]
		if len(name) == 0 {
			continue
		}
		seps := 0
		for _, c := range name {
			if isNameSeparator(rune(c)) {
				seps++
			}
		}
		if seps > 2 {
			// A slug made from a heading ("evolve-shared-mutable-history")
			// says what the text is about, not what the element is.
			continue
		}
		h := wordHints[string(name)]
		if h&hintNegative == 0 && hasNegativePart(name) {
			h |= hintNegative
		}
		if h&hintNegative != 0 {
			return -1 // boilerplate wins whatever else the list says
		}
		pos = pos || h&hintPositive != 0
		if seps == 0 {
			continue
		}
		for w := name; len(w) > 0; {
			j := 0
			for j < len(w) && !isNameSeparator(rune(w[j])) {
				j++
			}
			word := w[:j]
			if j < len(w) {
				j++
			}
			w = w[j:]
			h := wordHints[string(word)]
			if h&hintNegative != 0 {
				return -1
			}
			pos = pos || h&hintPositive != 0
		}
	}
	if pos {
		return 1
	}
	return 0
}

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func isNameSeparator(r rune) bool { return r == '-' || r == '_' || r == ':' || r == '.' }

// roleHint maps ARIA landmark roles to skip (navigation chrome) or content.
func roleHint(role []byte) (skip bool, hint int8) {
	switch string(bytes.ToLower(bytes.TrimSpace(role))) {
	case "navigation", "banner", "contentinfo", "complementary", "menu", "menubar",
		"search", "dialog", "alertdialog", "toolbar":
		return true, 0
	case "main", "article":
		return false, 1
	}
	return false, 0
}

// hiddenStyle reports an inline style that hides the element
// (display:none or visibility:hidden, any case and spacing). It does not
// allocate: it runs on every styled element.
func hiddenStyle(style []byte) bool {
	return styleHas(style, "display", "none") || styleHas(style, "visibility", "hidden")
}

func styleHas(style []byte, prop, value string) bool {
	for off := 0; off < len(style); {
		i := indexFold(style[off:], prop)
		if i < 0 {
			return false
		}
		rest := style[off+i+len(prop):]
		off += i + len(prop)
		rest = bytes.TrimLeft(rest, " \t\n")
		if len(rest) == 0 || rest[0] != ':' {
			continue
		}
		rest = bytes.TrimLeft(rest[1:], " \t\n")
		if len(rest) >= len(value) && indexFold(rest[:len(value)], value) == 0 {
			return true
		}
	}
	return false
}
