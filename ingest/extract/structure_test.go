package extract

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// structurePage has every kind of structure the text keeps: headings,
// paragraphs, <br> and <br><br>, nested and ordered lists, a data table
// with a header row, a layout table holding paragraphs, code and a quote.
const structurePage = `<html><body><article>
<h1>The main heading</h1>
<p>A first paragraph of the article, long enough to be prose, with a comma, and more words after it.</p>
<p>A line ends here<br>and the next line follows it in the same paragraph of text.<br><br>After two breaks, a new paragraph starts, as browsers show it to a reader.</p>
<h2>A list</h2>
<ul><li>first item of the list<ul><li>a nested item</li><li>another nested item</li></ul></li><li>second item of the list</li></ul>
<ol><li>step one</li><li>step two</li></ol>
<h3>A table</h3>
<table><tr><th>Name</th><th>Value</th></tr><tr><td>alpha</td><td>1</td></tr><tr><td>beta | pipe</td><td>2</td></tr></table>
<table><tr><td><p>A layout table cell with a long paragraph of prose in it, as older sites lay out whole articles.</p><p>A second paragraph in the same cell, which must stay a paragraph of its own.</p></td></tr></table>
<pre>func main() {
	fmt.Println("hi")
}</pre>
<blockquote><p>A quoted sentence that is long enough, with commas, to be kept in the text.</p><p>A second paragraph of the same quotation, long enough to be kept as well.</p></blockquote>
</article></body></html>`

func TestPlainTextStructure(t *testing.T) {
	res, err := Extract([]byte(structurePage), "", Options{KeepBoilerplate: true})
	if err != nil {
		t.Fatal(err)
	}
	want := `The main heading

A first paragraph of the article, long enough to be prose, with a comma, and more words after it.

A line ends here
and the next line follows it in the same paragraph of text.

After two breaks, a new paragraph starts, as browsers show it to a reader.

A list

first item of the list
a nested item
another nested item
second item of the list

step one
step two

A table

Name | Value
alpha | 1
beta | pipe | 2

A layout table cell with a long paragraph of prose in it, as older sites lay out whole articles.

A second paragraph in the same cell, which must stay a paragraph of its own.

func main() {
	fmt.Println("hi")
}

A quoted sentence that is long enough, with commas, to be kept in the text.

A second paragraph of the same quotation, long enough to be kept as well.`
	if res.Text != want {
		t.Errorf("plain text:\n%s\n\nwant:\n%s", res.Text, want)
	}
}

func TestMarkdownStructure(t *testing.T) {
	res, err := Extract([]byte(structurePage), "", Options{KeepBoilerplate: true, Format: FormatMarkdown})
	if err != nil {
		t.Fatal(err)
	}
	want := "# The main heading\n\n" +
		"A first paragraph of the article, long enough to be prose, with a comma, and more words after it.\n\n" +
		"A line ends here\nand the next line follows it in the same paragraph of text.\n\n" +
		"After two breaks, a new paragraph starts, as browsers show it to a reader.\n\n" +
		"## A list\n\n" +
		"- first item of the list\n  - a nested item\n  - another nested item\n- second item of the list\n\n" +
		"1. step one\n1. step two\n\n" +
		"### A table\n\n" +
		"| Name | Value |\n| --- | --- |\n| alpha | 1 |\n| beta \\| pipe | 2 |\n\n" +
		"A layout table cell with a long paragraph of prose in it, as older sites lay out whole articles.\n\n" +
		"A second paragraph in the same cell, which must stay a paragraph of its own.\n\n" +
		"```\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n```\n\n" +
		"> A quoted sentence that is long enough, with commas, to be kept in the text.\n>\n" +
		"> A second paragraph of the same quotation, long enough to be kept as well."
	if res.Text != want {
		t.Errorf("markdown:\n%s\n\nwant:\n%s", res.Text, want)
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"": FormatText, "text": FormatText, "markdown": FormatMarkdown, "md": FormatMarkdown} {
		if got, ok := ParseFormat(in); !ok || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v", in, got, ok)
		}
	}
	var f Format
	if err := f.UnmarshalText([]byte("html")); err == nil || !strings.Contains(err.Error(), "html") {
		t.Errorf("unknown format: err = %v", err)
	}
}

// TestStepConfigYAML: the step's configuration is Options read with its
// yaml names, the format included.
func TestStepConfigYAML(t *testing.T) {
	var cfg StepConfig
	dec := yaml.NewDecoder(strings.NewReader("format: markdown\nshort_block_chars: 30\nmin_text_share: 0.2\n"))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Format != FormatMarkdown || cfg.ShortBlockChars != 30 || cfg.MinTextShare != 0.2 {
		t.Errorf("decoded %+v", cfg)
	}
	dec = yaml.NewDecoder(strings.NewReader("format: html\n"))
	if err := dec.Decode(&cfg); err == nil {
		t.Error("format: html was accepted")
	}
}
