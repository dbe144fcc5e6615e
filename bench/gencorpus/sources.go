package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/sieve-data/sieve/ingest/warc"
)

// page is one real HTML page and the HTTP Content-Type it was served with
// (empty when the source did not record one).
type page struct {
	name        string
	body        []byte
	contentType string
}

// loadPages gathers the real pages: readability's test pages, the HTML
// responses inside the shared WARC fixtures and trafilatura's comparison set.
// Paths are sorted so the pool, and therefore the corpus, is deterministic.
func loadPages(shared, trafDir string) ([]page, error) {
	var pages []page
	htmls, _ := filepath.Glob(filepath.Join(shared, "html", "*", "source.html"))
	if trafDir != "" {
		more, _ := filepath.Glob(filepath.Join(trafDir, "test-files", "comparison", "*.html"))
		htmls = append(htmls, more...)
	}
	sort.Strings(htmls)
	for _, p := range htmls {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if len(b) < 512 {
			continue
		}
		pages = append(pages, page{name: p, body: b})
	}
	warcs, _ := filepath.Glob(filepath.Join(shared, "warc", "*.warc*"))
	sort.Strings(warcs)
	for _, p := range warcs {
		pages = append(pages, htmlFromWARC(p)...)
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("no HTML pages found under %s (set -shared)", shared)
	}
	return pages, nil
}

// htmlFromWARC returns the HTML 200 responses of one WARC file; a file the
// reader cannot open gives none (fixtures include odd formats).
func htmlFromWARC(path string) []page {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	r, err := warc.NewReader(f)
	if err != nil {
		return nil
	}
	var out []page
	for {
		rec, err := r.Next()
		if err != nil {
			return out
		}
		if rec.Header.Get("WARC-Type") != "response" || rec.Truncated {
			continue
		}
		block, err := io.ReadAll(io.LimitReader(rec.Block, 8<<20))
		if err != nil {
			continue
		}
		head, body, ok := bytes.Cut(block, []byte("\r\n\r\n"))
		if !ok || !bytes.HasPrefix(head, []byte("HTTP/")) || !bytes.Contains(head[:min(len(head), 16)], []byte(" 200")) {
			continue
		}
		ct := ""
		for _, line := range strings.Split(string(head), "\r\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "content-type") {
				ct = strings.TrimSpace(v)
			}
		}
		if !strings.Contains(strings.ToLower(ct), "html") || len(body) < 512 {
			continue
		}
		if bytes.Contains(head, []byte("chunked")) || bytes.Contains(bytes.ToLower(head), []byte("content-encoding")) {
			continue // keep the payloads simple: identity-encoded only
		}
		out = append(out, page{name: path + "#" + rec.Header.Get("WARC-Target-URI"), body: body, contentType: ct})
	}
}

// utf8Pages are the pages whose bytes are valid UTF-8: only these are used as
// templates for rewritten text, so inserted UTF-8 sentences never contradict
// a declared legacy charset.
func utf8Pages(pages []page) []page {
	var out []page
	for _, p := range pages {
		if utf8.Valid(p.body) {
			out = append(out, p)
		}
	}
	return out
}

// language is one language's real sentences (lingua's test sentences).
type language struct {
	code      string
	sentences []string
}

func loadSentences(shared string) ([]language, error) {
	files, _ := filepath.Glob(filepath.Join(shared, "langid", "sentences", "*.txt"))
	sort.Strings(files)
	var langs []language
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		var l language
		l.code = strings.TrimSuffix(filepath.Base(p), ".txt")
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if s := strings.TrimSpace(sc.Text()); s != "" {
				l.sentences = append(l.sentences, s)
			}
		}
		f.Close()
		if len(l.sentences) > 0 {
			langs = append(langs, l)
		}
	}
	if len(langs) == 0 {
		return nil, fmt.Errorf("no sentences under %s/langid/sentences", shared)
	}
	return langs, nil
}

// trafilaturaDir asks the go command for the module's directory, downloading
// it into the module cache when needed. "" when it cannot (offline).
func trafilaturaDir(mod string) string {
	out, err := exec.Command("go", "mod", "download", "-json", mod).Output()
	if err != nil {
		return ""
	}
	var info struct{ Dir string }
	if json.Unmarshal(out, &info) != nil {
		return ""
	}
	return info.Dir
}
