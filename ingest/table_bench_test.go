package ingest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/pipeline"
	"github.com/sieve-data/sieve/shard"
)

// tableBenchDocs are ~5 KB documents (the median extracted page) cut from
// the visible text of the shared WARCs' HTML, each text once (so the
// compressed sizes are honest).
func tableBenchDocs(b *testing.B) []pipeline.Document {
	dir := testdata.Shared(b, "warc")
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc*"))
	var all strings.Builder
	for _, f := range files {
		s, err := Open(f, Options{})
		if err != nil {
			continue
		}
		for {
			d, err := s.Next()
			if err != nil {
				break
			}
			all.WriteString(testdata.VisibleText(strings.NewReader(string(d.HTML))))
			all.WriteString("\n\n")
		}
		s.Close()
	}
	text := strings.ToValidUTF8(all.String(), "\uFFFD")
	if len(text) < 5000 {
		b.Fatal("no text in the shared WARCs")
	}
	docs := make([]pipeline.Document, len(text)/5000)
	for i := range docs {
		start := i * 5000
		docs[i] = pipeline.Document{ID: fmt.Sprintf("doc-%d", i), URL: fmt.Sprintf("https://example.org/%d", i),
			Text: strings.ToValidUTF8(text[start:start+5000], ""), Language: "en", LanguageScore: 0.9, TokenCount: -1}
	}
	return docs
}

// BenchmarkTableRead reads the same documents from Arrow, Parquet and
// JSONL with the dataset readers (OpenTable), 1 goroutine. MB/s is of
// text; docs/s is reported beside.
func BenchmarkTableRead(b *testing.B) {
	docs := tableBenchDocs(b)
	var textBytes int64
	for _, d := range docs {
		textBytes += int64(len(d.Text))
	}
	for _, c := range []struct {
		name, typ string
		format    shard.Format
		comp      string
	}{
		{"arrow", TypeArrow, shard.FormatStream, ""},
		{"parquet-zstd", TypeParquet, shard.FormatParquet, "zstd"},
		{"jsonl", TypeJSONL, shard.FormatJSONL, "none"},
		{"jsonl-gzip", TypeJSONL, shard.FormatJSONL, "gzip"},
		{"jsonl-zstd", TypeJSONL, shard.FormatJSONL, "zstd"},
	} {
		b.Run(c.name, func(b *testing.B) {
			w, err := shard.NewWriter(shard.WriterOptions{Dir: b.TempDir(), Prefix: "t", Format: c.format, Compression: c.comp, MaxBytes: 1 << 40})
			if err != nil {
				b.Fatal(err)
			}
			for i := range docs {
				if err := w.Write(&docs[i]); err != nil {
					b.Fatal(err)
				}
			}
			files, err := w.Close()
			if err != nil || len(files) != 1 {
				b.Fatal(files, err)
			}
			st, _ := os.Stat(files[0])
			b.SetBytes(textBytes)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, err := OpenTable(c.typ, files[0], TableOptions{})
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					_, err := r.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				r.Close()
				if n != len(docs) {
					b.Fatalf("read %d of %d", n, len(docs))
				}
			}
			b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
			b.ReportMetric(float64(st.Size())/1e6, "file-MB")
		})
	}
}
