package main

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/klauspost/compress/gzip"
)

// warcWriter writes records as Common Crawl does: one gzip member per record.
type warcWriter struct {
	w     io.Writer
	gz    *gzip.Writer
	buf   bytes.Buffer
	rng   *rand.Rand
	bytes int64 // uncompressed bytes written
}

func newWARCWriter(w io.Writer, rng *rand.Rand) *warcWriter {
	gz, _ := gzip.NewWriterLevel(w, gzip.DefaultCompression)
	return &warcWriter{w: w, gz: gz, rng: rng}
}

// recordID returns a random (seeded) urn:uuid.
func (ww *warcWriter) recordID() string {
	a, b := ww.rng.Uint64(), ww.rng.Uint64()
	return fmt.Sprintf("<urn:uuid:%08x-%04x-4%03x-a%03x-%012x>", a>>32, (a>>16)&0xffff, a&0xfff, b>>52&0xfff, b&0xffffffffffff)
}

// write writes one record with the given header fields (name, value pairs).
func (ww *warcWriter) write(fields []string, block []byte) error {
	ww.buf.Reset()
	ww.buf.WriteString("WARC/1.0\r\n")
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i+1] == "" {
			continue
		}
		fmt.Fprintf(&ww.buf, "%s: %s\r\n", fields[i], fields[i+1])
	}
	fmt.Fprintf(&ww.buf, "Content-Length: %d\r\n\r\n", len(block))
	ww.buf.Write(block)
	ww.buf.WriteString("\r\n\r\n")
	ww.gz.Reset(ww.w)
	if _, err := ww.gz.Write(ww.buf.Bytes()); err != nil {
		return err
	}
	ww.bytes += int64(ww.buf.Len())
	return ww.gz.Close()
}

func payloadDigest(b []byte) string {
	s := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(s[:])
}

func warcDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
