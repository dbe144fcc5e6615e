package extract

import (
	"bytes"
	"slices"
)

// Class and id names are cheap evidence for what a container is, but weak
// evidence: CMSs name containers by widget type, not by role. Drupal wraps
// article bodies in "field-label-hidden" fields, Elementor puts every text
// in an "elementor-widget-container", WordPress lists a post's categories
// ("category-popular") in its class. So a hint has a strength:
//
//   - hintStrong (-2): names that mean boilerplate whatever the site
//     (comments, navigation, sidebars, share bars, cookie banners,
//     related-article lists, screen-reader-only text). They veto a block
//     unless its content is plainly prose (see classify).
//   - hintWeak (-1): names that are often but not always chrome (widget,
//     meta, banner, ad, tags, popular, byline, a "hidden" inside a longer
//     name such as "hidden-xs" or "field-label-hidden"). They tip close
//     decisions: short blocks under them go, and they lower a container's
//     score, but the content decides for a real paragraph.
//   - +1: names of article containers (article, entry-content, post-body).
//
// The word lists follow readability's "unlikely candidates" and
// trafilatura's boilerplate XPaths, written out as words of a class or id
// name. Within one name a negative word wins ("entry-meta" is the entry's
// metadata, not the entry); across the names of a class list a strong
// negative wins, then a positive name, then a weak negative.
//
// Two kinds of strong name are final (hintFinal): comment threads, which
// hold the most prose of all boilerplate and look like article text, and a
// strong word that is the whole name (class="sidebar", id="footer"). No
// content evidence lifts their veto. A strong word inside a compound name
// is lifted when the container plainly holds the article (see
// reviseHints): "sidebar__main", the main column of a layout with a
// sidebar, that holds most of the page's prose is the article.
//
// A few names mark text that is not shown or not part of the page's
// content at all (screen-reader-only labels, Wikipedia's "[edit]" links):
// their element is skipped like a hidden one (hintSkip).
//
// schema.org's itemprop="articleBody" is the one name a page gives its
// article body on purpose (for search engines), so it weighs most
// (hintArticleBody).
//
// Comment threads carry their own value (hintComment, final like hintFinal)
// for one exception: on a page whose prose is nearly all under comment
// names (less than an eighth elsewhere: a forum thread, a live ticker) the
// thread is the page's content (see liftThread).
const (
	hintArticleBody int8 = 2
	hintComment     int8 = -5
	hintSkip        int8 = -4
	hintFinal       int8 = -3
	hintStrong      int8 = -2
	hintWeak        int8 = -1
)

// strongWords and weakWords match a whole name or a word of it (split on
// '-', '_', ':', '.'); strongParts and weakParts anywhere inside a name
// (they are long enough not to collide).
var strongWords = []string{
	"nav", "navbar", "menu", "footer", "sidebar", "share", "sharing",
	"social", "related", "breadcrumb", "breadcrumbs", "cookie", "cookies", "consent", "gdpr",
	"newsletter", "subscribe", "subscription", "signup", "login", "skip", "outbrain",
	"taboola", "modal", "popup", "dialog", "overlay", "sr-only", "visually-hidden", "screen-reader-text", "offscreen", "mw-editsection",
	"noprint", "navbox", "catlinks",
}

var weakWords = []string{
	"ad", "ads", "advert", "advertisement", "banner", "promo", "sponsor", "sponsored", "widget",
	"widgets", "pagination", "pager", "masthead", "toolbar", "tags", "tagcloud",
	"hidden", "hide", "recommended", "trending", "popular", "copyright", "legal", "rss",
	"author-bio", "byline", "dateline", "meta", "infobox", "reflist", "references", "author",
	"bio", "caption", "credit", "credits", "contact", "teaser",
}

// skipNames skip their element when they are a whole class or id name.
var skipNames = []string{"sr-only", "visually-hidden", "screen-reader-text", "mw-editsection", "element-invisible", "a11y-hidden"}

// exactStrong are names that are strong only as a whole name: a class
// "hidden" hides the element, "hidden-xs" only on small screens.
var exactStrong = []string{"hidden", "hide"}

var strongParts = []string{
	"sidebar", "breadcrumb", "cookie", "newsletter", "navigation", "footer",
	"subscribe", "outbrain", "taboola", "skiplink", "skip-link", "sr-only",
	"screen-reader", "visually-hidden", "colophon", "paywall",
	// Teaser boxes for other pages ("Most read", "Don't miss", "Read next").
	"mostread", "most-read", "mustread", "must-read", "dontmiss", "dont-miss",
	"youmaylike", "you-may-like", "recirc", "readnext", "read-next", "upnext", "up-next",
	"morefrom", "more-from", "more-stories", "morestories", "next-post", "nextpost", "prev-post",
	"nextstory", "next-story",
}

// commentParts mark comment threads (final: see hintFinal).
var commentParts = []string{"comment", "disqus"}

var weakParts = []string{"sponsor", "masthead"}

var positiveWords = []string{
	"article", "articlebody", "article-body", "content", "entry", "entry-content", "hentry",
	"h-entry", "main", "post", "post-content", "post-body", "text", "story", "story-body", "body",
	"blog", "prose", "mw-content-text", "page-content", "article-content",
}

// Word hints: one map look-up answers every list.
const (
	hintNegStrong = 1 << iota
	hintNegWeak
	hintPositive
	hintExactStrong
	hintNegFinal
	hintSkipName
	hintNegComment
)

var wordHints = func() map[string]uint8 {
	m := make(map[string]uint8, len(strongWords)+len(weakWords)+len(positiveWords))
	for _, w := range strongWords {
		m[w] |= hintNegStrong
	}
	for _, w := range weakWords {
		m[w] |= hintNegWeak
	}
	for _, w := range positiveWords {
		m[w] |= hintPositive
	}
	for _, w := range exactStrong {
		m[w] |= hintExactStrong
	}
	for _, w := range skipNames {
		m[w] |= hintSkipName
	}
	return m
}()

// namePart is a negative part and its strength bit.
type namePart struct {
	s    string
	flag uint8
}

// partsByFirstByte holds the negative parts by their first byte, so a name
// is scanned once instead of once per part.
var partsByFirstByte = func() (t [256][]namePart) {
	for _, p := range strongParts {
		t[p[0]] = append(t[p[0]], namePart{p, hintNegStrong})
	}
	for _, p := range weakParts {
		t[p[0]] = append(t[p[0]], namePart{p, hintNegWeak})
	}
	for _, p := range commentParts {
		t[p[0]] = append(t[p[0]], namePart{p, hintNegComment})
	}
	return t
}()

// minPartLen is the length of the shortest part.
var minPartLen = func() int {
	n := 255
	for _, p := range slices.Concat(strongParts, weakParts, commentParts) {
		n = min(n, len(p))
	}
	return n
}()

// negativeParts returns the strength bits of the parts found in name.
func negativeParts(name []byte) uint8 {
	var h uint8
	for i := 0; i+minPartLen <= len(name); i++ {
		for _, p := range partsByFirstByte[name[i]] {
			if len(name)-i >= len(p.s) && string(name[i:i+len(p.s)]) == p.s {
				h |= p.flag
			}
		}
	}
	return h
}

// classHint scores an element's class or id: hintStrong, hintWeak, +1 for
// content, 0 unknown (see the rules above).
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
	pos, weak, strong, final, comment := false, false, false, false, false
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
		if h&hintSkipName != 0 {
			return hintSkip
		}
		if h&(hintExactStrong|hintNegStrong) != 0 {
			h |= hintNegFinal // the whole name is a strong word
		}
		h |= negativeParts(name)
		if seps > 0 {
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
				if wh := wordHints[string(word)]; wh&(hintExactStrong) != 0 {
					h |= hintNegWeak // "hidden-xs": hidden somewhere only
				} else {
					h |= wh
				}
			}
		}
		switch {
		case h&hintNegComment != 0:
			comment = true
		case h&hintNegFinal != 0:
			final = true
		case h&hintNegStrong != 0:
			strong = true
		case h&hintNegWeak != 0:
			weak = true // a negative word qualifies the whole name
		case h&hintPositive != 0:
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

// combineHints merges the hints of an element's class and id: a strong
// negative wins, then a positive, then a weak negative.
func combineHints(a, b int8) int8 {
	switch {
	case a <= hintStrong || b <= hintStrong:
		return min(a, b)
	case a > 0 || b > 0:
		return 1
	}
	return min(a, b)
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
