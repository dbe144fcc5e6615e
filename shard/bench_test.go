package shard

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/pipeline"
)

// fiveKBDocs cuts the real pages' text into documents of about 5 KB, the
// median size of an extracted Common Crawl page.
func fiveKBDocs(b *testing.B) ([]pipeline.Document, int64) {
	var all strings.Builder
	for _, d := range realDocs(b) {
		all.WriteString(d.Text)
		all.WriteString("\n\n")
	}
	text := all.String()
	var docs []pipeline.Document
	var bytes int64
	for i := 0; i+5000 <= len(text); i += 5000 {
		d := pipeline.Document{
			ID: fmt.Sprintf("urn:uuid:%032x", i), URL: fmt.Sprintf("https://example.org/page/%d", i),
			Host: "example.org", Domain: "example.org", Title: "A page title of ordinary length",
			Text: strings.ToValidUTF8(text[i:i+5000], "\uFFFD"), Language: "en", LanguageScore: 0.93,
			WARCRecordID: fmt.Sprintf("urn:uuid:%032x", i), WARCFilename: "CC-MAIN-00042.warc.gz", TokenCount: 1250,
		}
		for j, s := range testSignals {
			d.SetSignal(s, float64(i+j))
		}
		docs = append(docs, d)
		bytes += int64(len(d.Text))
	}
	return docs, bytes
}

func BenchmarkWriter(b *testing.B) {
	docs, textBytes := fiveKBDocs(b)
	for _, c := range []struct {
		name   string
		format Format
		comp   string
	}{{"stream", FormatStream, ""}, {"stream-zstd", FormatStream, CompressionZstd}, {"file", FormatFile, ""},
		{"parquet-zstd", FormatParquet, CompressionZstd}, {"parquet-snappy", FormatParquet, "snappy"},
		{"jsonl-gzip", FormatJSONL, CompressionGzip}, {"jsonl-zstd", FormatJSONL, CompressionZstd}} {
		b.Run(c.name, func(b *testing.B) {
			dir := b.TempDir()
			b.SetBytes(textBytes)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				w, err := NewWriter(WriterOptions{Dir: dir, Prefix: fmt.Sprintf("b%d", i), Format: c.format,
					Compression: c.comp, SignalNames: testSignals})
				if err != nil {
					b.Fatal(err)
				}
				for j := range docs {
					if err := w.Write(&docs[j]); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

func BenchmarkReader(b *testing.B) {
	docs, textBytes := fiveKBDocs(b)
	for _, c := range []struct {
		name   string
		format Format
		comp   string
	}{{"stream", FormatStream, ""}, {"stream-zstd", FormatStream, CompressionZstd}, {"file", FormatFile, ""},
		{"parquet-zstd", FormatParquet, CompressionZstd}} {
		b.Run(c.name, func(b *testing.B) {
			w, err := NewWriter(WriterOptions{Dir: b.TempDir(), Prefix: "r", Format: c.format, Compression: c.comp, SignalNames: testSignals})
			if err != nil {
				b.Fatal(err)
			}
			for j := range docs {
				if err := w.Write(&docs[j]); err != nil {
					b.Fatal(err)
				}
			}
			files, err := w.Close()
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(textBytes)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, err := Open(files[0])
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					rec, err := r.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					got, err := DocumentsFrom(rec)
					if err != nil {
						b.Fatal(err)
					}
					n += len(got)
				}
				r.Close()
				if n != len(docs) {
					b.Fatalf("read %d docs, want %d", n, len(docs))
				}
			}
			b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
