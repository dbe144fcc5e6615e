package extract

import (
	"bytes"
	"encoding/binary"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/atom"

	"github.com/sieve-data/sieve/internal/runeclass"
)

// blockClass is the jusText classification of a block.
type blockClass uint8

const (
	classBad blockClass = iota
	classShort
	classNearGood
	classGood
)

// maxHeadingDistance: a heading is kept when a good block follows within
// this many weighted characters (jusText's default).
const maxHeadingDistance = 200

// keepBlocks decides which blocks are main text. Two signals are combined:
//
//  1. Region. As in readability, each block of 25+ characters scores its
//     container (and, decaying, the container's ancestors) by its length and
//     commas; scores are cut by the container's link density and weighed by
//     class/id hints (after reviseHints lifted the names that content
//     contradicts). The best container, its strong siblings and their
//     subtrees form the main region.
//  2. Block class. As in jusText, blocks are bad (link lists, boilerplate
//     names, outside the region), short, near-good or good by length and
//     link density; short and near-good blocks then take the class of their
//     neighbours, so a short line between two paragraphs stays and a short
//     line among menus goes (see decide).
//
// When the region turns out to hold a small part of the page's prose, it
// was the wrong container (a teaser box, a header): the blocks are judged
// again without it, as jusText alone would, and that is kept if it holds
// more prose (readability retries the same way).
func keepBlocks(w *walker, opts Options) (keep, inRegion []bool) {
	if opts.KeepBoilerplate {
		keep = make([]bool, len(w.blocks))
		for i := range keep {
			keep[i] = true
		}
		return keep, nil
	}
	reviseHints(w)
	inRegion = mainRegion(w)
	keep = decide(w, opts, inRegion)
	if inRegion == nil {
		return keep, nil
	}
	kept, all := proseKept(w, keep)
	if all < lostArticleProse || float64(kept) >= lostArticleShare*float64(all) {
		return keep, inRegion
	}
	again := decide(w, opts, nil)
	if k, _ := proseKept(w, again); k > kept {
		return again, nil
	}
	return keep, inRegion
}

// A region is taken for the wrong container when the page has this much
// prose and less than this share of it was kept.
const (
	lostArticleProse = 1000
	lostArticleShare = 0.15
)

// proseKept returns the weighted characters of the prose blocks (isProse,
// not under a strong or comment name) kept, and of all of them.
func proseKept(w *walker, keep []bool) (kept, all int) {
	for i := range w.blocks {
		b := &w.blocks[i]
		if !isProse(b) || b.hint <= hintStrong {
			continue
		}
		all += b.chars
		if keep[i] {
			kept += b.chars
		}
	}
	return kept, all
}

// decide classifies the blocks given the region (nil: the whole page) and
// returns which are kept.
func decide(w *walker, opts Options, inRegion []bool) []bool {
	keep := make([]bool, len(w.blocks))
	regionOf := func(b *block) bool {
		if inRegion == nil {
			return true
		}
		if b.node < 0 {
			return false
		}
		return inRegion[b.node]
	}

	class := make([]blockClass, len(w.blocks))
	for i := range w.blocks {
		b := &w.blocks[i]
		class[i] = classify(b, regionOf(b), opts)
		if class[i] != classBad && b.chars < opts.LongBlockChars && isCopyrightLine(w.buf[b.start:b.end]) {
			class[i] = classBad
		}
		if class[i] != classBad && b.kind == kindText && isDateLine(w.buf[b.start:b.end]) {
			class[i] = classBad
		}
		// A summary under a linked headline, outside the main region, is
		// a teaser for another page ("Recommended for you" lists).
		if i > 0 && class[i] == classGood && !regionOf(b) {
			if prev := &w.blocks[i-1]; prev.kind == kindHeading && linkDensity(prev) > 0.5 {
				class[i] = classBad
			}
		}
	}

	if inRegion != nil {
		closeArticle(w.blocks, class, regionOf)
	}

	headline := findHeadline(w)
	if headline >= 0 && inRegion != nil {
		promoteLead(w.blocks, class, headline, regionOf)
	}

	initial := append([]blockClass(nil), class...)
	headingsBeforeGood(w.blocks, class, classNearGood, func(i int) bool { return class[i] == classShort })
	reviseShort(class, func(i, dir int) bool {
		b := &w.blocks[i]
		if b.node < 0 || b.kind != kindText || linkDensity(b) > 0.2 || b.hint < 0 {
			return false
		}
		j := i + dir
		for j >= 0 && j < len(class) && class[j] == classShort {
			j += dir
		}
		if j < 0 || j >= len(class) {
			return false
		}
		o := &w.blocks[j]
		if !regionOf(o) {
			return false
		}
		return o.node >= 0 && (o.node == b.node || w.nodes[o.node].parent == b.node || w.nodes[b.node].parent == o.node ||
			w.nodes[o.node].parent == w.nodes[b.node].parent)
	})
	reviseNearGood(class)
	// As in jusText, a heading that context made bad (but that was not bad
	// by itself) comes back when good text follows it closely.
	headingsBeforeGood(w.blocks, class, classGood, func(i int) bool { return class[i] == classBad && initial[i] != classBad })

	if headline >= 0 {
		class[headline] = classBad
	}
	kept := false
	for i, c := range class {
		keep[i] = c == classGood
		kept = kept || keep[i]
	}
	if !kept {
		// A short page (one paragraph, a product blurb) has nothing "good"
		// by jusText's standard; keep its non-link region text rather than
		// nothing.
		for i := range w.blocks {
			b := &w.blocks[i]
			if regionOf(b) && b.hint > hintStrong && b.kind != kindHeading && linkDensity(b) <= opts.MaxLinkDensity {
				keep[i] = true
			}
		}
	}
	return keep
}

// Prose is what a block of running text looks like: long enough to be a
// paragraph and mostly outside links.
const (
	proseBlockChars   = 80
	proseMaxLinks     = 0.2
	articleProseChars = 600 // a container needs this much prose to be plainly an article
	articleParagraphs = 3   // in at least this many paragraphs
)

func isProse(b *block) bool {
	return b.chars >= proseBlockChars && linkDensity(b) <= proseMaxLinks && (b.kind != kindCell || b.chars >= layoutCellChars)
}

// layoutCellChars: a table cell this long is a paragraph laid out in a
// table (older sites put whole articles in <td>s), not a data value.
const layoutCellChars = 200

// reviseHints lifts the names that the page's content contradicts:
//   - comment names on a page whose prose is nearly all under them (a
//     forum thread, a live ticker; see liftThread);
//   - a strong name (not a final one) from a container that plainly holds
//     the article: several paragraphs of prose (articleParagraphs,
//     articleProseChars), more than twice what the page has outside it and
//     outside other boilerplate names ("sidebar__main" is the main column
//     of a layout with a sidebar; see liftStrong).
//
// Names are weak evidence; this much running text is strong evidence. The
// blocks under a lifted name take the hint of their nearest other named
// ancestor.
func reviseHints(w *walker) {
	lifted := liftThread(w)
	if liftStrong(w) || lifted {
		rehint(w)
	}
}

// threadProseChars is how much prose under comment names makes a page a
// thread when nearly nothing else is prose.
const threadProseChars = 600

// liftThread lifts the comment names of a page whose prose is nearly all
// under them (a forum thread, a live ticker, a Q&A page): there the
// thread is the content. It reports whether it lifted any.
func liftThread(w *walker) bool {
	var comment, other int
	for i := range w.blocks {
		b := &w.blocks[i]
		if !isProse(b) {
			continue
		}
		switch {
		case b.hint == hintComment:
			comment += b.chars
		case b.hint > hintStrong:
			other += b.chars
		}
	}
	if comment < threadProseChars || 8*other > comment {
		return false
	}
	for i := range w.nodes {
		if w.nodes[i].hint == hintComment {
			w.nodes[i].hint = 0
		}
	}
	return true
}

// liftStrong lifts strong names as reviseHints describes; it reports
// whether it lifted any.
func liftStrong(w *walker) bool {
	nodes := w.nodes
	strong := false
	for i := range nodes {
		if nodes[i].hint == hintStrong {
			strong = true
			break
		}
	}
	if !strong {
		return false
	}
	// prose[n]: prose under n not claimed by another strong name below n;
	// free[n]: prose under n under no strong name at all.
	w.scratch = growTo(w.scratch, 3*len(nodes))[:3*len(nodes)]
	clear(w.scratch)
	prose, paras, free := w.scratch[:len(nodes)], w.scratch[len(nodes):2*len(nodes)], w.scratch[2*len(nodes):]
	totalFree := 0
	for i := range w.blocks {
		b := &w.blocks[i]
		if b.node < 0 || !isProse(b) {
			continue
		}
		if b.hint > hintStrong {
			free[b.node] += int32(b.chars)
			totalFree += b.chars
			continue
		}
		if b.hint == hintStrong {
			// Credit the nearest strong-named ancestor.
			for n := b.node; n >= 0; n = nodes[n].parent {
				if nodes[n].hint == hintStrong {
					prose[n] += int32(b.chars)
					paras[n]++
					break
				}
			}
		}
	}
	for i := len(nodes) - 1; i >= 0; i-- { // children come after parents
		if p := nodes[i].parent; p >= 0 {
			free[p] += free[i]
			if nodes[i].hint != hintStrong {
				prose[p] += prose[i]
				paras[p] += paras[i]
			}
		}
	}
	lifted := false
	for i := range nodes {
		if nodes[i].hint != hintStrong {
			continue
		}
		mine := prose[i] + free[i]
		if mine >= articleProseChars && paras[i] >= articleParagraphs && int(mine) > 2*(totalFree-int(free[i])) {
			// The article's wrappers ("lay-sidebar" around "sidebar__main")
			// are misnamed too.
			for n := int32(i); n >= 0; n = nodes[n].parent {
				if nodes[n].hint == hintStrong {
					nodes[n].hint = 0
				}
			}
			lifted = true
		}
	}
	return lifted
}

// rehint gives every block the hint of its nearest named ancestor again,
// after names were lifted.
func rehint(w *walker) {
	for i := range w.blocks {
		b := &w.blocks[i]
		b.hint = 0
		for n := b.node; n >= 0; n = w.nodes[n].parent {
			h := w.nodes[n].hint
			if h == 0 {
				continue
			}
			if b.hint == hintWeak {
				// As in the walker: a weak name does not soften a
				// stronger one above it.
				if h < hintWeak {
					b.hint = h
				}
				break
			}
			b.hint = h
			if h != hintWeak {
				break
			}
		}
	}
}

// findHeadline returns the heading block that repeats most of the page's
// <title> (most of its words are title words), or -1: the article's
// headline. It marks where the article starts, and it is not text of the
// article itself (readability drops it too; the title is Result.Title).
func findHeadline(w *walker) int {
	if len(w.title) == 0 {
		return -1
	}
	title := wordSet(w.title)
	if len(title) == 0 {
		return -1
	}
	best, bestIn := -1, 0
	var buf []byte // the current word, lower-cased
	for i := range w.blocks {
		b := &w.blocks[i]
		if b.kind != kindHeading || b.hint <= hintStrong || linkDensity(b) > 0.5 {
			continue
		}
		text := w.buf[b.start:b.end]
		words, in := 0, 0
		for j := 0; ; {
			var wd []byte
			if wd, j = nextWord(text, j, buf); wd == nil {
				break
			}
			buf = wd
			words++
			if title[string(wd)] {
				in++
			}
		}
		if words < 2 {
			continue
		}
		// The heading that repeats most of the title: a site-name
		// heading ("Example Times") repeats only its suffix.
		if float64(in) >= 0.75*float64(words) && in > bestIn {
			best, bestIn = i, in
		}
	}
	return best
}

// maxLeadBlocks bounds how far after the headline a lead paragraph is
// looked for.
const maxLeadBlocks = 8

// promoteLead keeps the article's lead: paragraphs between the headline and
// the region (a standfirst outside the body's container, under a byline)
// that are prose-sized but have no good neighbour, since the headline
// above them is not kept and bylines and dates around them are not.
func promoteLead(blocks []block, class []blockClass, headline int, regionOf func(*block) bool) {
	for i := headline + 1; i < len(blocks) && i <= headline+maxLeadBlocks; i++ {
		b := &blocks[i]
		if regionOf(b) {
			return
		}
		if class[i] == classNearGood && b.kind == kindText && b.hint > hintStrong {
			class[i] = classGood
		}
	}
}

// wordSet returns the words of b (see nextWord).
func wordSet(b []byte) map[string]bool {
	m := map[string]bool{}
	var buf []byte
	for i := 0; ; {
		var wd []byte
		if wd, i = nextWord(b, i, buf); wd == nil {
			return m
		}
		buf = wd
		m[string(wd)] = true
	}
}

// nextWord finds the next word in b at or after i, a run of letters and
// digits, and returns it lower-cased (in buf's space) with where it ends;
// nil when there is none. Lower-casing a word or the whole text first
// makes the same words: lower-casing keeps a letter or digit one and
// anything else not one (TestWordRune). A word is looked up in a map
// without copying it, and the text is not copied either.
func nextWord(b []byte, i int, buf []byte) ([]byte, int) {
	for i < len(b) {
		r, size := decodeRune(b, i)
		if isWordRune(r) {
			break
		}
		i += size
	}
	if i >= len(b) {
		return nil, i
	}
	buf = buf[:0]
	for i < len(b) {
		c := b[i]
		if c < utf8.RuneSelf {
			if !isWordRune(rune(c)) {
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
			i++
			continue
		}
		r, size := decodeRune(b, i)
		if !isWordRune(r) {
			break
		}
		buf = utf8.AppendRune(buf, unicode.ToLower(r))
		i += size
	}
	return buf, i
}

// isWordRune is unicode.IsLetter(r) || unicode.IsDigit(r), by table.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9'
	}
	return runeclass.IsLetter(r) || unicode.IsDigit(r)
}

// closeArticle marks bad every block outside the region that comes after
// both the region's last block and a block under a strong boilerplate name
// (a comment thread's heading, a related-articles box, a share bar): what
// follows the article's end and such a boundary is the page's tail, however
// long its paragraphs (comments, teasers, a second article).
func closeArticle(blocks []block, class []blockClass, regionOf func(*block) bool) {
	last := -1
	for i := range blocks {
		if regionOf(&blocks[i]) {
			last = i
		}
	}
	if last < 0 {
		return
	}
	closed := false
	for i := last + 1; i < len(blocks); i++ {
		b := &blocks[i]
		if regionOf(b) {
			continue
		}
		if b.hint <= hintStrong {
			closed = true
		}
		if closed {
			class[i] = classBad
		}
	}
}

// linkedSentence reports a sentence most of whose words are links (an
// encyclopedia's first line links every noun), which a link list is not: it
// ends like a sentence and has words of its own between the links.
func linkedSentence(b *block) bool {
	return b.sentence && b.chars-b.links >= 25 && b.kind == kindText && linkDensity(b) <= 0.9
}

func linkDensity(b *block) float64 {
	if b.chars == 0 {
		return 0
	}
	return float64(b.links) / float64(b.chars)
}

func classify(b *block, inRegion bool, opts Options) blockClass {
	ld := linkDensity(b)
	switch {
	case ld > opts.MaxLinkDensity && !(inRegion && linkedSentence(b)):
		return classBad
	case b.kind == kindCaption && b.chars < opts.LongBlockChars:
		// Image captions and photo credits ("Foto: dpa") describe a
		// picture the text does not have.
		return classBad
	case b.hint <= hintStrong:
		// A strong name (comments, navigation, share bars) vetoes the
		// block; names the content contradicts were lifted (reviseHints).
		return classBad
	case b.hint == hintWeak && b.chars < opts.ShortBlockChars:
		// A weak name tips short lines (a byline, "Tags: ...") to bad;
		// longer text is judged by its content.
		return classBad
	case !inRegion:
		// A long, link-free paragraph is prose wherever it is: the region
		// may be one section of a many-section article.
		if b.chars >= opts.LongBlockChars && ld <= 0.2 && (b.kind != kindCell || b.chars >= layoutCellChars) {
			if b.hint == hintWeak {
				// Under a weak name (an author box, a "popular" list)
				// it needs a good neighbour.
				return classNearGood
			}
			return classGood
		}
		if b.chars >= opts.ShortBlockChars && ld <= 0.2 && b.kind != kindCell {
			return classNearGood
		}
		if ld <= 0.2 && b.kind != kindCell {
			return classShort
		}
		return classBad
	case b.chars < opts.ShortBlockChars:
		return classShort
	}
	// In the region and not short: prose, even with many links (a
	// Wikipedia paragraph can be 40% link text).
	return classGood
}

// neighbour returns the class of the nearest block before (dir -1) or after
// (dir +1) i that is not short (and, if skipNearGood, not near-good); the
// page edges count as bad.
func neighbour(class []blockClass, i, dir int, skipNearGood bool) blockClass {
	for j := i + dir; j >= 0 && j < len(class); j += dir {
		c := class[j]
		if c == classShort || skipNearGood && c == classNearGood {
			continue
		}
		return c
	}
	return classBad
}

func reviseShort(class []blockClass, inArticle func(i, dir int) bool) {
	next := make([]blockClass, len(class))
	copy(next, class)
	for i, c := range class {
		if c != classShort {
			continue
		}
		p, n := neighbour(class, i, -1, true), neighbour(class, i, 1, true)
		switch {
		case p == classGood && inArticle(i, -1), n == classGood && inArticle(i, 1):
			// A short paragraph of the article's own container (its last
			// line, "<br>"-separated lines) stays with it.
			next[i] = classGood
		case p == classGood && n == classGood:
			next[i] = classGood
		case p == classBad && n == classBad:
			next[i] = classBad
		case p == classBad && neighbour(class, i, -1, false) == classNearGood,
			n == classBad && neighbour(class, i, 1, false) == classNearGood:
			next[i] = classGood
		default:
			// Between good text and bad: a closing line of the article,
			// or a "share this" line. jusText drops it; so do we.
			next[i] = classBad
		}
	}
	copy(class, next)
}

func reviseNearGood(class []blockClass) {
	for i, c := range class {
		if c != classNearGood {
			continue
		}
		p, n := neighbour(class, i, -1, true), neighbour(class, i, 1, true)
		if p == classBad && n == classBad {
			class[i] = classBad
		} else {
			class[i] = classGood
		}
	}
}

// headingsBeforeGood promotes the headings selected by from to class to
// when a good block follows within maxHeadingDistance.
func headingsBeforeGood(blocks []block, class []blockClass, to blockClass, from func(i int) bool) {
	for i := range blocks {
		if blocks[i].kind != kindHeading || !from(i) || blocks[i].hint < 0 {
			continue
		}
		dist := 0
		for j := i + 1; j < len(blocks) && dist <= maxHeadingDistance; j++ {
			if class[j] == classGood {
				class[i] = to
				break
			}
			dist += blocks[j].chars
		}
	}
}

// mainRegion returns, per node, whether it lies in the main content region,
// or nil when no container stands out (then the whole page is the region).
func mainRegion(w *walker) []bool {
	nodes := w.nodes
	if len(nodes) == 0 {
		return nil
	}
	for i := range w.blocks {
		b := &w.blocks[i]
		if b.node < 0 {
			continue
		}
		nodes[b.node].chars += int32(b.chars)
		nodes[b.node].links += int32(b.links)
		if b.chars < 25 || b.hint <= hintStrong {
			continue
		}
		score := float32(1 + b.commas + min(b.chars/100, 6))
		n := b.node
		if paragraphLike(nodes[n].tag) && nodes[n].parent >= 0 {
			n = nodes[n].parent
		}
		for level := 0; n >= 0 && level < 5; level++ {
			nd := &nodes[n]
			if !nd.scored {
				nd.scored = true
				nd.score = baseScore(nd)
			}
			switch level {
			case 0:
				nd.score += score
			case 1:
				nd.score += score / 2
			default:
				nd.score += score / float32(level*3)
			}
			n = nd.parent
		}
	}
	// Subtree sums: children come after their parents.
	for i := len(nodes) - 1; i >= 0; i-- {
		if p := nodes[i].parent; p >= 0 {
			nodes[p].chars += nodes[i].chars
			nodes[p].links += nodes[i].links
		}
	}
	final := func(i int32) float32 {
		nd := &nodes[i]
		if !nd.scored {
			return 0
		}
		ld := float32(0)
		if nd.chars > 0 {
			ld = float32(nd.links) / float32(nd.chars)
		}
		return nd.score * (1 - ld) * hintFactor(nd.hint)
	}
	top := int32(-1)
	var best float32
	for i := range nodes {
		if nodes[i].scored && nodes[i].tag != atom.Body && nodes[i].tag != atom.Html {
			if s := final(int32(i)); s > best {
				best, top = s, int32(i)
			}
		}
	}
	if top < 0 || best <= 0 {
		return nil
	}
	// Move up while the parent holds at least as much content: the best
	// scorer is often one of several sections of the article.
	last := best
	for p := nodes[top].parent; p >= 0 && nodes[p].tag != atom.Body && nodes[p].tag != atom.Html; p = nodes[p].parent {
		if !nodes[p].scored {
			continue
		}
		s := final(p)
		if s < best/3 {
			break
		}
		if s > last {
			top = p
			break
		}
		last = s
	}
	in := make([]bool, len(nodes))
	in[top] = true
	if parent := nodes[top].parent; parent >= 0 {
		threshold := max(10, final(top)*0.2)
		for i := int(top) + 1; i < len(nodes); i++ {
			if nodes[i].parent != parent {
				continue
			}
			ld := float32(0)
			if nodes[i].chars > 0 {
				ld = float32(nodes[i].links) / float32(nodes[i].chars)
			}
			if final(int32(i)) >= threshold || nodes[i].tag == atom.P && nodes[i].chars > 80 && ld < 0.25 {
				in[i] = true
			}
		}
		for i := int(parent) + 1; i < int(top); i++ {
			if nodes[i].parent == parent && nodes[i].scored && final(int32(i)) >= threshold {
				in[i] = true
			}
		}
	}
	for i := range nodes {
		if p := nodes[i].parent; p >= 0 && in[p] {
			in[i] = true
		}
	}
	return in
}

// baseScore is a container's starting score: its tag's usual role and its
// class/id hint (readability's weights, in spirit).
func baseScore(nd *node) float32 {
	var s float32
	switch nd.tag {
	case atom.Div, atom.Article, atom.Main, atom.Section:
		s = 5
	case atom.Pre, atom.Td, atom.Blockquote:
		s = 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		s = -3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		s = -5
	}
	return s
}

// hintFactor weighs a container's content score by its class/id hint. It
// multiplies rather than adds (readability adds 25): a name is evidence
// about the content, so it can tip the choice between containers of
// similar content but never make a header with one line outscore the
// article body.
func hintFactor(h int8) float32 {
	switch h {
	case hintStrong, hintFinal, hintComment:
		return 0.2
	case hintWeak:
		return 0.8
	case 1:
		return 1.5
	case hintArticleBody:
		return 3
	}
	return 1
}

// isDateLine reports a short line that carries a date or a time among a
// few words ("March 3, 2021, 18:04", "Updated 12.03.2021", "Jane Doe |
// 3 May 2020"): an article's dateline, which sites write without a class
// that says so. Any script: it looks for a year or a clock time, not for
// month names.
func isDateLine(text []byte) bool {
	if len(text) > 80 || bytes.IndexByte(text, '\n') >= 0 {
		return false
	}
	words, dates := 0, 0
	for i := 0; i < len(text); {
		c := text[i]
		if c == ' ' {
			i++
			continue
		}
		words++
		j := i
		for j < len(text) && text[j] != ' ' {
			j++
		}
		if hasYearOrTime(text[i:j]) {
			dates++
		}
		i = j
	}
	// "AFP 30 avril 2015 à 07:19 (Mis à jour : 30 avril 2015 à 07:38)":
	// each date or time allows a few more words.
	return dates > 0 && words <= 6+2*min(dates, 4)
}

// hasYearOrTime reports a word holding a year from 1900 to 2099 as its own
// run of four digits ("2021,", "12.03.2021") or a clock time ("18:04").
func hasYearOrTime(w []byte) bool {
	run, start := 0, 0
	for i := 0; i <= len(w); i++ {
		if i < len(w) && w[i] >= '0' && w[i] <= '9' {
			if run == 0 {
				start = i
			}
			run++
			continue
		}
		if run == 4 && (w[start] == '1' && w[start+1] == '9' || w[start] == '2' && w[start+1] == '0') {
			return true
		}
		if i < len(w) && w[i] == ':' && run >= 1 && run <= 2 && i+2 < len(w) && w[i+1] >= '0' && w[i+1] <= '5' && w[i+2] >= '0' && w[i+2] <= '9' {
			return true
		}
		run = 0
	}
	return false
}

// isCopyrightLine reports a short block that is a site footer's legal line
// ("© 2020 Example Inc. All rights reserved."), which sites write without
// any <footer> tag.
//
// It is one pass over the text, not a search per phrase: both phrases have
// a 'g' at index 6 ("copyright", "all rights reserved"), so only where a
// 'g' or 'G' is are they compared, and "©" starts with the byte 0xC2. A
// word of 8 bytes holding neither byte is skipped at once.
func isCopyrightLine(text []byte) bool {
	const ones = 0x0101010101010101
	for i := 0; i < len(text); i++ {
		if i+8 <= len(text) {
			// A zero byte in g (c2) is a 'g' or 'G' (0xC2): (v-ones)&^v
			// has a high bit set exactly when v has a zero byte.
			x := binary.LittleEndian.Uint64(text[i:])
			g := x | 0x2020202020202020 ^ 0x6767676767676767
			c2 := x ^ 0xC2C2C2C2C2C2C2C2
			if ((g-ones)&^g|(c2-ones)&^c2)&highBits == 0 {
				i += 7
				continue
			}
		}
		switch c := text[i]; {
		case c|0x20 == 'g' && i >= 6:
			if p := i - 6; p+len("copyright") <= len(text) && foldedAt(text, p, "copyright", 0) ||
				p+len("all rights reserved") <= len(text) && foldedAt(text, p, "all rights reserved", 0) {
				return true
			}
		case c == 0xC2 && i+1 < len(text) && text[i+1] == 0xA9: // ©
			return true
		}
	}
	return false
}
