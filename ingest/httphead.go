package ingest

import (
	"bytes"
	"strconv"
)

// maxHTTPHead bounds the HTTP status line and headers of a response.
const maxHTTPHead = 64 << 10

// httpHead is the part of an HTTP response header that ingest needs.
type httpHead struct {
	status           int
	contentType      string
	transferEncoding string
	contentEncoding  string
	size             int // bytes up to and including the empty line
}

// parseHTTPHead parses the status line and header of an HTTP response at
// the start of b. It accepts LF-only line ends (ClueWeb09) and folded
// lines; ok is false when there is no valid status line or the header does
// not end within maxHTTPHead bytes.
func parseHTTPHead(b []byte) (h httpHead, ok bool) {
	if len(b) > maxHTTPHead {
		b = b[:maxHTTPHead]
	}
	line, rest, found := bytes.Cut(b, []byte("\n"))
	if !found {
		return h, false
	}
	// "HTTP/1.1 200 OK"; some servers send "HTTP/1.1 200" with no reason.
	line = bytes.TrimRight(line, "\r")
	if !bytes.HasPrefix(line, []byte("HTTP/")) {
		return h, false
	}
	_, code, _ := bytes.Cut(line, []byte(" "))
	code = bytes.TrimLeft(code, " ")
	if len(code) < 3 {
		return h, false
	}
	status, err := strconv.Atoi(string(code[:3]))
	if err != nil || status < 100 || status > 999 {
		return h, false
	}
	h.status = status
	pos := len(b) - len(rest)
	for {
		line, rest, found = bytes.Cut(rest, []byte("\n"))
		if !found {
			return h, false // the header does not end in b
		}
		pos = len(b) - len(rest)
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			h.size = pos
			return h, true
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue // tolerate junk lines, as browsers do
		}
		name = bytes.TrimSpace(name)
		v := string(bytes.TrimSpace(value))
		switch {
		case bytes.EqualFold(name, []byte("Content-Type")) && h.contentType == "":
			h.contentType = v
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			h.transferEncoding = v
		case bytes.EqualFold(name, []byte("Content-Encoding")):
			h.contentEncoding = v
		}
	}
}
