// Package extract turns the raw bytes of an HTML response into a page title
// and its main text: it decodes the charset to UTF-8, walks the page's tokens
// once, cuts the text into blocks (headings, paragraphs, list
// items, table cells, quotes, preformatted text) and drops boilerplate blocks
// (menus, link lists, cookie banners, share buttons, footers).
//
// Design. A full DOM parse costs about twice the tokenizer alone, and the
// boilerplate decision only needs, for each block, its text, how much of it
// sits in links, and what its open ancestors are. So the walker keeps a stack
// of open elements instead of a tree (see walker.go), records every element
// it opened in a flat table (parent index, accumulated text score), and picks
// the main content afterwards (see boilerplate.go): a readability-style
// container score finds the article's region, and a jusText-style block
// classification with context revision drops link lists and short stray
// blocks inside and around it.
//
// Evidence, weighed. Content is strong evidence, names are weak (hints.go):
// a class or id word is graded (final for comment threads and whole names
// such as class="sidebar", strong inside a compound, weak for words CMSs use
// for everything such as "widget" or "hidden-xs", positive for article
// containers). Strong names veto a block, but are lifted from a container
// that plainly holds the article (most of the page's prose in several
// paragraphs); weak names only tip short lines and scale a container's
// score. Around the region: the headline that repeats <title> marks the
// article's start (the lead under it is kept, the headline itself is
// metadata, as are short date lines), a strong boundary after the region
// (a comment thread, a related-articles box) ends it, and short lines of
// the article's own containers stay with it. A sentence whose words are
// mostly links stays in the region; a sentence-long anchor inside a
// paragraph is not counted as link text.
//
// Structure. Kept blocks are joined by render.go: paragraphs by a blank
// line, the items of one list and the rows of a data table by a line break,
// cells by " | " (a table whose cells hold paragraphs is a layout table and
// keeps its paragraphs); Options.Format = FormatMarkdown adds headings,
// list markers, tables with a header separator, fenced code and quotes.
// Result also carries signals of the cut (share of the page's text kept,
// link density of the kept text, blocks kept), stored by the step in
// quality_signals.
//
// Departures from trafilatura, which sieve is measured against: no
// fallback extractors (one pass is the speed budget), no comment
// extraction (comment threads are dropped), the headline is not part of
// the text (Result.Title has the page title), and text in <pre> is kept as
// preformatted text.
//
// The tokens come from scanner.go, which reproduces the x/net/html
// Tokenizer's tokens exactly (tested token for token on real pages and by
// a fuzz target) but scans the page in memory without copying it: the
// Tokenizer's byte-at-a-time reads and per-attribute allocations were more
// than half of the extraction time. Walkers are pooled, so a page costs
// few allocations beyond its result.
//
// Per byte, the page is read by word-at-a-time (8-byte) fast paths where
// it is plain: the UTF-8 check and count (charset.go), runs of visible
// ASCII text (appendRun), the binary sniff and the copyright-line test;
// the walker notes whether every code point it kept is NFC-stable, so
// the NFC check of most pages costs nothing, and text that is not
// stable goes to the norm package a window of a few code points at a
// time (nfc.go). Each fast path has a reference test or fuzz target
// against the plain definition it replaces (text_ref_test.go,
// fastpath_test.go), so outputs are the same bit for bit.
//
// Every input is bounded: at most Options.MaxHTMLBytes of HTML are looked at,
// at most Options.MaxNodes tokens are processed, nesting deeper than
// Options.MaxDepth is flattened. Pages cut by a bound are reported as
// Truncated, never as an error. A payload that is binary (not text) is
// refused with ErrBinary.
//
// Quality is measured on two dev sets: golden_test.go and
// comparison_test.go pin F1 and precision on the 130 mozilla/readability
// test pages (word-level, against their expected text) and on trafilatura's
// annotated comparison set of 983 pages (snippets, as trafilatura's own
// comparison counts them), through internal/extracteval; tools/extract-score
// prints sieve beside go-trafilatura on both, with pages per CPU-second.
// cases_test.go has a handwritten page for each kind of failure seen on
// real news and blog pages.
package extract
