package extract

import "golang.org/x/net/html/atom"

// skippedTags are never part of the main text: code, styling, navigation,
// page chrome, form controls and embedded documents or graphics. A <form>
// itself is not among them: ASP.NET and some CMSs wrap whole pages in one. <header> is not
// among them: some sites (Webflow's templates) put the whole article inside
// <header> elements, so a header only counts as boilerplate (see walker). Their whole subtree
// is dropped (an <svg>'s <title> included, so it never becomes the page title).
// <noscript> is not among them either: its content is what a reader without
// JavaScript sees (Blogger puts the post body there), read as markup.
var skippedTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Template: true,
	atom.Nav: true, atom.Footer: true, atom.Aside: true,
	atom.Iframe: true, atom.Svg: true, atom.Math: true,
	atom.Select: true, atom.Button: true, atom.Textarea: true, atom.Object: true,
	atom.Canvas: true, atom.Audio: true, atom.Video: true, atom.Dialog: true,
	atom.Menu: true, atom.Noembed: true, atom.Noframes: true, atom.Head: true,
	atom.Datalist: true, atom.Map: true,
}

// blockTags start and end a text block. Everything else is inline: its text
// joins the surrounding block.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Li: true, atom.Ul: true,
	atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Table: true,
	atom.Tr: true, atom.Td: true, atom.Th: true, atom.Tbody: true, atom.Thead: true,
	atom.Tfoot: true, atom.Caption: true, atom.Blockquote: true, atom.Pre: true,
	atom.Section: true, atom.Article: true, atom.Main: true, atom.Figure: true,
	atom.Figcaption: true, atom.Address: true, atom.Center: true, atom.Details: true,
	atom.Summary: true, atom.Hr: true, atom.Fieldset: true, atom.Legend: true,
	atom.Body: true, atom.Html: true, atom.Hgroup: true, atom.Title: true,
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true,
	atom.Form: true, atom.Iframe: true, atom.Menu: true, atom.Option: true,
	atom.Dialog: true, atom.Video: true, atom.Audio: true, atom.Canvas: true,
	atom.Textarea: true, atom.Select: true, atom.Object: true, atom.Plaintext: true,
	atom.Xmp: true, atom.Listing: true,
}

// voidTags have no end tag and are never pushed on the stack.
var voidTags = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true,
	atom.Hr: true, atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true,
	atom.Param: true, atom.Source: true, atom.Track: true, atom.Wbr: true,
	atom.Keygen: true, atom.Frame: true, atom.Basefont: true, atom.Bgsound: true,
}

// closesP lists the start tags that implicitly end an open <p>, as the HTML
// parser does; without this, pages that never close <p> would nest deeper
// with every paragraph.
var closesP = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Ul: true, atom.Ol: true,
	atom.Dl: true, atom.Table: true, atom.Blockquote: true, atom.Pre: true,
	atom.Section: true, atom.Article: true, atom.Main: true, atom.Figure: true,
	atom.Address: true, atom.Center: true, atom.Details: true, atom.Hr: true,
	atom.Fieldset: true, atom.Nav: true, atom.Header: true, atom.Footer: true,
	atom.Aside: true, atom.Form: true, atom.Menu: true, atom.Hgroup: true,
	atom.Listing: true, atom.Xmp: true, atom.Plaintext: true,
}

// blockKind is what a text block is, by its nearest block-level element.
type blockKind uint8

const (
	kindText blockKind = iota
	kindHeading
	kindListItem
	kindCell
	kindPre
	kindQuote
	kindCaption
)

func kindOf(a atom.Atom) (blockKind, bool) {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return kindHeading, true
	case atom.Li, atom.Dt, atom.Dd:
		return kindListItem, true
	case atom.Td, atom.Th, atom.Caption:
		return kindCell, true
	case atom.Pre, atom.Listing, atom.Xmp, atom.Plaintext:
		return kindPre, true
	case atom.Blockquote:
		return kindQuote, true
	case atom.Figcaption, atom.Figure:
		// Text in a <figure> outside its <figcaption> is a caption or a
		// credit too; code in a figure is kindPre (preDepth wins).
		return kindCaption, true
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Main,
		atom.Address, atom.Center, atom.Summary, atom.Legend, atom.Body:
		return kindText, true
	}
	return kindText, false
}

// paragraphLike elements hold text themselves; their score goes to their
// container (readability scores a paragraph's parent, not the paragraph).
func paragraphLike(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Li, atom.Dt, atom.Dd, atom.Td, atom.Th, atom.Pre, atom.Blockquote,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Figcaption, atom.Caption,
		atom.Span, atom.A, atom.B, atom.I, atom.Em, atom.Strong, atom.Font, atom.Small, atom.Code:
		return true
	}
	return false
}

// plainInline elements are read without their attributes: reading
// attributes is a good part of the tokenizer's cost, and a class or a
// hidden flag on these rarely changes what the text is.
var plainInline = map[atom.Atom]bool{
	atom.A: true, atom.B: true, atom.I: true, atom.Em: true, atom.Strong: true,
	atom.U: true, atom.S: true, atom.Small: true, atom.Sup: true, atom.Sub: true,
	atom.Code: true, atom.Abbr: true, atom.Cite: true, atom.Time: true, atom.Font: true,
	atom.Tt: true, atom.Mark: true, atom.Q: true, atom.Var: true, atom.Kbd: true,
	atom.Dfn: true, atom.Strike: true, atom.Big: true, atom.Ins: true, atom.Del: true,
}

// tagFlags gathers, per element, its membership of the sets above, so the
// walker does one lookup per tag instead of one map access per set (map
// accesses were 7% of extraction time).
type tagFlags uint8

const (
	flagBlock tagFlags = 1 << iota
	flagSkipped
	flagVoid
	flagClosesP
	flagPlainInline
)

// tagFlagTable is an open-addressing table keyed by atom: it holds the
// hundred or so atoms of the sets, and a miss (most inline and unknown
// elements) ends at the first empty slot.
var tagFlagTable = buildTagFlagTable()

const tagFlagTableBits = 9

type tagFlagEntry struct {
	a atom.Atom
	f tagFlags
}

func tagFlagSlot(a atom.Atom) uint32 {
	return (uint32(a) * 0x9E3779B1) >> (32 - tagFlagTableBits)
}

func buildTagFlagTable() *[1 << tagFlagTableBits]tagFlagEntry {
	var t [1 << tagFlagTableBits]tagFlagEntry
	add := func(set map[atom.Atom]bool, f tagFlags) {
		for a, in := range set {
			if !in || a == 0 {
				continue
			}
			i := tagFlagSlot(a)
			for t[i].a != 0 && t[i].a != a {
				i = (i + 1) & (1<<tagFlagTableBits - 1)
			}
			t[i].a = a
			t[i].f |= f
		}
	}
	add(blockTags, flagBlock)
	add(skippedTags, flagSkipped)
	add(voidTags, flagVoid)
	add(closesP, flagClosesP)
	add(plainInline, flagPlainInline)
	return &t
}

// flagsOf returns the sets element a belongs to (none for 0, an unknown
// element).
func flagsOf(a atom.Atom) tagFlags {
	if a == 0 {
		return 0
	}
	for i := tagFlagSlot(a); ; i = (i + 1) & (1<<tagFlagTableBits - 1) {
		switch tagFlagTable[i].a {
		case a:
			return tagFlagTable[i].f
		case 0:
			return 0
		}
	}
}

// headContent reports the elements that belong in <head>; any other start
// tag (or text) ends an unclosed head, as the HTML parser does.
func headContent(a atom.Atom) bool {
	switch a {
	case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta, atom.Noframes,
		atom.Script, atom.Style, atom.Template, atom.Title, atom.Noscript, atom.Head:
		return true
	}
	return false
}
