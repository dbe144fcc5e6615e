package ingest

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// FuzzHTTPPayload feeds arbitrary bytes as the block of a response record:
// HTTP header parsing, de-chunking and content decoding must never panic,
// every record must be a document or a counted skip, and a document's HTML
// must stay within MaxPayload.
func FuzzHTTPPayload(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>hi</html>"))
	f.Add([]byte("HTTP/1.1 200 OK\nContent-Type: text/html\nTransfer-Encoding: chunked\n\n5\r\nhello\r\n0\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xb3\xc9\x28\xc9\xcd\xb1\x03\x00\x8d\x2c\x4d\x2f\x06\x00\x00\x00"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\n\x0b\x02\x80<html>\x03"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: deflate\r\n\r\nx\x9c\xb3\xc9(\xc9\xcd\xb1\x03\x00\x0b\xc3\x02\xe0"))
	f.Add([]byte("HTTP/1.0 301 Moved\r\nLocation: /x\r\n\r\n"))
	f.Fuzz(func(t *testing.T, block []byte) {
		rec := fmt.Sprintf("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://fuzz.example/\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", len(block), block)
		const max = 1 << 16
		s, err := NewSource(bytes.NewReader([]byte(rec)), "fuzz.warc", Options{MaxPayload: max})
		if err != nil {
			t.Fatal(err)
		}
		for {
			d, err := s.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(d.HTML) > max || len(d.HTML) == 0 {
				t.Fatalf("HTML of %d bytes", len(d.HTML))
			}
		}
		st := s.Stats()
		n := st.Documents
		for _, v := range st.Skipped {
			n += v
		}
		if st.Records != 1 || n != 1 {
			t.Fatalf("records %d, documents+skipped %d (%v)", st.Records, n, st.Skipped)
		}
	})
}
