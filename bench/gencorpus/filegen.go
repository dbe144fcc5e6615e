package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

type pagePool struct {
	all   []page
	utf8  []page
	langs []language
}

// fileStats counts what a file holds, printed so a reader can check the mix.
type fileStats struct {
	bytes, html, verbatim, exactDup, nearDup, nonHTML, redirect, notFound int64
}

func (s *fileStats) add(o fileStats) {
	s.bytes += o.bytes
	s.html += o.html
	s.verbatim += o.verbatim
	s.exactDup += o.exactDup
	s.nearDup += o.nearDup
	s.nonHTML += o.nonHTML
	s.redirect += o.redirect
	s.notFound += o.notFound
}

func (s fileStats) String() string {
	return fmt.Sprintf("%.1f MB uncompressed; HTML 200: %d (verbatim real pages %d, exact dups %d, near dups %d); non-HTML %d, redirects %d, 404 %d",
		float64(s.bytes)/(1<<20), s.html, s.verbatim, s.exactDup, s.nearDup, s.nonHTML, s.redirect, s.notFound)
}

// fileGen writes one file. Its random source depends on the seed and the
// file index only, so files can be written in parallel and stay deterministic.
type fileGen struct {
	ww      *warcWriter
	pool    *pagePool
	rng     *rand.Rand
	name    string
	info    string
	now     time.Time
	history [][]byte // earlier HTML bodies, for planted duplicates
	stats   fileStats
}

func newFileGen(w io.Writer, pool *pagePool, seed uint64, index int, name string) *fileGen {
	rng := rand.New(rand.NewPCG(seed, uint64(index)+1))
	return &fileGen{
		ww: newWARCWriter(w, rng), pool: pool, rng: rng, name: name,
		now: time.Date(2024, 4, 12, 0, 0, 0, 0, time.UTC).Add(time.Duration(index) * time.Hour),
	}
}

func (g *fileGen) run(target int64) error {
	if err := g.writeInfo(); err != nil {
		return err
	}
	for g.ww.bytes < target {
		if err := g.capture(); err != nil {
			return err
		}
	}
	g.stats.bytes = g.ww.bytes
	return nil
}

// writeInfo writes the file's warcinfo record, the first record of a file.
func (g *fileGen) writeInfo() error {
	g.info = g.ww.recordID()
	info := "software: sieve-bench-gencorpus\r\nformat: WARC File Format 1.0\r\nisPartOf: CC-BENCH\r\nrobots: checked via crawler-commons\r\n"
	return g.ww.write([]string{"WARC-Type", "warcinfo", "WARC-Date", warcDate(g.now), "WARC-Filename", g.name,
		"WARC-Record-ID", g.info, "Content-Type", "application/warc-fields"}, []byte(info))
}

// capture writes one fetch: request, response, metadata. The mix follows
// Common Crawl's: mostly HTML 200, some redirects, 404s and non-HTML.
func (g *fileGen) capture() error {
	g.now = g.now.Add(time.Duration(g.rng.IntN(2000)) * time.Millisecond)
	url := g.url()
	p := g.rng.IntN(100)
	var status, ctype string
	var body []byte
	var extra []string
	switch {
	case p < 4:
		status, ctype = "301 Moved Permanently", "text/html; charset=iso-8859-1"
		if g.rng.IntN(2) == 0 {
			status = "302 Found"
		}
		extra = []string{"Location: " + g.url()}
		body = []byte("<html><head><title>Moved</title></head><body><h1>Moved</h1></body></html>")
		g.stats.redirect++
	case p < 7:
		status, ctype = "404 Not Found", "text/html; charset=utf-8"
		body = []byte("<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>")
		g.stats.notFound++
	case p < 12:
		status = "200 OK"
		ctype, body = g.nonHTML()
		g.stats.nonHTML++
	default:
		status = "200 OK"
		ctype, body = g.html()
		g.stats.html++
	}
	return g.writeCapture(url, status, ctype, extra, body)
}

// html returns a page: ~15% real pages verbatim (original charsets), ~5%
// exact and ~5% near copies of earlier pages, the rest real templates with
// text rewritten into one language (English for ~45%, as in Common Crawl).
func (g *fileGen) html() (string, []byte) {
	p := g.rng.IntN(100)
	switch {
	case p < 5 && len(g.history) > 0:
		g.stats.exactDup++
		return "text/html; charset=UTF-8", g.history[g.rng.IntN(len(g.history))]
	case p < 10 && len(g.history) > 0:
		g.stats.nearDup++
		return "text/html; charset=UTF-8", nearDuplicate(g.history[g.rng.IntN(len(g.history))], g.rng)
	case p < 25:
		pg := g.smaller(g.pool.all)
		g.stats.verbatim++
		ct := pg.contentType
		if ct == "" {
			ct = "text/html" // the page's meta tag (or sniffing) gives the charset
		}
		return ct, pg.body
	}
	tmpl := g.smaller(g.pool.utf8)
	lang := g.language()
	body := rewriteText(tmpl.body, lang, g.rng)
	if len(g.history) < 256 {
		g.history = append(g.history, body)
	} else {
		g.history[g.rng.IntN(len(g.history))] = body
	}
	return "text/html; charset=UTF-8", body
}

func (g *fileGen) language() language {
	if g.rng.IntN(100) < 45 {
		for _, l := range g.pool.langs {
			if l.code == "en" {
				return l
			}
		}
	}
	return g.pool.langs[g.rng.IntN(len(g.pool.langs))]
}

// nonHTML returns an image, PDF or JSON payload of a plausible size.
func (g *fileGen) nonHTML() (string, []byte) {
	n := 2000 + g.rng.IntN(60000)
	switch g.rng.IntN(3) {
	case 0:
		b := g.randomBytes(n)
		copy(b, []byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0})
		return "image/jpeg", b
	case 1:
		b := g.randomBytes(n)
		copy(b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
		return "application/pdf", b
	}
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i := 0; b.Len() < n/4; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"score":%.3f,"tag":"t%x"}`, i, g.rng.Float64(), g.rng.Uint32())
	}
	b.WriteString("]}")
	return "application/json", []byte(b.String())
}

func (g *fileGen) randomBytes(n int) []byte {
	b := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		v := g.rng.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

var hostWords = []string{"news", "blog", "shop", "forum", "wiki", "daily", "city", "tech", "travel", "food", "sport", "health", "music", "book", "auto", "home", "garden", "film", "kids", "science"}
var tlds = []string{"com", "org", "net", "de", "fr", "es", "it", "ru", "jp", "cn", "com.br", "pl", "nl", "co.uk", "in", "tr", "se", "cz", "kr", "info"}

// url returns a URL on one of ~100k hosts.
func (g *fileGen) url() string {
	h := g.rng.IntN(100000)
	return fmt.Sprintf("https://www.%s%s%d.%s/%s/%d-%x.html", hostWords[h%len(hostWords)], hostWords[(h/20)%len(hostWords)], h,
		tlds[(h/7)%len(tlds)], hostWords[g.rng.IntN(len(hostWords))], 2000+g.rng.IntN(25), g.rng.Uint32())
}

func (g *fileGen) writeCapture(url, status, ctype string, extra []string, body []byte) error {
	host, path := splitURL(url)
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: CCBot/2.0 (https://commoncrawl.org/faq/)\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\nAccept-Encoding: br,gzip\r\nConnection: Keep-Alive\r\n\r\n", path, host)
	reqID, respID := g.ww.recordID(), g.ww.recordID()
	ip := fmt.Sprintf("%d.%d.%d.%d", 1+g.rng.IntN(222), g.rng.IntN(256), g.rng.IntN(256), 1+g.rng.IntN(254))
	date := warcDate(g.now)
	if err := g.ww.write([]string{"WARC-Type", "request", "WARC-Date", date, "WARC-Record-ID", reqID,
		"Content-Type", "application/http; msgtype=request", "WARC-Warcinfo-ID", g.info, "WARC-IP-Address", ip,
		"WARC-Target-URI", url}, []byte(req)); err != nil {
		return err
	}
	var http bytes.Buffer
	fmt.Fprintf(&http, "HTTP/1.1 %s\r\nDate: %s\r\nServer: nginx\r\nContent-Type: %s\r\nContent-Length: %d\r\n", status,
		g.now.Format(time.RFC1123), ctype, len(body))
	for _, h := range extra {
		http.WriteString(h + "\r\n")
	}
	http.WriteString("X-Crawler-Content-Encoding: gzip\r\nConnection: close\r\n\r\n")
	http.Write(body)
	ident := strings.TrimSpace(strings.Split(ctype, ";")[0])
	if ident == "text/html" && bytes.Contains(body[:min(len(body), 512)], []byte("<?xml")) {
		ident = "application/xhtml+xml"
	}
	if err := g.ww.write([]string{"WARC-Type", "response", "WARC-Date", date, "WARC-Record-ID", respID,
		"Content-Type", "application/http; msgtype=response", "WARC-Warcinfo-ID", g.info, "WARC-Concurrent-To", reqID,
		"WARC-IP-Address", ip, "WARC-Target-URI", url, "WARC-Payload-Digest", payloadDigest(body),
		"WARC-Block-Digest", payloadDigest(http.Bytes()), "WARC-Identified-Payload-Type", ident}, http.Bytes()); err != nil {
		return err
	}
	meta := fmt.Sprintf("fetchTimeMs: %d\r\n", 50+g.rng.IntN(3000))
	return g.ww.write([]string{"WARC-Type", "metadata", "WARC-Date", date, "WARC-Record-ID", g.ww.recordID(),
		"Content-Type", "application/warc-fields", "WARC-Warcinfo-ID", g.info, "WARC-Concurrent-To", respID,
		"WARC-Target-URI", url}, []byte(meta))
}

func splitURL(u string) (host, path string) {
	rest := strings.TrimPrefix(u, "https://")
	host, path, _ = strings.Cut(rest, "/")
	return host, "/" + path
}

// smaller draws two pages and keeps the smaller: the test-page sets lean to
// long articles, Common Crawl's HTML median is ~40-80 KB.
func (g *fileGen) smaller(pages []page) page {
	a, b := pages[g.rng.IntN(len(pages))], pages[g.rng.IntN(len(pages))]
	if len(b.body) < len(a.body) {
		return b
	}
	return a
}
