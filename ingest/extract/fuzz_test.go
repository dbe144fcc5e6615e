package extract

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sieve-data/sieve/internal/testdata"
)

// FuzzExtract checks that no input makes Extract panic, hang or return
// invalid UTF-8, and that the text keeps its block format.
func FuzzExtract(f *testing.F) {
	// Small seeds keep the fuzzer fast (it minimises every new input):
	// whole small pages, and the first 4 KB of a Chinese and a Japanese one.
	for _, name := range []string{"svg-parsing", "hidden-nodes", "replace-brs", "qq", "hukumusume"} {
		if b, err := os.ReadFile(filepath.Join(testdata.Shared(f, "html"), name, "source.html")); err == nil {
			f.Add(b[:min(len(b), 4096)], "")
		}
	}
	f.Add([]byte(strings.Repeat("<div><p><li><table><td>", 300)+"text"), "text/html; charset=utf-8")
	f.Add([]byte("<title>t</title><svg><title>s</title></svg><pre>a\n\n\nb</pre><br><br>x"), "text/html; charset=gb2312")
	f.Add([]byte("\x00\x01\x02\xff\xfe<\x80>\xc3("), "")
	f.Add([]byte("\xff\xfe<\x00p\x00>\x00"), "text/html; charset=utf-16")
	f.Add([]byte(`<meta charset="shift_jis"><p>`+"\x82\xb1\x82\xf1"), "")
	opts := DefaultOptions()
	opts.MaxNodes = 20000
	f.Fuzz(func(t *testing.T, raw []byte, contentType string) {
		res, err := Extract(raw, contentType, opts)
		if errors.Is(err, ErrBinary) {
			return
		}
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		if !utf8.ValidString(res.Text) || !utf8.ValidString(res.Title) {
			t.Fatalf("invalid UTF-8: %q / %q", res.Title, res.Text)
		}
		if strings.Contains(res.Text, "\n\n\n") {
			t.Fatalf("more than one blank line between blocks: %q", res.Text)
		}
		if res.Text != strings.TrimSpace(res.Text) && !strings.HasPrefix(res.Text, " ") {
			t.Fatalf("text not trimmed: %q", res.Text)
		}
		if strings.ContainsAny(res.Title, "\n\t") {
			t.Fatalf("title not collapsed: %q", res.Title)
		}
		if _, _, err := DecodeCharset(raw, contentType); err != nil {
			t.Fatalf("DecodeCharset: %v", err)
		}
		if res.TextShare < 0 || res.TextShare > 1 || res.LinkDensity < 0 || res.LinkDensity > 1 || (res.Blocks == 0) != (res.Text == "") {
			t.Fatalf("signals: share %v, link density %v, %d blocks for %d bytes of text", res.TextShare, res.LinkDensity, res.Blocks, len(res.Text))
		}
		md := opts
		md.Format = FormatMarkdown
		mres, err := Extract(raw, contentType, md)
		if err != nil || !utf8.ValidString(mres.Text) || (mres.Text == "") != (res.Text == "") {
			t.Fatalf("markdown: %v, %q (text %q)", err, mres.Text, res.Text)
		}
		decisions, err := Explain(raw, contentType, opts)
		if err != nil {
			t.Fatalf("Explain: %v", err)
		}
		kept := 0
		for _, d := range decisions {
			if d.Kept {
				kept++
			}
		}
		if kept != res.Blocks {
			t.Fatalf("Explain kept %d blocks, Extract %d", kept, res.Blocks)
		}
	})
}
