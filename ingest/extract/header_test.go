package extract

import (
	"strings"
	"testing"
)

// Webflow's blog template (commoncrawl.org's newsletter pages in the
// shipped dolma sample) puts the whole article inside <header> elements: the
// article must survive while the banner header with its menu goes.
func TestArticleInsideHeader(t *testing.T) {
	page := `<html><head><title>Blog</title></head><body>
<header class="site"><a href="/">Home</a> <a href="/data">The Data</a> <a href="/blog">Blog</a> <a href="/faq">FAQ</a></header>
<header class="uui-section_blogpost06"><header class="uui-blogpost06_content-wrapper"><div class="main"><div class="uui-text-rich-text w-richtext">
<h2>Web Graphs</h2>
<p>We have released the host- and domain-level web graphs for the last three crawls. These can both be used to programmatically retrieve information from our archives.</p>
<p>Down responses have been reduced dramatically, meaning egress of our data is now happening much faster than before, and with far fewer retries for our users.</p>
<p>We are proud to have collaborated with a broad range of organisations on open datasets, research papers and tooling this year.</p>
</div></div></header></header>
<footer><a href="/terms">Terms</a></footer></body></html>`
	res, err := Extract([]byte(page), "text/html; charset=utf-8", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"These can both be used to programmatically", "Down responses have been reduced dramatically", "broad range of organisations"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("article text %q missing from %q", want, res.Text)
		}
	}
	if strings.Contains(res.Text, "The Data") || strings.Contains(res.Text, "Terms") {
		t.Errorf("menu or footer kept: %q", res.Text)
	}
}
