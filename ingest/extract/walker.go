package extract

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"sync"
	"unicode/utf8"

	"golang.org/x/net/html/atom"

	"github.com/sieve-data/sieve/internal/runeclass"
)

// element is one entry of the walker's stack of open elements.
type element struct {
	tag     atom.Atom
	node    int32 // index into walker.nodes, or -1 for the document
	skip    bool  // this element's subtree is dropped
	pre     bool
	link    bool
	foreign bool
	hint    int8   // effective hint: own class/id hint, else the parent's
	name    uint32 // FNV-1a of the tag name when tag is 0 (an unknown element)
	ctx     structure
	// For a link: the current block's link characters and the number of
	// blocks when it opened, to measure its anchor text when it closes.
	linkStart, linkBlock int32
}

// structure is where a block sits in the page's lists, tables and quotes,
// inherited down the stack: it decides how kept blocks are joined (list
// items and table rows on their own lines, cells side by side) and how
// they are marked up in Markdown. Node indexes are -1 outside.
type structure struct {
	list      int32 // innermost <ul>/<ol>/<dl>
	listTop   int32 // outermost list: items of one list tree are joined by "\n"
	item      int32 // innermost <li>/<dt>/<dd>
	table     int32 // innermost <table>
	row       int32 // innermost <tr>
	cell      int32 // innermost <td>/<th>
	listDepth int8
	quote     int8 // <blockquote> nesting
	ordered   bool // the innermost list is an <ol>
	headCell  bool // the innermost cell is a <th>
}

var noStructure = structure{list: -1, listTop: -1, item: -1, table: -1, row: -1, cell: -1}

// node is an element the walker opened, kept after it closed so the
// boilerplate pass can score containers. Parents always come before their
// children, which lets subtree sums be computed in one backward loop.
type node struct {
	parent int32
	tag    atom.Atom
	hint   int8 // own class/id/role hint
	scored bool
	score  float32 // readability-style content score
	chars  int32   // weighted text chars of the blocks directly in it (then subtree)
	links  int32   // of which inside links
}

// block is one unit of text: a paragraph, heading, list item, table cell,
// quote or preformatted section.
type block struct {
	start, end int // text is walker.buf[start:end]
	node       int32
	kind       blockKind
	hint       int8
	chars      int // weighted non-space characters
	links      int // weighted characters inside <a>
	longLinks  int // of which in anchors of longLinkChars or more
	commas     int
	sentence   bool // the text ends like a sentence (". ! ? 。" ...)
	level      int8 // heading level 1-6 for kindHeading
	ctx        structure
}

// longLinkChars is the anchor length from which a link inside prose is
// part of the sentence; proseOwnChars the text outside links a block needs
// for that (a teaser's headline link has none).
const (
	proseHeadingChars = 120 // a heading this long that ends like a sentence is a paragraph
	longLinkChars     = 50
	proseOwnChars     = 30
)

// maxHintCache bounds the class-hint cache.
const maxHintCache = 4096

// maxTitleBytes bounds the title: an unclosed <title> swallows the rest of
// the page as its raw text.
const maxTitleBytes = 2048

// walker makes one pass over the tokens of a decoded page.
type walker struct {
	opts   Options
	stack  []element
	nodes  []node
	blocks []block
	buf    []byte

	skipDepth, preDepth, linkDepth int
	headDepth                      int // stack index of an open <head>, or 0
	noscriptDepth                  int
	foreignDepth                   int // inside <svg> or <math>, whose <title> is not the page's

	// the block being built
	cur          block
	space        bool // a space is pending before the next character
	spaceNL      bool // the pending space held a line break
	lastWasBr    bool
	title        []byte
	hasTitle     bool // the page title was seen (it may be empty)
	inTitle      bool // inside a <title>: its raw text is not page text
	captureTitle bool
	truncated    bool
	depthCut     bool
	unstable     bool // buf holds a code point that is not NFC-stable (see appendRun)
	tokenCount   int
	hintCache    map[string]int8  // class attribute -> classHint
	names        map[int32]string // node -> its tag, class and id, only for Explain
	scratch      []int32          // per-node counters of reviseHints, reused
	scan         scanner
	atoms        *atomCache // tag names seen, kept across pages (pure memo); a pointer, so reset does not copy it
}

// walkerPool reuses walkers, whose buffers (text, nodes, blocks, stack)
// are as large as a fraction of the page: allocating them per page was
// most of the bytes extraction allocated.
var walkerPool = sync.Pool{New: func() any { return new(walker) }}

// maxPooledBuf keeps a walker that read a huge page from pinning its
// buffers.
const maxPooledBuf = 1 << 20

func newWalker(opts Options, sizeHint int) *walker {
	w := walkerPool.Get().(*walker)
	w.reset(opts, sizeHint)
	return w
}

// release returns w to the pool; w must not be used afterwards.
func (w *walker) release() {
	if cap(w.buf) > maxPooledBuf || cap(w.nodes) > maxPooledBuf/16 || cap(w.scan.scratch) > maxPooledBuf || cap(w.scratch) > maxPooledBuf/4 {
		return
	}
	w.scan.reset(nil)
	walkerPool.Put(w)
}

func (w *walker) reset(opts Options, sizeHint int) {
	stableOnce.Do(buildStable) // for appendRun's isStable
	hints := w.hintCache
	if len(hints) >= maxHintCache {
		clear(hints)
	}
	*w = walker{
		opts:      opts,
		buf:       growTo(w.buf[:0], sizeHint/4+64),
		stack:     append(w.stack[:0], element{node: -1, ctx: noStructure}),
		nodes:     growTo(w.nodes[:0], sizeHint/64+16),
		blocks:    growTo(w.blocks[:0], sizeHint/512+8),
		title:     w.title[:0],
		hintCache: hints,
		scratch:   w.scratch[:0],
		scan:      w.scan,
		atoms:     w.atoms,
	}
	if w.atoms == nil {
		w.atoms = new(atomCache)
	}
}

// growTo returns s (empty) with room for at least n elements.
func growTo[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, 0, n)
	}
	return s[:0]
}

func (w *walker) top() *element { return &w.stack[len(w.stack)-1] }

// run walks the tokens of page.
func (w *walker) run(page []byte) {
	z := &w.scan
	z.reset(page)
	var nameBuf [16]byte
	for {
		tt := z.next()
		if tt == scanEOF {
			break
		}
		w.tokenCount++
		if w.tokenCount > w.opts.MaxNodes {
			w.truncated = true
			break
		}
		switch tt {
		case scanText:
			if w.inTitle {
				if w.captureTitle {
					t := z.text()
					if len(t) > maxTitleBytes { // an unclosed <title> runs to the end
						t = t[:maxTitleBytes]
					}
					w.title = append(w.title[:0], t...)
					w.hasTitle = true
					w.captureTitle = false
				}
				continue
			}
			if w.headDepth > 0 && w.headDepth == len(w.stack)-1 && len(bytes.TrimSpace(z.text())) > 0 {
				w.popTo(w.headDepth) // text ends an unclosed head
			}
			if w.skipDepth > 0 {
				continue
			}
			if w.noscriptDepth > 0 && looksLikeMarkup(z.text()) {
				// Markup saved as escaped text inside <noscript> (a
				// serializer's doing): an ad's or a pixel's tags, not text.
				continue
			}
			w.appendText(z.text())
		case scanStartTag, scanSelfClosingTag:
			a, hash, hasAttr := rawTagName(z.raw(), &nameBuf, w.atoms)
			w.startTag(z, a, hash, hasAttr, tt == scanSelfClosingTag)
		case scanEndTag:
			a, hash, _ := rawTagName(z.raw(), &nameBuf, w.atoms)
			if a == atom.Br { // </br> is read as <br>, as browsers do
				w.lineBreak()
				continue
			}
			if a == atom.Title {
				w.inTitle = false
			}
			if flagsOf(a)&flagBlock != 0 {
				w.flush()
			}
			w.endTag(a, hash)
		}
	}
	w.flush()
}

func (w *walker) startTag(z *scanner, a atom.Atom, hash uint32, hasAttr, selfClosing bool) {
	if w.foreignDepth > 0 {
		// In SVG and MathML no element holds raw text (x/net/html's
		// parser does the same), and a self-closed "<title/>" is empty.
		z.notRawText()
		if a == atom.Title && selfClosing {
			return
		}
	}
	if w.headDepth > 0 && !headContent(a) {
		// A page that never closes <head> (or has no <body> tag): the
		// first body element ends the head, as the HTML parser does.
		w.popTo(w.headDepth)
	}
	if a == atom.Noscript {
		// Read as markup, as with scripting off (the tokenizer would
		// return it as raw text).
		z.notRawText()
	}
	switch a {
	case atom.Br:
		if w.skipDepth == 0 {
			w.lineBreak()
		}
		return
	case atom.Title:
		// The first <title> outside <svg> and <math> is the page title.
		// It is raw text: the next token is its text. As in browsers,
		// "<title/>" is a start tag too (the tokenizer reads raw text).
		w.inTitle = true
		w.captureTitle = w.foreignDepth == 0 && !w.hasTitle
		return
	}
	flags := flagsOf(a)
	if flags&flagBlock != 0 {
		w.flush()
		w.closeImplied(a, flags)
	}
	// Void elements have no content. "<x/>" is self-closing only in SVG
	// and MathML (and, by courtesy, for unknown elements); elsewhere HTML
	// ignores the slash, so "<div/>" opens a div.
	if flags&flagVoid != 0 || selfClosing && (a == 0 || w.foreignDepth > 0 || w.skipDepth > 0) {
		if a == atom.Img || a == atom.Input || a == atom.Embed {
			// An image between two words separates them on screen.
			w.space = true
		}
		return
	}
	if len(w.stack) >= w.opts.MaxDepth {
		// Flatten: the element is not tracked, its text still counts.
		w.depthCut = true
		return
	}
	parent := w.top()
	e := element{tag: a, skip: flags&flagSkipped != 0, pre: a == atom.Pre || a == atom.Listing || a == atom.Xmp || a == atom.Plaintext, link: a == atom.A && hasAttr && isNavigatingLink(z.raw()), foreign: a == atom.Svg || a == atom.Math, hint: parent.hint, ctx: parent.ctx}
	var own int8
	if hasAttr && flags&flagPlainInline == 0 {
		skip, hint := w.readAttrs(z, a)
		e.skip = e.skip || skip
		own = hint
		// A weak name does not soften a stronger one above it (a
		// "teaser" inside a "related-posts" box).
		if hint != 0 && !(hint == hintWeak && parent.hint < hintWeak) {
			e.hint = hint
		}
	}
	if (a == atom.Article || a == atom.Main) && own == 0 {
		// The element says content unless its own name says otherwise
		// (an <article class="login-modal">).
		own, e.hint = 1, 1
	}
	// A <header> is page chrome unless its class or id says content: its
	// blocks compete as boilerplate, so a banner goes and an article
	// wrapped in <header> stays.
	if a == atom.Noscript && own == 0 {
		// What a reader without JavaScript sees: the post body on Blogger,
		// but also "please enable JavaScript" notes and consent dialogs.
		own, e.hint = hintWeak, hintWeak
	}
	if a == atom.Header && own == 0 {
		own, e.hint = hintWeak, hintWeak
	}
	if w.skipDepth > 0 || e.skip {
		// Inside a dropped subtree only the nesting matters.
		e.node = -1
	} else {
		if len(w.nodes) >= w.opts.MaxNodes {
			w.truncated = true
			e.node = -1
		} else {
			w.nodes = append(w.nodes, node{parent: parent.node, tag: a, hint: own})
			e.node = int32(len(w.nodes) - 1)
		}
	}
	if e.node < 0 && w.skipDepth == 0 && !e.skip {
		e.node = parent.node
	}
	if w.names != nil && e.node >= 0 && own != 0 {
		w.names[e.node] = namesOf(z, a)
	}
	if a == 0 {
		// Custom elements (<my-widget>) have no atom; their end tags
		// are matched by a hash of the name.
		e.name = hash
	}
	if flags&flagBlock != 0 && e.node >= 0 {
		e.ctx.enter(a, e.node)
	}
	w.push(e)
}

// enter updates the structure for an element a (tracked as node n) that
// opens inside it.
func (c *structure) enter(a atom.Atom, n int32) {
	switch a {
	case atom.Ul, atom.Ol, atom.Dl, atom.Menu:
		c.list, c.ordered = n, a == atom.Ol
		if c.listTop < 0 {
			c.listTop = n
		}
		if c.listDepth < 100 {
			c.listDepth++
		}
	case atom.Li, atom.Dt, atom.Dd:
		c.item = n
	case atom.Table:
		// A table inside a cell is laid out on its own.
		c.table, c.row, c.cell, c.headCell = n, -1, -1, false
		c.list, c.listTop, c.item, c.listDepth = -1, -1, -1, 0
	case atom.Tr:
		c.row, c.cell = n, -1
	case atom.Td, atom.Th:
		c.cell, c.headCell = n, a == atom.Th
		c.list, c.listTop, c.item, c.listDepth = -1, -1, -1, 0
	case atom.Blockquote:
		if c.quote < 100 {
			c.quote++
		}
	}
}

// readAttrs reads the attributes that matter: hiding, role and class/id.
func (w *walker) readAttrs(z *scanner, a atom.Atom) (skip bool, hint int8) {
	// The html and body elements carry page-wide classes ("has-sidebar"),
	// which say nothing about the text inside.
	useNames := a != atom.Body && a != atom.Html
	var classH, idH int8
	for i := range z.numAttrs() {
		// Values are read only for the names that matter.
		switch string(z.attrKey(i)) {
		case "hidden":
			skip = true
		case "aria-hidden":
			skip = skip || bytes.EqualFold(bytes.TrimSpace(z.attrVal(i)), []byte("true"))
		case "style":
			skip = skip || hiddenStyle(z.attrVal(i))
		case "role":
			s, h := roleHint(z.attrVal(i))
			skip = skip || s
			if h != 0 {
				hint = h
			}
		case "itemprop":
			if bytes.EqualFold(z.attrVal(i), []byte("articleBody")) {
				hint = hintArticleBody
			}
		case "class":
			if v := z.attrVal(i); useNames && len(v) > 0 {
				classH = w.cachedClassHint(v)
			}
		case "id":
			if v := z.attrVal(i); useNames && len(v) > 0 {
				idH = classHint(v) // ids are unique: not worth caching
			}
		}
	}
	if classH == hintSkip || idH == hintSkip {
		return true, 0
	}
	if hint == 0 {
		hint = combineHints(classH, idH)
	}
	return skip, hint
}

// cachedClassHint is classHint memoised: pages repeat the same class
// lists hundreds of times (and sites across pages). classHint is a pure
// function, so the cache outlives the page with its pooled walker.
func (w *walker) cachedClassHint(class []byte) int8 {
	if h, ok := w.hintCache[string(class)]; ok {
		return h
	}
	h := classHint(class)
	if w.hintCache == nil {
		w.hintCache = make(map[string]int8, 64)
	}
	if len(w.hintCache) < maxHintCache {
		w.hintCache[string(class)] = h
	}
	return h
}

func (w *walker) push(e element) {
	if e.skip {
		w.skipDepth++
	}
	if e.pre {
		w.preDepth++
	}
	if e.link {
		w.linkDepth++
		e.linkStart, e.linkBlock = int32(w.cur.links), int32(len(w.blocks))
	}
	if e.foreign {
		w.foreignDepth++
	}
	if e.tag == atom.Noscript {
		w.noscriptDepth++
	}
	if e.tag == atom.Head && w.headDepth == 0 {
		w.headDepth = len(w.stack)
	}
	w.stack = append(w.stack, e)
}

func (w *walker) pop() {
	e := w.stack[len(w.stack)-1]
	if flagsOf(e.tag)&flagBlock != 0 {
		w.flush()
	}
	if e.skip {
		w.skipDepth--
	}
	if e.pre {
		w.preDepth--
	}
	if e.link {
		w.linkDepth--
		if n := w.cur.links - int(e.linkStart); int32(len(w.blocks)) == e.linkBlock && n >= longLinkChars {
			w.cur.longLinks += n
		}
	}
	if e.foreign {
		w.foreignDepth--
	}
	if len(w.stack)-1 == w.headDepth {
		w.headDepth = 0
	}
	if e.tag == atom.Noscript {
		w.noscriptDepth--
	}

	w.stack = w.stack[:len(w.stack)-1]
}

// popTo pops elements down to and including stack index i.
func (w *walker) popTo(i int) {
	for len(w.stack) > i {
		w.pop()
	}
}

// find returns the stack index of the innermost open a, searching no
// further down than a boundary element; -1 if none.
func (w *walker) find(a atom.Atom, boundaries ...atom.Atom) int {
	for i := len(w.stack) - 1; i > 0; i-- {
		t := w.stack[i].tag
		if t == a {
			return i
		}
		for _, b := range boundaries {
			if t == b {
				return -1
			}
		}
	}
	return -1
}

// closeImplied applies the HTML rules for optional end tags that matter for
// depth: <p>, <li>, <dt>/<dd>, <tr>, <td>/<th>, <option> and headings.
func (w *walker) closeImplied(a atom.Atom, flags tagFlags) {
	if flags&flagClosesP != 0 {
		if i := w.find(atom.P, atom.Div, atom.Td, atom.Th, atom.Li, atom.Blockquote, atom.Table, atom.Body); i > 0 {
			w.popTo(i)
		}
	}
	switch a {
	case atom.Li:
		if i := w.find(atom.Li, atom.Ul, atom.Ol, atom.Menu, atom.Table); i > 0 {
			w.popTo(i)
		}
	case atom.Dt, atom.Dd:
		i := w.find(atom.Dd, atom.Dl, atom.Table)
		if j := w.find(atom.Dt, atom.Dl, atom.Table); j > i {
			i = j
		}
		if i > 0 {
			w.popTo(i)
		}
	case atom.Tr:
		if i := w.find(atom.Tr, atom.Table); i > 0 {
			w.popTo(i)
		}
	case atom.Td, atom.Th:
		i := w.find(atom.Td, atom.Tr, atom.Table)
		if j := w.find(atom.Th, atom.Tr, atom.Table); j > i {
			i = j
		}
		if i > 0 {
			w.popTo(i)
		}
	case atom.Option:
		if w.top().tag == atom.Option {
			w.pop()
		}
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		switch w.top().tag {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			w.pop()
		}
	}
}

// endTag closes the innermost open element with this name and everything
// opened inside it. An end tag with no open element is ignored.
func (w *walker) endTag(a atom.Atom, hash uint32) {
	for i := len(w.stack) - 1; i > 0; i-- {
		if w.stack[i].tag == a && (a != 0 || w.stack[i].name == hash) {
			w.popTo(i)
			return
		}
	}
}

// lineBreak handles <br>: a new line inside the block; two in a row (the
// "<br><br>" paragraph idiom) end the block.
func (w *walker) lineBreak() {
	if w.lastWasBr {
		w.flush()
		return
	}
	if w.cur.chars > 0 {
		w.trimTrailingSpace()
		w.buf = append(w.buf, '\n')
		w.lastWasBr = true
	}
	w.space = false
}

func (w *walker) trimTrailingSpace() {
	for len(w.buf) > w.cur.start && w.buf[len(w.buf)-1] == ' ' {
		w.buf = w.buf[:len(w.buf)-1]
	}
}

// appendText adds a text run to the current block, collapsing whitespace
// (pre keeps it) and counting weighted characters, link characters and
// commas for the boilerplate pass.
func (w *walker) appendText(s []byte) {
	inLink := w.linkDepth > 0
	pre := w.preDepth > 0
	for i := 0; i < len(s); {
		c := s[i]
		if c > ' ' && c < utf8.RuneSelf {
			// Fast path: a run of visible ASCII is copied at once. It is
			// what the general loop below does byte by byte (ASCII is
			// never wide, weighs 1, and only ',' among it is a comma).
			if w.space {
				if w.cur.chars > 0 && w.buf[len(w.buf)-1] != '\n' {
					w.buf = append(w.buf, ' ')
				}
				w.space = false
				w.spaceNL = false
			}
			i = w.appendRun(s, i, inLink, pre)
			continue
		}
		if !pre && (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
			// Fast path: a run of ASCII white space (the indentation
			// between tags) only leaves a pending space.
			nl := false
			for ; i < len(s); i++ {
				d := s[i]
				if d == '\n' {
					nl = true
				} else if d != ' ' && d != '\t' && d != '\r' && d != '\f' {
					break
				}
			}
			w.space = true
			w.spaceNL = w.spaceNL || nl
			continue
		}
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRune(s[i:])
		}
		if pre {
			if c == '\r' {
				i++
				continue
			}
			if c == '\n' || c == '\t' || c == ' ' {
				w.buf = append(w.buf, c)
				i++
				continue
			}
		} else if isSpace(r) {
			w.space = true
			w.spaceNL = w.spaceNL || c == '\n'
			i += size
			continue
		}
		if w.space {
			if w.cur.chars > 0 && w.buf[len(w.buf)-1] != '\n' {
				// A source line break between two Chinese or Japanese
				// characters is not a space (CSS segment-break rules):
				// those scripts do not separate words.
				last, _ := utf8.DecodeLastRune(w.buf)
				if !(w.spaceNL && isWide(last) && isWide(r)) {
					w.buf = append(w.buf, ' ')
				}
			}
			w.space = false
			w.spaceNL = false
		}
		if r == 0 || invisible(r, size) {
			i += size // NUL and the invisible characters
			continue
		}
		i = w.appendRun(s, i, inLink, pre)
	}
}

// appendRun appends the character at s[i], which appendText decided to
// keep (and whose pending space it handled), and the run of visible
// characters after it, up to the next white space (in <pre>: the next
// ASCII white space or control character) or character to drop; it
// returns where the run ends. It does at once what appendText's general
// loop would do a character at a time: inside a run no space is pending,
// so each character only adds its bytes, its weight and its comma.
func (w *walker) appendRun(s []byte, i int, inLink, pre bool) int {
	// The first character is kept, whatever it is.
	r, size := decodeRune(s, i)
	j, chars, commas := i+size, runeWeight(r), 0
	if isComma(r) {
		commas++
	}
	// stable: every code point of the run is NFC-stable (ASCII is), so
	// that Extract can skip the NFC check of a page whose text all is.
	stable := isStable(r)
	// In <pre> a space ends the run; elsewhere a single space between
	// two visible characters stays in it.
	var spaceOK uint64 = highBits
	if pre {
		spaceOK = 0
	}
	for j < len(s) {
		if len(s) >= 8 && s[j] < utf8.RuneSelf {
			// Up to eight bytes at a time (exactly what the byte loop
			// below does for them): the ASCII bytes before the first
			// other one in the next eight, if they are visible ASCII and
			// single spaces each followed by visible ASCII, so that the
			// byte loop would keep them in the run. m has the high bit of
			// each of those bytes; adding to an ASCII byte never carries
			// into the next, and a carry out of a later byte only goes
			// further up, so the tests are exact on the bytes under m.
			var x uint64
			if j+8 <= len(s) {
				x = binary.LittleEndian.Uint64(s[j:])
			} else {
				// The last bytes of s: the final eight, shifted so that
				// s[j] is the lowest; the zero bytes shifted in past the
				// end are control bytes, so nothing is taken past it.
				x = binary.LittleEndian.Uint64(s[len(s)-8:]) >> (8 * uint(j+8-len(s)))
			}
			m := uint64(highBits)
			if hi := x & highBits; hi != 0 {
				m = (hi - 1) & highBits
			}
			ctrl := ^(x + 0x6060606060606060) & m                      // bytes < 0x20
			sp := ^((x ^ 0x2020202020202020) + 0x7f7f7f7f7f7f7f7f) & m // bytes == ' '
			// The bytes the byte loop would stop at or need to look at:
			// control bytes, spaces in <pre>, and spaces not followed by
			// visible ASCII under m (a space, a control byte, or a byte
			// past m). The bytes before the first of them are kept by
			// the byte loop one at a time (a space among them is followed
			// by visible ASCII, or it would be marked itself), so they
			// are taken at once; the marked byte goes to the byte loop.
			bad := ctrl | sp&^spaceOK | sp&(sp>>8|ctrl>>8|m&^(m>>8))
			if bad != 0 {
				m &= bad&-bad - 1
			}
			if m != 0 {
				cm := ^((x ^ 0x2c2c2c2c2c2c2c2c) + 0x7f7f7f7f7f7f7f7f) & m // bytes == ','
				k := bits.OnesCount64(m)
				commas += bits.OnesCount64(cm)
				chars += k - bits.OnesCount64(sp&m)
				j += k
				if bad == 0 {
					continue
				}
				if j == len(s) {
					break
				}
			}
		}
		c := s[j]
		if c > ' ' && c < utf8.RuneSelf {
			// Visible ASCII, the common case: never wide, weighs 1.
			if c == ',' {
				commas++
			}
			chars++
			j++
			continue
		}
		if c < utf8.RuneSelf {
			if c == ' ' && !pre && j+1 < len(s) && (s[j+1] > ' ' && s[j+1] < utf8.RuneSelf || visibleAt(s, j+1)) {
				// One space between two visible characters is what
				// appendText would write for it (no newline in it, a
				// visible character before it): it stays in the run,
				// uncounted, so a run is a stretch of text, not a word.
				j++
				continue
			}
			break
		}
		if c >= 0xC2 && c < 0xE0 && j+1 < len(s) && s[j+1]&0xC0 == 0x80 {
			// A two-byte sequence (Latin, Greek, Cyrillic, Hebrew,
			// Arabic...): weighs 1; only U+0085 and U+00A0 (spaces),
			// U+00AD (dropped) and U+060C (a comma) need the general
			// path below.
			if r := rune(c&0x1F)<<6 | rune(s[j+1]&0x3F); r != 0x85 && r != 0xA0 && r != 0xAD && r != 0x60C {
				stable = stable && isStable(r)
				chars++
				j += 2
				continue
			}
		}
		if c >= 0xE0 && c < 0xF0 && j+2 < len(s) && s[j+1]&0xC0 == 0x80 && s[j+2]&0xC0 == 0x80 {
			// A three-byte sequence (Indic, Thai, CJK, kana, Hangul...),
			// valid unless overlong (below U+0800) or a surrogate: below
			// U+1680 and above U+3001 only U+FEFF (a space) and U+FF0C
			// (a comma) need the general path below.
			if r := rune(c&0x0F)<<12 | rune(s[j+1]&0x3F)<<6 | rune(s[j+2]&0x3F); r >= 0x800 && r < 0x1680 ||
				r > 0x3001 && (r < 0xD800 || r > 0xDFFF) && r != 0xFEFF && r != 0xFF0C {
				stable = stable && isStable(r)
				chars += runeWeight(r)
				j += 3
				continue
			}
		}
		r, size := decodeRune(s, j)
		if invisible(r, size) || !pre && isSpace(r) {
			break
		}
		stable = stable && isStable(r)
		chars += runeWeight(r)
		if isComma(r) {
			commas++
		}
		j += size
	}
	if !stable {
		w.unstable = true
	}
	w.lastWasBr = false
	w.buf = append(w.buf, s[i:j]...)
	w.cur.chars += chars
	if inLink {
		w.cur.links += chars
	}
	w.cur.commas += commas
	return j
}

// isNavigatingLink reports whether an <a> start tag (its raw bytes) leads
// somewhere: it has a non-empty href that is not a script
// ("javascript:..."). Other anchors (<a name=...> around a paragraph, script
// buttons) hold text, not link text (readability turns them into spans).
// A fragment ("#top", "#") still counts: such links are tables of contents
// and menu buttons.
func isNavigatingLink(raw []byte) bool {
	i := indexFold(raw, "href")
	if i < 0 {
		return false
	}
	v := bytes.TrimLeft(raw[i+4:], " \t\n\r\f")
	if len(v) == 0 || v[0] != '=' {
		return isNavigatingLink(raw[i+4:]) // "data-href", or "href" in another value
	}
	v = bytes.TrimLeft(v[1:], " \t\n\r\f")
	if len(v) > 0 && (v[0] == '"' || v[0] == '\'') {
		v = v[1:]
	}
	switch {
	case len(v) == 0 || v[0] == '"' || v[0] == '\'' || v[0] == '>':
		return false // href=""
	case indexFold(v[:min(len(v), 11)], "javascript:") == 0:
		return false
	}
	return true
}

// looksLikeMarkup reports text holding a tag ("<div", "</a", "<!--").
func looksLikeMarkup(t []byte) bool {
	for i := bytes.IndexByte(t, '<'); i >= 0 && i+1 < len(t); {
		c := t[i+1]
		if c == '/' || c == '!' || 'a' <= c|0x20 && c|0x20 <= 'z' {
			return true
		}
		j := bytes.IndexByte(t[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// isSentenceEnd reports the punctuation that ends a sentence, or closes one
// (a quote, a parenthesis, a footnote mark's bracket).
func isSentenceEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '。', '！', '？', '…', '։', '۔', '।', '॥', '።', '။', '؟',
		'"', '\'', '»', '”', '’', ')', ']', '」', '』':
		return true
	}
	return false
}

// isSpace reports white space (unicode.IsSpace, and the zero-width space
// and BOM, which also separate words). Outside U+1680-U+3000 the only
// non-ASCII ones are U+0085, U+00A0 and U+FEFF: those ranges, most
// letters of most scripts, are answered without the table.
func isSpace(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r == '\v'
	case r < 0x1680:
		return r == 0x85 || r == 0xA0
	case r > 0x3000:
		return r == 0xFEFF
	}
	return r == 0x200B || runeclass.IsSpace(r)
}

// isWide reports Han, kana and CJK punctuation (not Hangul: Korean
// separates words with spaces).
func isWide(r rune) bool {
	return r >= 0x2E80 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF || r >= 0xFF00 && r <= 0xFFEF
}

// runeWeight makes text lengths comparable across scripts: one Han or kana
// character carries about as much as three Latin letters, a Hangul
// syllable about two. jusText-style thresholds are in Latin characters.
func runeWeight(r rune) int {
	switch {
	case r < 0x3040:
		return 1
	case r <= 0x9FFF, r >= 0xF900 && r <= 0xFAFF, r >= 0x20000 && r <= 0x3FFFF:
		return 3
	case r >= 0xAC00 && r <= 0xD7A3:
		return 2
	}
	return 1
}

// flush ends the current block, recording it when it has text.
func (w *walker) flush() {
	w.lastWasBr = false
	w.space = false
	w.spaceNL = false
	if w.cur.chars == 0 {
		w.buf = w.buf[:w.cur.start]
		w.cur = block{start: len(w.buf)}
		return
	}
	// Trim trailing whitespace and, for pre, surrounding blank lines.
	end := len(w.buf)
	for end > w.cur.start && (w.buf[end-1] == ' ' || w.buf[end-1] == '\n' || w.buf[end-1] == '\t') {
		end--
	}
	start := w.cur.start
	for start < end && (w.buf[start] == '\n' || w.buf[start] == ' ' && w.preDepth == 0) {
		start++
	}
	if w.preDepth > 0 {
		end = start + squeezeBlankLines(w.buf[start:end])
	}
	w.buf = w.buf[:end]
	b := w.cur
	if b.chars-b.links >= proseOwnChars {
		// A sentence-long anchor inside a paragraph that has prose of its
		// own is a citation ("..., who held the post for eight months"),
		// not navigation: it does not count as link text.
		b.links -= b.longLinks
	}
	b.start, b.end = start, end
	if end > start {
		last, _ := utf8.DecodeLastRune(w.buf[start:end])
		b.sentence = isSentenceEnd(last)
	}
	t := w.top()
	b.node, b.hint, b.ctx = t.node, t.hint, t.ctx
	// The block's kind is that of its nearest block-level ancestor.
	for i := len(w.stack) - 1; i > 0; i-- {
		if k, ok := kindOf(w.stack[i].tag); ok {
			b.kind = k
			if k == kindHeading {
				b.level = int8(w.stack[i].tag.String()[1] - '0')
			}
			break
		}
	}
	if w.preDepth > 0 {
		b.kind = kindPre
	}
	if b.kind == kindHeading && b.sentence && b.chars >= proseHeadingChars {
		// Sentences set as a heading for their font (whole posts are
		// written in <h3>s) are paragraphs.
		b.kind, b.level = kindText, 0
	}
	w.blocks = append(w.blocks, b)
	w.buf = append(w.buf, '\n', '\n') // keeps blocks apart in buf for joining
	w.cur = block{start: len(w.buf)}
}

// squeezeBlankLines rewrites preformatted text in place: trailing spaces of
// each line dropped and runs of blank lines cut to one, so that a "\n\n\n"
// never appears (three newlines would break the block format). It returns
// the new length.
func squeezeBlankLines(b []byte) int {
	out := 0
	newlines := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\n' {
			// Drop the spaces and tabs that ended the line.
			for out > 0 && (b[out-1] == ' ' || b[out-1] == '\t') {
				out--
			}
			newlines++
			if newlines > 2 {
				continue
			}
		} else if c != ' ' && c != '\t' {
			newlines = 0
		}
		b[out] = c
		out++
	}
	return out
}

// rawTagName reads the tag name of a start or end tag token from its raw
// bytes ("<Div class=x>", "</p >"). The tokenizer's TagName and TagAttr
// copy every name and value they return; reading the name here avoids a
// copy per tag. It returns the name's atom (0 for unknown elements), an
// FNV-1a hash of the lower-cased name (to match unknown elements' end
// tags) and whether anything follows the name (attributes).
//
// cache, when not nil, memoises atom.Lookup: a page uses a few dozen tag
// names thousands of times, and comparing the name with the cached one is
// cheaper than the atom package's hashing and probing.
func rawTagName(raw []byte, buf *[16]byte, cache *atomCache) (a atom.Atom, hash uint32, hasAttr bool) {
	i := 1 // skip '<'
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	h := uint32(2166136261)
	n := 0
	*buf = [16]byte{} // zero-padded, the whole array names the tag (see cache)
	for ; i < len(raw); i++ {
		c := raw[i]
		if nameEnds[c] {
			break
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint32(c)
		h *= 16777619
		if n < len(buf) {
			buf[n] = c
		}
		n++
	}
	for ; i < len(raw); i++ {
		if !nameEnds[raw[i]] {
			hasAttr = true
			break
		}
	}
	switch {
	case n > len(buf):
		// Longer than any atom: an unknown element.
	case cache == nil:
		a = atom.Lookup(buf[:n])
	default:
		e := &cache[h%uint32(len(cache))]
		if int(e.n) != n || e.name != *buf {
			e.name, e.n, e.a = *buf, uint8(n), atom.Lookup(buf[:n])
		}
		a = e.a
	}
	return a, h, hasAttr
}

// atomCache is rawTagName's memo, direct-mapped by the name's hash: each
// entry holds a lower-cased name (zero-padded) and its atom.
type atomCache [256]struct {
	name [16]byte
	n    uint8
	a    atom.Atom
}

// visibleAt reports that the character at s[i] would be kept by
// appendRun and is not white space: visible ASCII, or a valid non-space
// code point other than the soft hyphen and the word joiner.
func visibleAt(s []byte, i int) bool {
	c := s[i]
	if c < utf8.RuneSelf {
		return c > ' '
	}
	r, size := decodeRune(s, i)
	return !invisible(r, size) && !isSpace(r)
}

// invisible reports the characters appendText drops: invalid bytes, and
// the invisible soft hyphen and word joiner ("über&shy;zeu&shy;gen" is
// "überzeugen" on screen).
func invisible(r rune, size int) bool {
	return r == utf8.RuneError && size == 1 || r == 0xAD || r == 0x2060
}

// isComma reports the commas a block's comma count takes in (Latin, CJK,
// ideographic enumeration, Arabic).
func isComma(r rune) bool {
	switch r {
	case ',', '，', '、', '،':
		return true
	}
	return false
}

// decodeRune is utf8.DecodeRune(s[i:]) with the two- and three-byte
// sequences of the alphabets and of CJK decoded inline; the rest (four
// bytes, invalid or overlong sequences, surrogates) go to the utf8
// package.
func decodeRune(s []byte, i int) (rune, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
		return rune(c&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	}
	if c >= 0xE0 && c < 0xF0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
		// Valid unless overlong or a surrogate (E0 and ED leads).
		if r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F); r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
			return r, 3
		}
	}
	return utf8.DecodeRune(s[i:])
}
