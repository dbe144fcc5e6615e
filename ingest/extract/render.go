package extract

import (
	"bytes"
	"fmt"
	"strings"
)

// Format is how the kept blocks are written out.
type Format uint8

const (
	// FormatText is plain text: paragraphs (and headings, quotes, code)
	// separated by a blank line, the items of one list on consecutive
	// lines, a data table's rows on their own lines with their cells
	// separated by " | ". No markup: the text is what a reader sees.
	FormatText Format = iota
	// FormatMarkdown is the same text with CommonMark structure, as
	// trafilatura's and resiliparse's Markdown outputs offer: "#"
	// headings, "-" and "1." list items (indented by nesting), "|"
	// tables with a header separator, fenced code blocks, "> " quotes.
	FormatMarkdown
)

// ParseFormat reads a format name as pipeline definitions spell it.
func ParseFormat(s string) (Format, bool) {
	switch s {
	case "", "text", "txt", "plain":
		return FormatText, true
	case "markdown", "md":
		return FormatMarkdown, true
	}
	return FormatText, false
}

// UnmarshalText reads a format from a pipeline definition.
func (f *Format) UnmarshalText(b []byte) error {
	v, ok := ParseFormat(string(b))
	if !ok {
		return fmt.Errorf("extract: unknown format %q (want text or markdown)", b)
	}
	*f = v
	return nil
}

// MarshalText writes the format's name.
func (f Format) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

func (f Format) String() string {
	if f == FormatMarkdown {
		return "markdown"
	}
	return "text"
}

// renderer joins the kept blocks of a walked page.
type renderer struct {
	w          *walker
	kept       []int // indexes of kept blocks, in page order
	md         bool
	sb         strings.Builder
	dataTables map[int32]bool // table node -> laid out as a table
	rows       int            // rows of the current Markdown table written so far
	cells      int            // cells of its current row
}

// render writes the kept blocks of w in the given format.
func render(w *walker, keep []bool, format Format) string {
	r := renderer{w: w, md: format == FormatMarkdown}
	size := 0
	tables := false
	for i, k := range keep {
		if k {
			b := &w.blocks[i]
			r.kept = append(r.kept, i)
			size += b.end - b.start + 4
			tables = tables || b.ctx.table >= 0
		}
	}
	if tables {
		r.findDataTables()
	}
	r.sb.Grow(size + size/8)
	for k, i := range r.kept {
		b := &w.blocks[i]
		var prev *block
		if k > 0 {
			prev = &w.blocks[r.kept[k-1]]
		}
		r.separate(prev, b)
		r.block(prev, b)
	}
	if n := len(r.kept); n > 0 && r.md && r.isData(&w.blocks[r.kept[n-1]]) {
		r.endRow()
	}
	return r.sb.String()
}

// findDataTables tells data tables from layout tables. A table is laid out
// as rows and cells when each of its kept cells holds one block, none of
// paragraph length (layoutCellChars), and at least one row has two kept
// cells; a page
// laid out in a table (older sites put the whole article in a <td>) keeps
// its paragraphs.
func (r *renderer) findDataTables() {
	r.dataTables = make(map[int32]bool)
	multi := make(map[int32]bool) // table -> some row has 2+ cells
	for k, i := range r.kept {
		b := &r.w.blocks[i]
		t := b.ctx.table
		if t < 0 {
			continue
		}
		if _, seen := r.dataTables[t]; !seen {
			r.dataTables[t] = true
		}
		if b.ctx.cell < 0 || b.kind == kindPre || b.chars >= layoutCellChars {
			r.dataTables[t] = false // paragraphs laid out in a table
			continue
		}
		if k > 0 {
			p := &r.w.blocks[r.kept[k-1]]
			if p.ctx.cell == b.ctx.cell {
				r.dataTables[t] = false // two blocks in one cell
			} else if p.ctx.table == t && p.ctx.row == b.ctx.row {
				multi[t] = true
			}
		}
	}
	for t, ok := range r.dataTables {
		if ok && !multi[t] {
			r.dataTables[t] = false
		}
	}
}

func (r *renderer) isData(b *block) bool {
	return b.ctx.table >= 0 && r.dataTables[b.ctx.table]
}

// separate writes what goes between prev (nil for the first) and b.
func (r *renderer) separate(prev, b *block) {
	inTable := r.isData(b)
	if prev == nil {
		if inTable && r.md {
			r.startTable()
		}
		return
	}
	prevTable := r.isData(prev)
	sameTable := inTable && prevTable && prev.ctx.table == b.ctx.table
	switch {
	case sameTable && prev.ctx.row == b.ctx.row:
		r.sb.WriteString(" | ")
		r.cells++
		return
	case sameTable:
		if r.md {
			r.endRow()
			r.sb.WriteString("\n| ")
			r.cells = 1
		} else {
			r.sb.WriteByte('\n')
		}
		return
	}
	if prevTable && r.md {
		r.endRow()
	}
	switch {
	case prev.ctx.listTop >= 0 && prev.ctx.listTop == b.ctx.listTop && !prevTable && !inTable:
		r.sb.WriteByte('\n')
	case r.md && prev.ctx.quote > 0 && b.ctx.quote > 0 && !prevTable && !inTable:
		// One quotation: its paragraphs are separated by a quoted blank
		// line, not split into two quotes.
		r.sb.WriteByte('\n')
		r.sb.WriteString(strings.TrimSpace(strings.Repeat("> ", int(min(prev.ctx.quote, b.ctx.quote)))))
		r.sb.WriteByte('\n')
	default:
		r.sb.WriteString("\n\n")
	}
	if inTable && r.md {
		r.startTable()
	}
}

func (r *renderer) startTable() {
	r.sb.WriteString("| ")
	r.rows, r.cells = 0, 1
}

// endRow closes a Markdown table row and writes the header separator after
// a table's first row (Markdown tables need one).
func (r *renderer) endRow() {
	r.sb.WriteString(" |")
	if r.rows == 0 {
		r.sb.WriteString("\n|")
		for range r.cells {
			r.sb.WriteString(" --- |")
		}
	}
	r.rows++
}

// block writes one block's text with its Markdown markup (prev is the kept
// block before it, or nil).
func (r *renderer) block(prev, b *block) {
	text := r.w.buf[b.start:b.end]
	if r.isData(b) {
		// A cell stays on its row's line.
		writeReplacing(&r.sb, text, r.md)
		return
	}
	if !r.md {
		r.sb.Write(text)
		return
	}
	prefix := ""
	if b.ctx.quote > 0 {
		prefix = strings.Repeat("> ", int(b.ctx.quote))
	}
	switch {
	case b.kind == kindPre:
		r.sb.WriteString(prefix)
		r.sb.WriteString("```\n")
		writeLines(&r.sb, text, prefix, prefix)
		r.sb.WriteByte('\n')
		r.sb.WriteString(prefix)
		r.sb.WriteString("```")
	case b.kind == kindHeading:
		r.sb.WriteString(prefix)
		r.sb.WriteString("######"[:max(1, min(int(b.level), 6))])
		r.sb.WriteByte(' ')
		writeReplacing(&r.sb, text, false)
	case b.ctx.item >= 0 && b.ctx.listDepth > 0:
		indent := strings.Repeat("  ", int(b.ctx.listDepth)-1)
		if prev == nil || prev.ctx.item != b.ctx.item {
			marker := "- "
			if b.ctx.ordered {
				marker = "1. "
			}
			writeLines(&r.sb, text, prefix+indent+marker, prefix+indent+"  ")
		} else {
			writeLines(&r.sb, text, prefix+indent+"  ", prefix+indent+"  ")
		}
	default:
		writeLines(&r.sb, text, prefix, prefix)
	}
}

// writeLines writes text with first before its first line and rest before
// every later one.
func writeLines(sb *strings.Builder, text []byte, first, rest string) {
	sb.WriteString(first)
	for {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			sb.Write(text)
			return
		}
		sb.Write(text[:i+1])
		text = text[i+1:]
		sb.WriteString(rest)
	}
}

// writeReplacing writes text on one line: line breaks become spaces, and in
// Markdown a "|" is escaped so it does not split the cell.
func writeReplacing(sb *strings.Builder, text []byte, escapePipe bool) {
	for _, c := range text {
		switch {
		case c == '\n':
			sb.WriteByte(' ')
		case c == '|' && escapePipe:
			sb.WriteString(`\|`)
		default:
			sb.WriteByte(c)
		}
	}
}
