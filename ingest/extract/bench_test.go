package extract

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
	"golang.org/x/net/html"
)

// BenchmarkExtract extracts all 130 readability pages per iteration.
func BenchmarkExtract(b *testing.B) {
	pages := loadReadabilityPages(b)
	var total int64
	for _, p := range pages {
		total += int64(len(p.source))
	}
	opts := DefaultOptions()
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			if _, err := Extract(p.source, "", opts); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportDocs(b, len(pages))
}

// BenchmarkExtract100KB extracts the readability pages of 80-120 KB, the
// size the speed target is stated for (about 4 ms per 100 KB page).
func BenchmarkExtract100KB(b *testing.B) {
	var pages []readabilityPage
	var total int64
	for _, p := range loadReadabilityPages(b) {
		if len(p.source) >= 80<<10 && len(p.source) <= 120<<10 {
			pages = append(pages, p)
			total += int64(len(p.source))
		}
	}
	if len(pages) == 0 {
		b.Skip("no page of 80-120 KB")
	}
	opts := DefaultOptions()
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			if _, err := Extract(p.source, "", opts); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportDocs(b, len(pages))
	b.ReportMetric(float64(total)/float64(len(pages))/1024, "KB/page")
}

// BenchmarkExtractCrawl runs over the real Common Crawl excerpt (mostly
// Chinese pages in gb2312/gbk, utf-8, windows-1251), charset decoding
// included.
func BenchmarkExtractCrawl(b *testing.B) {
	pages := readHTMLPayloads(b, filepath.Join(testdata.Shared(b, "warc"), "resiliparse__warcfile.warc.gz"))
	var total int64
	for _, p := range pages {
		total += int64(len(p.body))
	}
	opts := DefaultOptions()
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			if _, err := Extract(p.body, p.contentType, opts); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportDocs(b, len(pages))
}

// BenchmarkTokenizerOnly and BenchmarkParseOnly are the yardsticks: the
// x/net/html tokenizer alone, and a full DOM parse, over the same pages.
func BenchmarkTokenizerOnly(b *testing.B) {
	pages := loadReadabilityPages(b)
	var total int64
	for _, p := range pages {
		total += int64(len(p.source))
	}
	b.SetBytes(total)
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			z := html.NewTokenizer(bytes.NewReader(p.source))
			for z.Next() != html.ErrorToken {
			}
		}
	}
	reportDocs(b, len(pages))
}

func BenchmarkParseOnly(b *testing.B) {
	pages := loadReadabilityPages(b)
	var total int64
	for _, p := range pages {
		total += int64(len(p.source))
	}
	b.SetBytes(total)
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			if _, err := html.Parse(bytes.NewReader(p.source)); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportDocs(b, len(pages))
}

func reportDocs(b *testing.B, perIter int) {
	secs := b.Elapsed().Seconds()
	if secs == 0 {
		return
	}
	docs := float64(perIter * b.N)
	b.ReportMetric(docs/secs, "docs/s")
	b.ReportMetric(1000*secs/docs, "ms/page")
}
