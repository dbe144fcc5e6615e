package warc

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Header limits keep memory bounded on hostile input. Real WARC headers are
// under 2 KiB with about 15 fields.
const (
	maxHeaderBytes = 256 << 10
	maxFields      = 1000
	// maxContentLength rejects absurd lengths (and keeps offset arithmetic
	// far from overflow); the largest real records are a few GiB.
	maxContentLength = 1 << 40
)

// headerEnd returns the length of the header block at the start of buf,
// through the empty line that ends it (CRLF or, for ClueWeb-style files,
// bare LF), or -1 when buf does not hold all of it yet. from is where the
// previous call stopped looking, so a growing buffer is scanned once.
func headerEnd(buf []byte, from int) (end, next int) {
	i := from
	for {
		j := bytes.IndexByte(buf[i:], '\n')
		if j < 0 {
			return -1, len(buf)
		}
		i += j
		switch {
		case i+1 >= len(buf):
			return -1, i
		case buf[i+1] == '\n':
			return i + 2, 0
		case buf[i+1] == '\r':
			if i+2 >= len(buf) {
				return -1, i
			}
			if buf[i+2] == '\n' {
				return i + 3, 0
			}
		}
		i++
	}
}

// parseHeader splits a header block (version line, fields, empty line)
// into the version and fields, appending to fields. All strings share s.
func parseHeader(s string, fields Header) (version string, _ Header, err error) {
	line, rest, _ := strings.Cut(s, "\n")
	version = strings.TrimRight(line, "\r \t")
	for rest != "" {
		line, rest, _ = strings.Cut(rest, "\n")
		line = strings.TrimRight(line, "\r")
		if line == "" {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			// An obsolete folded continuation line (RFC 822 style).
			if len(fields) == 0 {
				return version, fields, fmt.Errorf("continuation line before any field: %q", clip(line))
			}
			f := &fields[len(fields)-1]
			f.Value = f.Value + " " + strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return version, fields, fmt.Errorf("header line without a colon: %q", clip(line))
		}
		if len(fields) == maxFields {
			return version, fields, fmt.Errorf("more than %d header fields", maxFields)
		}
		fields = append(fields, Field{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
	}
	return version, fields, nil
}

func parseContentLength(h Header) (int64, error) {
	v := h.Get("Content-Length")
	if v == "" {
		return 0, fmt.Errorf("record has no Content-Length")
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > maxContentLength {
		return 0, fmt.Errorf("bad Content-Length %q", clip(v))
	}
	return n, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// isVersionLine reports whether b starts like a WARC version line:
// "WARC/" and a digit.
func isVersionLine(b []byte) bool {
	return len(b) >= 6 && string(b[:5]) == "WARC/" && b[5] >= '0' && b[5] <= '9'
}

// nextVersionIn returns the index of the first "WARC/<digit>" in b, at a
// line start or not: after damage, junk need not end with a line break.
func nextVersionIn(b []byte) int {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("WARC/"))
		if j < 0 {
			return -1
		}
		if isVersionLine(b[i+j:]) {
			return i + j
		}
		i += j + 1
	}
}

// nextRecordIn returns the index of the first "WARC/<digit>" that starts a
// line in b after its first byte, or -1.
func nextRecordIn(b []byte) int {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("\nWARC/"))
		if j < 0 {
			return -1
		}
		k := i + j + 1
		if isVersionLine(b[k:]) {
			return k
		}
		i = k
	}
}

// trailerPeek is how many bytes after a block endsCleanly looks at: the
// CRLF CRLF separator and the "WARC/<digit>" that should follow.
const trailerPeek = 16

// endsCleanly reports whether the bytes after a block look like the end of
// a record: CR/LF separators, then the next record or the end of the data
// (tail is shorter than trailerPeek only at the end of the data).
func endsCleanly(tail []byte) bool {
	if bytes.HasPrefix(tail, []byte("\r\n\r\n")) || bytes.HasPrefix(tail, []byte("\n\n")) {
		return true // the separator is there; junk after it is a damage of its own
	}
	rest := bytes.TrimLeft(tail, "\r\n")
	if len(tail) < trailerPeek && len(rest) < 6 {
		return bytes.HasPrefix([]byte("WARC/"), rest)
	}
	return isVersionLine(rest) // extra blank lines are harmless
}
