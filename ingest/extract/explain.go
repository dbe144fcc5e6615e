package extract

import (
	"strings"

	"golang.org/x/net/html/atom"
)

// BlockDecision is what the extractor decided about one block of a page,
// with the evidence it weighed: for a user who wants to know why a
// paragraph was kept or dropped (`sieve extract --explain`).
type BlockDecision struct {
	Text        string  `json:"text"`
	Kind        string  `json:"kind"`  // text, heading, item, cell, pre, quote, caption
	Chars       int     `json:"chars"` // weighted characters (a Han character counts 3)
	LinkDensity float64 `json:"link_density"`
	// Hint is the class/id evidence of the nearest named ancestor (final,
	// strong, weak, positive, articleBody or empty) and Name that ancestor's tag, class
	// and id.
	Hint     string `json:"hint,omitempty"`
	Name     string `json:"name,omitempty"`
	InRegion bool   `json:"in_region"` // inside the container chosen as the article's
	Kept     bool   `json:"kept"`
}

// Explain extracts raw as Extract does and returns the decision on every
// block instead of the text. It is slower than Extract (it records names)
// and meant for inspecting single pages.
func Explain(raw []byte, contentType string, opts Options) ([]BlockDecision, error) {
	opts = opts.withDefaults()
	if len(raw) > opts.MaxHTMLBytes {
		raw = raw[:opts.MaxHTMLBytes]
	}
	if looksBinary(raw) {
		return nil, ErrBinary
	}
	page, _, err := DecodeCharset(raw, contentType)
	if err != nil {
		return nil, err
	}
	w := newWalker(opts, len(page))
	defer w.release()
	w.names = make(map[int32]string)
	w.run(page)
	keep, region := keepBlocks(w, opts)
	out := make([]BlockDecision, len(w.blocks))
	for i := range w.blocks {
		b := &w.blocks[i]
		d := BlockDecision{
			Text:        string(w.buf[b.start:b.end]),
			Kind:        b.kind.String(),
			Chars:       b.chars,
			LinkDensity: linkDensity(b),
			InRegion:    region == nil || b.node >= 0 && region[b.node],
			Kept:        keep[i],
		}
		for n := b.node; n >= 0; n = w.nodes[n].parent {
			if h := w.nodes[n].hint; h != 0 {
				d.Hint, d.Name = hintName(h), w.names[n]
				break
			}
		}
		out[i] = d
	}
	return out, nil
}

func (k blockKind) String() string {
	switch k {
	case kindHeading:
		return "heading"
	case kindListItem:
		return "item"
	case kindCell:
		return "cell"
	case kindPre:
		return "pre"
	case kindQuote:
		return "quote"
	case kindCaption:
		return "caption"
	}
	return "text"
}

func hintName(h int8) string {
	switch h {
	case hintComment:
		return "comment"
	case hintFinal:
		return "final"
	case hintStrong:
		return "strong"
	case hintWeak:
		return "weak"
	case 1:
		return "positive"
	case hintArticleBody:
		return "articleBody"
	}
	return ""
}

// namesOf describes the element the scanner is on: tag, id and class, for
// Explain.
func namesOf(z *scanner, a atom.Atom) string {
	var sb strings.Builder
	if a != 0 {
		sb.WriteString(a.String())
	} else {
		sb.WriteString("element")
	}
	for i := range z.numAttrs() {
		switch k := string(z.attrKey(i)); k {
		case "id":
			sb.WriteString("#")
			sb.WriteString(strings.TrimSpace(string(z.attrVal(i))))
		case "class":
			for _, c := range strings.Fields(string(z.attrVal(i))) {
				sb.WriteString(".")
				sb.WriteString(c)
			}
		case "role", "itemprop":
			sb.WriteString("[" + k + "=" + string(z.attrVal(i)) + "]")
		}
	}
	return sb.String()
}
