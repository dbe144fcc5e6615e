package extract

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"strings"
)

// ErrBinary is returned for payloads that are not text at all (an image or
// a compressed file served as text/html): extracting "text" from them would
// only feed noise downstream.
var ErrBinary = errors.New("extract: payload is binary, not HTML")

// Result is what Extract found in one page.
type Result struct {
	// Title is the first <title> outside <svg>, whitespace collapsed.
	Title string
	// Text is the main text in Options.Format: paragraphs separated by
	// "\n\n", the lines of a block (from <br> or <pre>), the items of a
	// list and the rows of a table by "\n" (see render.go).
	Text string
	// Charset is the WHATWG name of the charset the page was decoded from.
	Charset string
	// Truncated is set when a bound (MaxHTMLBytes, MaxNodes, MaxDepth) cut
	// the page: the text may be incomplete.
	Truncated bool
	// Blocks is the number of blocks kept; TextShare the share of the
	// page's visible text (weighted characters) they hold; LinkDensity the
	// share of their text inside links. They describe how the page was cut.
	Blocks      int
	TextShare   float64
	LinkDensity float64
}

// Extract decodes raw (an HTML payload with its HTTP Content-Type, which may
// be empty) and returns its title and main text. It does not fail on bad
// HTML; an error means the charset decoder failed.
func Extract(raw []byte, contentType string, opts Options) (Result, error) {
	opts = opts.withDefaults()
	var res Result
	if len(raw) > opts.MaxHTMLBytes {
		raw = raw[:opts.MaxHTMLBytes]
		res.Truncated = true
	}
	if looksBinary(raw) {
		return res, ErrBinary
	}
	page, charset, err := DecodeCharset(raw, contentType)
	if err != nil {
		return Result{Charset: charset, Truncated: res.Truncated}, err
	}
	res.Charset = charset
	w := newWalker(opts, len(page))
	w.run(page)
	res.Truncated = res.Truncated || w.truncated || w.depthCut
	res.Title = collapseSpace(string(w.title))
	keep, _ := keepBlocks(w, opts)
	res.Text = render(w, keep, opts.Format)
	if w.unstable {
		// Text made only of stable code points (and the ASCII render
		// adds) is NFC as it is: nfc would scan it to return it as is.
		res.Text = nfc(res.Text)
	}
	res.Title = nfc(res.Title)
	var all, kept, links int
	for i := range w.blocks {
		b := &w.blocks[i]
		all += b.chars
		if keep[i] {
			res.Blocks++
			kept += b.chars
			links += b.links
		}
	}
	if all > 0 {
		res.TextShare = float64(kept) / float64(all)
	}
	if kept > 0 {
		res.LinkDensity = float64(links) / float64(kept)
	}
	w.release()
	return res, nil
}

// collapseSpace trims s and turns every run of whitespace into one space.
func collapseSpace(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		if isSpace(r) {
			space = sb.Len() > 0
			continue
		}
		if r == 0 {
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// looksBinary reports a payload whose first 4 KiB hold many control bytes
// (NUL and the C0 codes text never uses). UTF-16 pages, which have NULs in
// every other byte, are recognised by their BOM first.
func looksBinary(raw []byte) bool {
	if _, _, ok := bomEncoding(raw); ok {
		return false
	}
	head := raw[:min(len(raw), 4096)]
	if len(head) == 0 {
		return false
	}
	ctrl := 0
	for i := 0; i < len(head); i++ {
		if i+8 <= len(head) {
			// A word of 8 bytes none of which is below 0x20 is skipped
			// at once: (x-0x20..)&^x has a high bit set in some byte
			// exactly when some byte of x is below 0x20, and its lowest
			// one is the first such byte (a borrow only goes up), so
			// the bytes before it are skipped too.
			x := binary.LittleEndian.Uint64(head[i:])
			y := (x - 0x2020202020202020) &^ x & highBits
			if y == 0 {
				i += 7
				continue
			}
			i += bits.TrailingZeros64(y) >> 3
		}
		if c := head[i]; c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b {
			ctrl++
		}
	}
	return ctrl*20 > len(head) // more than 5%
}
