package testdata

import (
	"io"
	"strings"

	"golang.org/x/net/html"
)

// VisibleText returns the text of an HTML document or fragment (the
// readability pages' expected.html), script and style left out, white
// space collapsed to single spaces: real prose for tests of the stages
// after extraction.
func VisibleText(r io.Reader) string {
	var b strings.Builder
	z := html.NewTokenizer(r)
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.StartTagToken:
			if n, _ := z.TagName(); string(n) == "script" || string(n) == "style" {
				skip++
			}
			b.WriteByte(' ')
		case html.EndTagToken:
			if n, _ := z.TagName(); (string(n) == "script" || string(n) == "style") && skip > 0 {
				skip--
			}
			b.WriteByte(' ')
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		}
	}
}
