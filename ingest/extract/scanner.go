package extract

import (
	"bytes"
	"unsafe"

	"golang.org/x/net/html"
)

// scanner splits a decoded page into the same tokens as the x/net/html
// Tokenizer (same token boundaries, tag names, attributes after
// de-duplication, text after newline conversion and entity unescaping),
// but it works on the page in memory instead of an io.Reader: it finds
// '<', '>' and quotes with bytes.IndexByte instead of reading byte by byte,
// never copies the page, and allocates nothing per tag. Profiling showed
// the Tokenizer's byte-at-a-time reading and its per-attribute allocations
// were more than half of the extraction time. scanner_test.go checks token
// for token against x/net/html (real pages and a fuzz target), and the
// rare attribute values that need entity unescaping are handed to
// x/net/html itself, so the semantics stay x/net/html's.
//
// Every method mirrors the Tokenizer function of the same role; comments
// name the HTML tokenizer states where the code follows them. The
// script-data states (the goto labels in readScript) follow the WHATWG
// tokenizer states in the order golang.org/x/net/html implements them, to
// reproduce its tokens exactly; that package is BSD-3-Clause, Copyright The
// Go Authors, and its notice applies to the parts that mirror it.
type scanner struct {
	page []byte
	pos  int  // next byte to read
	eof  bool // the page is exhausted: the next call returns scanEOF

	rawTag string // set after a start tag of a raw-text element

	tt         scanToken
	start, end int // the token's raw bytes
	dataStart  int // text tokens: the text is page[dataStart:end]
	tagNameEnd int
	textIsRaw  bool
	convertNUL bool

	attrs       []attrSpan // de-duplicated attributes of a start tag
	lastValEnd  int        // end of the last saved attribute value, or -1
	attrNamesMu map[string]struct{}
	scratch     []byte // text that needed rewriting
	// where the next '\r' and '&' are, at or after the last text token
	// searched (see holds); -1 before the first search
	nextCR, nextAmp int
	keyBuf          [32]byte
}

type scanToken uint8

const (
	scanEOF scanToken = iota
	scanText
	scanStartTag
	scanSelfClosingTag
	scanEndTag
	scanComment // comments, doctypes and bogus comments
)

type attrSpan struct{ k0, k1, v0, v1 int }

func (s *scanner) reset(page []byte) {
	s.page = page
	s.pos = 0
	s.eof = false
	s.rawTag = ""
	s.tt = scanEOF
	s.attrs = s.attrs[:0]
	s.scratch = s.scratch[:0]
	s.nextCR, s.nextAmp = -1, -1
}

func isWS(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// next advances to the next token (Tokenizer.Next).
func (s *scanner) next() scanToken {
	s.start = s.pos
	s.dataStart = s.pos
	if s.eof {
		s.tt = scanEOF
		return s.tt
	}
	if s.rawTag != "" {
		if s.rawTag == "plaintext" {
			s.pos = len(s.page)
			s.eof = true
			s.textIsRaw = true
		} else {
			s.readRawOrRCDATA()
		}
		s.end = s.pos
		if s.end > s.start {
			s.tt = scanText
			s.convertNUL = true
			return s.tt
		}
	}
	s.textIsRaw = false
	s.convertNUL = false
	for {
		// Tags often follow each other ("</a></li>"): the call is
		// skipped when the next byte already is the '<'.
		i := 0
		if s.pos >= len(s.page) || s.page[s.pos] != '<' {
			i = bytes.IndexByte(s.page[s.pos:], '<')
		}
		if i < 0 {
			s.pos = len(s.page)
			break
		}
		lt := s.pos + i
		if lt+1 >= len(s.page) {
			s.pos = len(s.page)
			break
		}
		c := s.page[lt+1]
		var tt scanToken
		switch {
		case isLetter(c):
			tt = scanStartTag
		case c == '/':
			tt = scanEndTag
		case c == '!' || c == '?':
			tt = scanComment
		default:
			s.pos = lt + 1
			continue
		}
		if s.start < lt {
			// The text before the tag is a token of its own.
			s.pos = lt
			s.end = lt
			s.tt = scanText
			return s.tt
		}
		s.pos = lt + 2
		switch tt {
		case scanStartTag:
			s.tt = s.readStartTag()
			s.end = s.pos
			return s.tt
		case scanEndTag:
			if s.pos >= len(s.page) {
				s.pos = len(s.page)
				s.eof = true
				s.end = s.pos
				s.tt = scanText // "</" at the very end is text
				return s.tt
			}
			c = s.page[s.pos]
			s.pos++
			if c == '>' {
				s.end = s.pos
				s.tt = scanComment
				return s.tt
			}
			if isLetter(c) {
				if !s.readTag(false) {
					return s.fail()
				}
				s.end = s.pos
				s.tt = scanEndTag
				return s.tt
			}
			s.pos--
			s.readUntilCloseAngle()
			s.end = s.pos
			s.tt = scanComment
			return s.tt
		default:
			if c == '!' {
				s.readMarkupDeclaration()
			} else {
				s.pos--
				s.readUntilCloseAngle()
			}
			s.end = s.pos
			s.tt = scanComment
			return s.tt
		}
	}
	s.eof = true
	s.end = s.pos
	if s.start < s.end {
		s.tt = scanText
		return s.tt
	}
	s.tt = scanEOF
	return s.tt
}

// fail ends the scan: a tag cut off by the end of the page is dropped, as
// the Tokenizer does.
func (s *scanner) fail() scanToken {
	s.pos = len(s.page)
	s.eof = true
	s.end = s.pos
	s.tt = scanEOF
	return s.tt
}

// readByte returns the next byte, or ok=false at the end of the page (which
// then stays ended, like the Tokenizer's sticky error).
func (s *scanner) readByte() (byte, bool) {
	if s.pos >= len(s.page) {
		s.eof = true
		return 0, false
	}
	c := s.page[s.pos]
	s.pos++
	return c, true
}

func (s *scanner) skipWhiteSpace() bool {
	for s.pos < len(s.page) {
		if !isWS(s.page[s.pos]) {
			return true
		}
		s.pos++
	}
	s.eof = true
	return false
}

func (s *scanner) readUntilCloseAngle() {
	i := bytes.IndexByte(s.page[s.pos:], '>')
	if i < 0 {
		s.pos = len(s.page)
		s.eof = true
		return
	}
	s.pos += i + 1
}

// readMarkupDeclaration follows "<!": a comment, a doctype or a bogus
// comment. Only where it ends matters here.
func (s *scanner) readMarkupDeclaration() {
	if len(s.page)-s.pos < 2 {
		s.pos = len(s.page)
		s.eof = true
		return
	}
	if s.page[s.pos] == '-' && s.page[s.pos+1] == '-' {
		s.pos += 2
		s.readComment()
		return
	}
	// A doctype and a bogus comment both end at the next '>'.
	s.readUntilCloseAngle()
}

// readComment mirrors Tokenizer.readComment: "-->", "--!>", and "<!-->" or
// "<!--->" right at the start, end a comment.
func (s *scanner) readComment() {
	dashCount := 0
	beginning := true
	for {
		c, ok := s.readByte()
		if !ok {
			return
		}
		switch c {
		case '-':
			dashCount++
			continue
		case '>':
			if dashCount >= 2 || beginning {
				return
			}
		case '!':
			if dashCount >= 2 {
				c, ok = s.readByte()
				if !ok {
					return
				}
				if c == '>' {
					return
				}
				if c == '-' {
					dashCount = 1
					beginning = false
					continue
				}
			}
		default:
			// Any other byte resets the state, and so does every byte up
			// to the next '-' or '>': jump there.
			dashCount = 0
			beginning = false
			j := bytes.IndexAny(s.page[s.pos:], "->")
			if j < 0 {
				s.pos = len(s.page)
				s.eof = true
				return
			}
			s.pos += j
			continue
		}
		dashCount = 0
		beginning = false
	}
}

// readStartTag reads a start tag after "<x" and notes raw-text elements,
// whose content is one text token up to the matching end tag.
func (s *scanner) readStartTag() scanToken {
	nameStart := s.pos - 1
	if !s.readTag(true) {
		return s.fail()
	}
	name := s.page[nameStart:s.tagNameEnd]
	s.rawTag = ""
	if len(name) >= 3 && len(name) <= 9 {
		switch name[0] | 0x20 {
		case 'i':
			s.rawTagIn(name, "iframe")
		case 'n':
			s.rawTagIn(name, "noembed", "noframes", "noscript")
		case 'p':
			s.rawTagIn(name, "plaintext")
		case 's':
			s.rawTagIn(name, "script", "style")
		case 't':
			s.rawTagIn(name, "textarea", "title")
		case 'x':
			s.rawTagIn(name, "xmp")
		}
	}
	if s.page[s.pos-2] == '/' && (s.lastValEnd < 0 || s.pos-2 != s.lastValEnd-1) {
		return scanSelfClosingTag
	}
	return scanStartTag
}

// notRawText undoes the raw-text state a start tag set, as x/net/html's
// Tokenizer.NextIsNotRawText does: the HTML parser calls it in SVG and
// MathML, where <title> and <style> are ordinary elements (an SVG icon's
// "<title/>" would otherwise swallow the rest of the page as its text).
func (s *scanner) notRawText() { s.rawTag = "" }

func (s *scanner) rawTagIn(name []byte, tags ...string) {
	for _, t := range tags {
		if len(name) == len(t) && asciiEqualFoldLower(name, t) {
			s.rawTag = t
			return
		}
	}
}

// asciiEqualFoldLower compares b with an ASCII lower-case string, ignoring
// ASCII case (only ASCII letters fold, as in the Tokenizer).
func asciiEqualFoldLower(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// readTag reads a tag's name and attributes up to and including its '>'.
// It reports false when the page ends inside the tag.
func (s *scanner) readTag(saveAttr bool) bool {
	s.attrs = s.attrs[:0]
	s.lastValEnd = -1
	if s.attrNamesMu != nil {
		clear(s.attrNamesMu)
	}
	// Tag name: up to whitespace (consumed), '/' or '>'.
	i := s.pos
	for i < len(s.page) && !nameEnds[s.page[i]] {
		i++
	}
	if i == len(s.page) {
		s.pos, s.eof = i, true
		return false
	}
	s.tagNameEnd, s.pos = i, i
	if isWS(s.page[i]) {
		s.pos++
	}
	if !s.skipWhiteSpace() {
		return false
	}
	for {
		c, ok := s.readByte()
		if !ok {
			return false
		}
		if c == '>' {
			return true
		}
		s.pos--
		k0, k1, ok := s.readTagAttrKey()
		if !ok {
			return false
		}
		v0, v1, ok := s.readTagAttrVal()
		if !ok {
			return false
		}
		if saveAttr && k0 != k1 && s.newAttrName(k0, k1) {
			s.attrs = append(s.attrs, attrSpan{k0, k1, v0, v1})
			s.lastValEnd = v1
		}
		if !s.skipWhiteSpace() {
			return false
		}
	}
}

// newAttrName reports whether no earlier attribute of the tag has this
// name (ASCII case folded): the Tokenizer keeps the first of duplicates.
func (s *scanner) newAttrName(k0, k1 int) bool {
	key := s.page[k0:k1]
	if len(s.attrs) < 16 {
		for _, a := range s.attrs {
			if bytesEqualFoldASCII(s.page[a.k0:a.k1], key) {
				return false
			}
		}
		return true
	}
	// Many attributes: a set of lower-cased names bounds the work.
	if s.attrNamesMu == nil {
		s.attrNamesMu = make(map[string]struct{})
	}
	if len(s.attrNamesMu) == 0 {
		for _, a := range s.attrs {
			s.attrNamesMu[string(lowerASCII(s.page[a.k0:a.k1]))] = struct{}{}
		}
	}
	lk := string(lowerASCII(key))
	if _, dup := s.attrNamesMu[lk]; dup {
		return false
	}
	s.attrNamesMu[lk] = struct{}{}
	return true
}

func lowerASCII(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

func bytesEqualFoldASCII(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// readTagAttrKey: a name ends at whitespace, '/', '>' or a '=' that is not
// its first character.
func (s *scanner) readTagAttrKey() (k0, k1 int, ok bool) {
	k0 = s.pos
	for i := k0; i < len(s.page); i++ {
		if c := s.page[i]; nameEnds[c] || c == '=' && i > k0 {
			s.pos = i
			return k0, i, true
		}
	}
	s.pos, s.eof = len(s.page), true
	return k0, s.pos, false
}

// nameEnds marks the bytes that end a tag or attribute name: white
// space, '/' and '>' (and '=' for an attribute, but not as its first
// byte). A table look-up per byte instead of a comparison per delimiter.
var nameEnds = [256]bool{' ': true, '\n': true, '\r': true, '\t': true, '\f': true, '/': true, '>': true}

func (s *scanner) readTagAttrVal() (v0, v1 int, ok bool) {
	v0, v1 = s.pos, s.pos
	if !s.skipWhiteSpace() {
		return v0, v1, false
	}
	c, ok := s.readByte()
	if !ok {
		return v0, v1, false
	}
	if c == '/' {
		return v0, v1, true
	}
	if c != '=' {
		s.pos--
		return v0, v1, true
	}
	if !s.skipWhiteSpace() {
		return v0, v1, false
	}
	quote, ok := s.readByte()
	if !ok {
		return v0, v1, false
	}
	switch quote {
	case '>':
		s.pos--
		return v0, v1, true
	case '\'', '"':
		v0 = s.pos
		i := bytes.IndexByte(s.page[s.pos:], quote)
		if i < 0 {
			s.pos = len(s.page)
			s.eof = true
			return v0, s.pos, false
		}
		s.pos += i + 1
		return v0, s.pos - 1, true
	}
	v0 = s.pos - 1
	for {
		c, ok := s.readByte()
		if !ok {
			return v0, s.pos, false
		}
		switch c {
		case ' ', '\n', '\r', '\t', '\f':
			return v0, s.pos - 1, true
		case '>':
			s.pos--
			return v0, s.pos, true
		}
	}
}

// readRawOrRCDATA reads the content of a raw-text element up to its end
// tag ("</title", case folded, then whitespace, '/' or '>').
func (s *scanner) readRawOrRCDATA() {
	if s.rawTag == "script" {
		s.readScript()
		s.textIsRaw = true
		s.rawTag = ""
		return
	}
	for {
		i := bytes.IndexByte(s.page[s.pos:], '<')
		if i < 0 {
			s.pos = len(s.page)
			s.eof = true
			break
		}
		s.pos += i + 1
		c, ok := s.readByte()
		if !ok {
			break
		}
		if c != '/' {
			s.pos--
			continue
		}
		if s.readRawEndTag() || s.eof {
			break
		}
	}
	s.textIsRaw = s.rawTag != "textarea" && s.rawTag != "title"
	s.rawTag = ""
}

// readRawEndTag is called after "</". If the raw tag's name and a
// delimiter follow, it moves back to the '<' and reports true.
func (s *scanner) readRawEndTag() bool {
	for i := 0; i < len(s.rawTag); i++ {
		c, ok := s.readByte()
		if !ok {
			return false
		}
		if c != s.rawTag[i] && c != s.rawTag[i]-('a'-'A') {
			s.pos--
			return false
		}
	}
	c, ok := s.readByte()
	if !ok {
		return false
	}
	switch c {
	case ' ', '\n', '\r', '\t', '\f', '/', '>':
		s.pos -= 3 + len(s.rawTag)
		return true
	}
	s.pos--
	return false
}

// readScript mirrors the Tokenizer's script data states, including the
// "<!--" escaped and "<script>" double-escaped states, which decide where
// a script really ends.
func (s *scanner) readScript() {
	var c byte
	var ok bool

scriptData:
	{
		i := bytes.IndexByte(s.page[s.pos:], '<')
		if i < 0 {
			s.pos = len(s.page)
			s.eof = true
			return
		}
		s.pos += i + 1
	}
	// scriptDataLessThanSign
	if c, ok = s.readByte(); !ok {
		return
	}
	switch c {
	case '/':
		if s.readRawEndTag() || s.eof {
			return
		}
		goto scriptData
	case '!':
		goto scriptDataEscapeStart
	}
	s.pos--
	goto scriptData

scriptDataEscapeStart:
	if c, ok = s.readByte(); !ok {
		return
	}
	if c != '-' {
		s.pos--
		goto scriptData
	}
	if c, ok = s.readByte(); !ok {
		return
	}
	if c != '-' {
		s.pos--
		goto scriptData
	}
	goto scriptDataEscapedDashDash

scriptDataEscaped:
	if c, ok = s.readByte(); !ok {
		return
	}
	switch c {
	case '-':
		goto scriptDataEscapedDash
	case '<':
		goto scriptDataEscapedLessThanSign
	}
	goto scriptDataEscaped

scriptDataEscapedDash:
	if c, ok = s.readByte(); !ok {
		return
	}
	switch c {
	case '-':
		goto scriptDataEscapedDashDash
	case '<':
		goto scriptDataEscapedLessThanSign
	}
	goto scriptDataEscaped

scriptDataEscapedDashDash:
	if c, ok = s.readByte(); !ok {
		return
	}
	switch c {
	case '-':
		goto scriptDataEscapedDashDash
	case '<':
		goto scriptDataEscapedLessThanSign
	case '>':
		goto scriptData
	}
	goto scriptDataEscaped

scriptDataEscapedLessThanSign:
	if c, ok = s.readByte(); !ok {
		return
	}
	if c == '/' {
		if s.readRawEndTag() || s.eof {
			return
		}
		goto scriptDataEscaped
	}
	if isLetter(c) {
		s.pos--
		for i := 0; i < len("script"); i++ {
			if c, ok = s.readByte(); !ok {
				return
			}
			if c != "script"[i] && c != "SCRIPT"[i] {
				s.pos--
				goto scriptDataEscaped
			}
		}
		if c, ok = s.readByte(); !ok {
			return
		}
		switch c {
		case ' ', '\n', '\r', '\t', '\f', '/', '>':
			goto scriptDataDoubleEscaped
		}
		s.pos--
		goto scriptDataEscaped
	}
	s.pos--
	goto scriptData

scriptDataDoubleEscaped:
	if c, ok = s.readByte(); !ok {
		return
	}
	switch c {
	case '-':
		goto scriptDataDoubleEscapedDash
	case '<':
		goto scriptDataDoubleEscapedLessThanSign
	}
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapedDash:
	if c, ok = s.readByte(); !ok {
		return
	}
	switch c {
	case '-':
		goto scriptDataDoubleEscapedDashDash
	case '<':
		goto scriptDataDoubleEscapedLessThanSign
	}
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapedDashDash:
	if c, ok = s.readByte(); !ok {
		return
	}
	switch c {
	case '-':
		goto scriptDataDoubleEscapedDashDash
	case '<':
		goto scriptDataDoubleEscapedLessThanSign
	case '>':
		goto scriptData
	}
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapedLessThanSign:
	if c, ok = s.readByte(); !ok {
		return
	}
	if c != '/' {
		s.pos--
		goto scriptDataDoubleEscaped
	}
	if s.readRawEndTag() {
		s.pos += len("</script>")
		goto scriptDataEscaped
	}
	if s.eof {
		return
	}
	goto scriptDataDoubleEscaped
}

// raw returns the token's source bytes (Tokenizer.Raw).
func (s *scanner) raw() []byte { return s.page[s.start:s.end] }

// text returns a text token's text as Tokenizer.Text does: "\r\n" and "\r"
// become "\n", NUL becomes U+FFFD in raw-text elements, and entities are
// unescaped outside script and style. The result may alias the page or
// scratch space and is valid until the next call.
func (s *scanner) text() []byte {
	t := s.page[s.dataStart:s.end]
	hasCR := s.holds('\r', &s.nextCR, s.dataStart, s.end)
	hasNUL := s.convertNUL && bytes.IndexByte(t, 0) >= 0
	hasAmp := !s.textIsRaw && s.holds('&', &s.nextAmp, s.dataStart, s.end)
	if !hasCR && !hasNUL && !hasAmp {
		return t
	}
	s.scratch = append(s.scratch[:0], t...)
	t = s.scratch
	if hasCR {
		t = convertNewlines(t)
	}
	if hasNUL {
		t = bytes.ReplaceAll(t, []byte{0}, []byte("\uFFFD"))
	}
	if hasAmp {
		u := html.UnescapeString(unsafe.String(unsafe.SliceData(t), len(t)))
		t = unsafe.Slice(unsafe.StringData(u), len(u))
	}
	return t
}

// holds reports whether page[from:to] holds c. *next caches where the
// first c at or after the last search is (len(page) when there is none):
// tokens come in page order, so each byte of the page is searched once,
// not once per token, and a page with no '\r' (most) is searched once.
func (s *scanner) holds(c byte, next *int, from, to int) bool {
	if *next < from {
		*next = len(s.page)
		if i := bytes.IndexByte(s.page[from:], c); i >= 0 {
			*next = from + i
		}
	}
	return *next < to
}

// convertNewlines rewrites "\r\n" and lone "\r" as "\n" in place.
func convertNewlines(s []byte) []byte {
	out := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' {
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			c = '\n'
		}
		s[out] = c
		out++
	}
	return s[:out]
}

// numAttrs is how many (de-duplicated) attributes the start tag has.
func (s *scanner) numAttrs() int { return len(s.attrs) }

// attrKey returns attribute i's name lower-cased (ASCII), valid until the
// next call. A name with NUL bytes goes the slow path like odd values.
func (s *scanner) attrKey(i int) []byte {
	a := s.attrs[i]
	k := s.page[a.k0:a.k1]
	if bytes.IndexByte(k, 0) >= 0 || len(k) > len(s.keyBuf) {
		key, _ := s.slowAttr(i)
		return key
	}
	out := s.keyBuf[:len(k)]
	for j, c := range k {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[j] = c
	}
	return out
}

// attrVal returns attribute i's value as Tokenizer.TagAttr does. Values
// with entities, carriage returns or NULs are rare; they are read by
// x/net/html itself from the tag's bytes, so unescaping in attributes
// (which differs from text) is exactly the Tokenizer's.
func (s *scanner) attrVal(i int) []byte {
	a := s.attrs[i]
	v := s.page[a.v0:a.v1]
	if bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, '\r') < 0 && bytes.IndexByte(v, 0) < 0 {
		return v
	}
	_, val := s.slowAttr(i)
	return val
}

// slowAttr re-reads the current tag with the x/net/html Tokenizer and
// returns its attribute i.
func (s *scanner) slowAttr(i int) (key, val []byte) {
	z := html.NewTokenizer(bytes.NewReader(s.raw()))
	z.Next()
	for j := 0; ; j++ {
		k, v, more := z.TagAttr()
		if j == i {
			return k, v
		}
		if !more {
			return nil, nil
		}
	}
}
