package extract

import (
	"bytes"

	"golang.org/x/net/html"
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
	z := html.NewTokenizer(bytes.NewReader(raw))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Body:
				return ""
			case atom.Meta:
				if !hasAttr {
					continue
				}
				var charset, content string
				httpEquivCT := false
				for more := true; more; {
					var k, v []byte
					k, v, more = z.TagAttr()
					switch string(k) {
					case "charset":
						charset = string(v)
					case "content":
						content = string(v)
					case "http-equiv":
						httpEquivCT = bytes.EqualFold(bytes.TrimSpace(v), []byte("content-type"))
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
