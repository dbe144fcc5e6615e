package extract

import (
	"bytes"

	"golang.org/x/net/html/atom"
)

// metaPrescanBytes is how far into the page <meta charset> is looked for.
// Browsers stop at 1024 bytes; crawled pages often put the tag later (after
// long comments or scripts), and a wrong guess costs more than a few KB.
const metaPrescanBytes = 8 << 10

// metaCharset returns the charset label declared by <meta charset=...> or
// <meta http-equiv="Content-Type" content="...; charset=..."> near the top
// of the page, or "". All encodings it can find are ASCII-compatible, so
// scanning the undecoded bytes is safe.
func metaCharset(raw []byte) string {
	if len(raw) > metaPrescanBytes {
		raw = raw[:metaPrescanBytes]
	}
	if bytes.IndexByte(raw, '<') < 0 {
		return ""
	}
	// The scanner gives the same tokens and attributes as the x/net/html
	// Tokenizer (see scanner.go) at a fraction of the cost.
	var z scanner
	z.reset(raw)
	var nameBuf [16]byte
	for {
		switch z.next() {
		case scanEOF:
			return ""
		case scanStartTag, scanSelfClosingTag:
			a, _, _ := rawTagName(z.raw(), &nameBuf, nil)
			switch a {
			case atom.Body:
				return ""
			case atom.Meta:
				var charset, content string
				httpEquivCT := false
				for i := range z.numAttrs() {
					switch string(z.attrKey(i)) {
					case "charset":
						charset = string(z.attrVal(i))
					case "content":
						content = string(z.attrVal(i))
					case "http-equiv":
						httpEquivCT = bytes.EqualFold(bytes.TrimSpace(z.attrVal(i)), []byte("content-type"))
					}
				}
				if charset != "" {
					return charset
				}
				if httpEquivCT || content != "" {
					if c := charsetParam(content); c != "" {
						return c
					}
				}
			}
		}
	}
}

// xmlEncoding returns the encoding of an XML declaration at the very start
// of the page (<?xml version="1.0" encoding="ISO-8859-1"?>), which XHTML
// pages often carry instead of a <meta> tag, or "".
func xmlEncoding(raw []byte) string {
	raw = bytes.TrimLeft(raw[:min(len(raw), 512)], " \t\r\n")
	if !bytes.HasPrefix(raw, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(raw, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := raw[:end]
	i := indexFold(decl, "encoding")
	if i < 0 {
		return ""
	}
	v := bytes.TrimLeft(decl[i+len("encoding"):], " \t")
	if len(v) == 0 || v[0] != '=' {
		return ""
	}
	v = bytes.TrimLeft(v[1:], " \t")
	if len(v) == 0 || (v[0] != '"' && v[0] != '\'') {
		return ""
	}
	q := v[0]
	v = v[1:]
	if j := bytes.IndexByte(v, q); j >= 0 {
		return string(v[:j])
	}
	return ""
}
