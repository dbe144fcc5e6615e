package extract

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
)

// httpPayload is one HTTP response pulled out of a WARC file for tests.
type httpPayload struct {
	url, contentType string
	body             []byte
}

// readHTMLPayloads is a deliberately tiny test-only WARC splitter (the real
// reader lives in ingest/warc): gzip members read as one stream, WARC
// headers up to the blank line, then exactly Content-Length bytes. It
// returns the HTML bodies of response records, uncompressed and unchunked
// ones only.
func readHTMLPayloads(t testing.TB, path string) []httpPayload {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	br := bufio.NewReader(r)
	var out []httpPayload
	for {
		hdr, err := readHeaderBlock(br)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		n, err := strconv.Atoi(hdr["content-length"])
		if err != nil {
			t.Fatalf("%s: bad Content-Length %q", path, hdr["content-length"])
		}
		block := make([]byte, n)
		if _, err := io.ReadFull(br, block); err != nil {
			t.Fatalf("%s: short record: %v", path, err)
		}
		if hdr["warc-type"] != "response" || !bytes.HasPrefix(block, []byte("HTTP/")) {
			continue
		}
		hb := bufio.NewReader(bytes.NewReader(block))
		if _, err := hb.ReadString('\n'); err != nil { // status line
			continue
		}
		h, err := readHeaderBlock(hb)
		if err != nil || !strings.Contains(strings.ToLower(h["content-type"]), "html") ||
			strings.Contains(strings.ToLower(h["transfer-encoding"]), "chunked") {
			continue
		}
		body, _ := io.ReadAll(hb)
		// ClueWeb09 keeps "Content-Encoding: gzip" on bodies it stored
		// decoded; only gunzip what really is gzip.
		if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				continue
			}
			if body, err = io.ReadAll(zr); err != nil {
				continue
			}
		}
		out = append(out, httpPayload{url: hdr["warc-target-uri"], contentType: h["content-type"], body: body})
	}
}

// readHeaderBlock reads "Name: value" lines (CRLF or LF) up to a blank line,
// skipping blank lines before the block. Names are lower-cased.
func readHeaderBlock(br *bufio.Reader) (map[string]string, error) {
	h := map[string]string{}
	started := false
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			if err == io.EOF && !started && strings.TrimSpace(line) == "" {
				return nil, io.EOF
			}
			if err == io.EOF {
				return h, nil
			}
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if started {
				return h, nil
			}
			continue
		}
		started = true
		if k, v, ok := strings.Cut(line, ":"); ok {
			h[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
		}
	}
}
