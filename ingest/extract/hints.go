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

// negativePartBytes is negativeParts as byte slices, converted once
// rather than on every comparison.
var negativePartBytes = func() [][]byte {
	out := make([][]byte, len(negativeParts))
	for i, p := range negativeParts {
		out[i] = []byte(p)
	}
	return out
}()

var positiveWords = map[string]bool{
	"article": true, "articlebody": true, "article-body": true, "content": true,
	"entry": true, "entry-content": true, "hentry": true, "h-entry": true,
	"main": true, "post": true, "post-content": true, "post-body": true, "text": true,
	"story": true, "story-body": true, "body": true, "blog": true, "prose": true,
	"mw-content-text": true, "page-content": true, "article-content": true,
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
	neg, pos := false, false
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
		if positiveWords[string(name)] {
			pos = true
		}
		if negativeWords[string(name)] {
			neg = true
		}
		for _, p := range negativePartBytes {
			if !neg && len(name) >= len(p) && bytes.Contains(name, p) {
				neg = true
			}
		}
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
			if negativeWords[string(word)] {
				neg = true
			}
			if positiveWords[string(word)] {
				pos = true
			}
		}
	}
	switch {
	case neg:
		return -1
	case pos:
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
