package extract

import (
	"strings"
	"testing"
)

// Handwritten pages for each kind of extraction failure seen on real news
// and blog pages: the article body must come through whatever its
// container is called, and the chrome around it must not.

// articleParas is the body of the test article: six paragraphs of prose.
var articleParas = []string{
	"The city council approved the new budget on Tuesday evening after a long debate about the cost of public transport, schools and the repair of the old bridge over the river.",
	"Members of the opposition argued that the plan spends too little on housing, while the mayor said the budget was the most balanced the city had seen in a decade.",
	"The final vote was seven to four, with two members absent from the meeting. Several residents who attended the session applauded when the result was read out.",
	"Work on the bridge is expected to start in the spring and to last about eighteen months, during which a temporary ferry will carry pedestrians across the river.",
	"The budget also sets aside money for two new kindergartens in the northern districts, where the number of young families has grown quickly over the last five years.",
	"Next year the council wants to review the parking fees in the old town, which have not changed since 2009 and no longer cover the cost of the garages.",
}

// newsPage wraps body (the article's own markup) in a typical news page:
// masthead and menu, headline, byline, share bar, related teasers,
// comments, a newsletter box and a footer written as <div>s.
func newsPage(body string) string {
	return `<!DOCTYPE html><html><head><title>Council approves new budget | Example Times</title></head><body>
<div class="site-header"><a href="/">Example Times</a>
<ul class="menu"><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/culture">Culture</a></li></ul></div>
<div class="container"><div class="content-area">
<h1 class="entry-title">Council approves new budget</h1>
<div class="byline">By Jane Doe, Local Affairs Reporter</div>
<div class="post-date">March 3, 2021, 18:04</div>
` + body + `
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
<div class="related-posts"><h3>Don't miss</h3>
<div class="teaser"><h4><a href="/a">Mayor opens the new library in the old town hall after years of delays</a></h4><p>The building, empty since 1998, now holds forty thousand books and a café for readers.</p></div>
<div class="teaser"><h4><a href="/b">Local team wins the regional cup for the first time in twenty years</a></h4><p>Fans celebrated in the streets until late at night after the final whistle was blown.</p></div>
</div>
<div id="comments" class="comments-area"><h3>2 comments</h3>
<div class="comment-body"><p>Finally some money for the bridge, I have been waiting for this for years and I am glad the council listened to us.</p></div>
<div class="comment-body"><p>Housing should have come first, the rents in this city are too high for young families and nothing is being done.</p></div>
</div>
<div class="newsletter-signup"><p>Sign up for our morning newsletter and get the day's most important stories in your inbox.</p></div>
</div>
<div class="sidebar"><h3>Trending</h3><ul><li><a href="/t1">Ten things to do this weekend in the city</a></li><li><a href="/t2">Weather: snow expected on Friday</a></li></ul></div>
</div>
<div class="site-footer"><p>About us: Example Times is the independent daily newspaper of Example City since 1901, read every morning by thousands of people in the region.</p>
<p>Customer service: call 555-0100 from Monday to Friday between 8 am and 6 pm, or write to help@example.org for subscriptions.</p>
<p>© 2021 Example Times. All rights reserved.</p></div>
</body></html>`
}

func paras(tag string) string {
	var sb strings.Builder
	for _, p := range articleParas {
		sb.WriteString("<" + tag + ">" + p + "</" + tag + ">\n")
	}
	return sb.String()
}

// boilerplateLines must not be in any extraction of a newsPage.
var boilerplateLines = []string{
	"Council approves new budget", "Jane Doe", "March 3, 2021", "Share on", "Don't miss",
	"Mayor opens the new library", "forty thousand books", "comments", "Finally some money",
	"Housing should have come first", "Sign up", "Trending", "About us", "Customer service", "All rights reserved",
}

func checkArticle(t *testing.T, name, page string) {
	t.Helper()
	res, err := Extract([]byte(page), "", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range articleParas {
		if !strings.Contains(res.Text, p) {
			t.Errorf("%s: article paragraph lost: %q\n--- text:\n%s", name, p[:40], res.Text)
		}
	}
	for _, b := range boilerplateLines {
		if strings.Contains(res.Text, b) {
			t.Errorf("%s: boilerplate kept: %q\n--- text:\n%s", name, b, res.Text)
		}
	}
}

// TestArticleWhateverItsContainerIsCalled: a class word in the article's
// own container is weak evidence next to four paragraphs of prose.
func TestArticleWhateverItsContainerIsCalled(t *testing.T) {
	for name, body := range map[string]string{
		"plain":  `<div class="article-body">` + paras("p") + `</div>`,
		"drupal": `<div class="field field-name-body field-type-text-with-summary field-label-hidden"><div class="field-items"><div class="field-item even">` + paras("p") + `</div></div></div>`,
		"elementor": `<div class="elementor-widget-container"><p>` + articleParas[0] + `</p><p>` + articleParas[1] + `</p></div>` +
			`<div class="elementor-widget-container"><p>` + articleParas[2] + `</p><p>` + articleParas[3] + `</p></div>` +
			`<div class="elementor-widget-container"><p>` + articleParas[4] + `</p><p>` + articleParas[5] + `</p></div>`,
		"pagination-first":       `<div class="pagination-first">` + paras("p") + `</div>`,
		"widget":                 `<div class="widget text-widget">` + paras("p") + `</div>`,
		"hidden-xs":              `<div class="col-md-8 hidden-xs">` + paras("p") + `</div>`,
		"wordpress-post-classes": `<div class="post type-post status-publish hentry category-popular tag-budget">` + paras("p") + `</div>`,
		"layout-sidebar-main":    `<div class="lay-sidebar"><div class="sidebar__main">` + paras("p") + `</div></div>`,
		"br-separated":           `<div class="story">` + strings.Join(articleParas, "<br><br>\n") + `</div>`,
		"no-class":               `<div>` + paras("p") + `</div>`,
		// A dateline inside the article's own container, with no class.
		"dateline-inside": `<div class="article-body"><div>March 3, 2021, 18:04</div>` + paras("p") + `</div>`,
		// Login dialogs written as <article>s: the name, not the tag, decides.
		"modal-articles": `<div class="article-body">` + paras("p") + `</div>` +
			`<article class="login-modal dark-modal"><p>Sign up for a free account to save articles and follow the authors you like best, on every device you use.</p></article>`,
	} {
		checkArticle(t, name, newsPage(body))
	}
}

// TestShortLastLineStays: a short closing line in the article's container
// ("<br>"-separated or its own paragraph) is part of the article.
func TestShortLastLineStays(t *testing.T) {
	page := newsPage(`<div class="article-body">` + paras("p") + `The next session is in April.<br><br>Jane Doe reported.</div>`)
	res, err := Extract([]byte(page), "", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Text, "The next session is in April.") {
		t.Errorf("short last line lost:\n%s", res.Text)
	}
}

// TestNoMainText: pages without prose (a table of contents, a link list, a
// menu) give no text rather than their links.
func TestNoMainText(t *testing.T) {
	var toc strings.Builder
	toc.WriteString(`<html><head><title>Contents</title></head><body><h1>Contents</h1><ul class="toc">`)
	for i := range 40 {
		toc.WriteString(`<li><a href="/c` + string(rune('a'+i%26)) + `">Chapter ` + string(rune('A'+i%26)) + `: a title of a chapter of the book</a></li>`)
	}
	toc.WriteString(`</ul></body></html>`)
	links := `<html><body><div id="links">` + strings.Repeat(`<p><a href="/x">Link to another page of this site</a> | <a href="/y">and one more link</a></p>`, 30) + `</div></body></html>`
	for name, page := range map[string]string{"toc": toc.String(), "link list": links} {
		res, err := Extract([]byte(page), "", DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(res.Text, "title of a chapter") || strings.Contains(res.Text, "Link to another") {
			t.Errorf("%s: links kept as text:\n%s", name, res.Text)
		}
	}
}

// TestSVGTitleDoesNotSwallowThePage: an icon's self-closed <title/> inside
// <svg> is empty; it once turned the rest of the page into title text.
func TestSVGTitleDoesNotSwallowThePage(t *testing.T) {
	checkArticle(t, "svg-title", newsPage(`<a href="/"><svg viewBox="0 0 10 10"><title/><path d="M0 0"/></svg></a><div class="article-body">`+paras("p")+`</div>`))
}

// TestPageWideForm: ASP.NET wraps the whole page in a <form>.
func TestPageWideForm(t *testing.T) {
	page := strings.Replace(newsPage(`<div class="article-text">`+paras("p")+`</div>`), `<div class="container">`, `<div id="wrapper"><form name="aspnetForm" method="post"><div class="container">`, 1)
	page = strings.Replace(page, `<div class="site-footer">`, `</form></div><div class="site-footer">`, 1)
	checkArticle(t, "aspnet-form", page)
}

// TestExplain: the decisions Explain reports are the ones Extract acts
// on, with the names that weighed on them.
func TestExplain(t *testing.T) {
	page := newsPage(`<div class="article-body">` + paras("p") + `</div>`)
	decisions, err := Explain([]byte(page), "", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	res, err := Extract([]byte(page), "", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	seen := map[string]BlockDecision{}
	for _, d := range decisions {
		if d.Kept {
			kept = append(kept, d.Text)
		}
		seen[d.Text] = d
	}
	if got := strings.Join(kept, "\n\n"); got != res.Text {
		t.Errorf("kept blocks:\n%s\n\nExtract:\n%s", got, res.Text)
	}
	c := seen["Finally some money for the bridge, I have been waiting for this for years and I am glad the council listened to us."]
	if c.Kept || c.Hint != "comment" || c.Name != "div.comment-body" {
		t.Errorf("comment: %+v", c)
	}
	a := seen[articleParas[0]]
	if !a.Kept || !a.InRegion || a.Hint != "positive" || a.Name != "div.article-body" || a.Kind != "text" {
		t.Errorf("article paragraph: %+v", a)
	}
	if h := seen["Council approves new budget"]; h.Kept || h.Kind != "heading" {
		t.Errorf("headline: %+v", h)
	}
}

// TestHeadlineNotSiteName: the headline dropped is the heading repeating
// most of the title, not a site-name heading that repeats its suffix.
func TestHeadlineNotSiteName(t *testing.T) {
	page := `<html><head><title>Council approves new budget - Example Times</title></head><body>
<header><h1>Example Times</h1></header><article><h1>Council approves new budget</h1>` + paras("p") + `</article></body></html>`
	res, err := Extract([]byte(page), "", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(res.Text, "Council approves") || !strings.HasPrefix(res.Text, articleParas[0]) {
		t.Errorf("text:\n%s", res.Text)
	}
}

// TestMarkupQuirks: pages a browser shows fine that once came out empty or
// garbled: an unclosed <head> with no <body> tag, the post body only in
// <noscript> (Blogger), soft hyphens, text not in NFC.
func TestMarkupQuirks(t *testing.T) {
	body := paras("p")
	for name, c := range map[string]struct{ page, want string }{
		"unclosed head": {`<html><head><title>x</title><meta charset="utf-8">` + body + `</html>`, articleParas[0]},
		"text in head":  {`<html><head><title>x</title>` + strings.Join(articleParas, "\n\n"), articleParas[2]},
		"blogger noscript": {`<html><body><div class="post-body" itemprop="articleBody"><script type="text/template">` + body +
			`</script><noscript>` + body + `</noscript></div></body></html>`, articleParas[1]},
		"soft hyphens":          {`<html><body><article>` + strings.ReplaceAll(body, "budget", "bud&shy;get") + `</article></body></html>`, articleParas[0]},
		"sentences in headings": {`<html><body><article>` + paras("h3") + `</article></body></html>`, articleParas[3]},
		"anchors without href":  {`<html><body><article><a name="p1">` + strings.Join(articleParas[:3], "</a> <a name=\"p\">") + `</a></article></body></html>`, articleParas[1]},
		"script links":          {`<html><body><article><p><a href="javascript:void(0)">` + articleParas[0] + `</a></p>` + paras("p") + `</article></body></html>`, articleParas[0]},
		"layout table":          {`<html><body><table><tr><td><a href="/">Home</a><br><a href="/a">About</a></td><td>` + strings.Join(articleParas[:2], " ") + `</td></tr><tr><td></td><td>` + strings.Join(articleParas[2:4], " ") + `</td></tr></table></body></html>`, articleParas[0]},
		"nfc":                   {`<html><body><article><p>` + strings.Repeat("Cafe\u0301 and the village were quiet that winter, as every year. ", 3) + `</p>` + body + `</article></body></html>`, "Caf\u00e9 and the village"},
	} {
		res, err := Extract([]byte(c.page), "", DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(res.Text, c.want) {
			t.Errorf("%s: %q missing from:\n%s", name, c.want, res.Text)
		}
	}
	// Escaped markup inside <noscript> (an ad's tags saved as text) is not
	// text.
	res, _ := Extract([]byte(`<html><body><article>`+body+`<noscript>&lt;div&gt;&lt;a href="http://ads.example/x"&gt;&lt;img src="ad.gif"&gt;&lt;/a&gt;&lt;/div&gt;</noscript></article></body></html>`), "", DefaultOptions())
	if strings.Contains(res.Text, "<div>") || !strings.Contains(res.Text, articleParas[0]) {
		t.Errorf("escaped markup in noscript:\n%s", res.Text)
	}
}

// TestForumThread: on a page whose prose is all in comment-named posts (a
// forum thread, a live ticker), the posts are the content; under an
// article (newsPage) they are not.
func TestForumThread(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`<html><head><title>Bridge repair: when will it start? - Example Forum</title></head><body><div class="menu"><a href="/">Forum</a></div><div class="thread">`)
	for i, p := range articleParas {
		sb.WriteString(`<div class="comment"><div class="comment-author">user` + string(rune('a'+i)) + `</div><div class="comment-text"><p>` + p + `</p></div></div>`)
	}
	sb.WriteString(`</div></body></html>`)
	res, err := Extract([]byte(sb.String()), "", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range articleParas {
		if !strings.Contains(res.Text, p) {
			t.Errorf("post lost: %q\n--- text:\n%s", p[:40], res.Text)
		}
	}
}
