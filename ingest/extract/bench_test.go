package extract

import (
	"bytes"
	"flag"
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
	cpu0 := processCPUSeconds()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			if _, err := Extract(p.source, "", opts); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportDocs(b, len(pages), total, cpu0)
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
	cpu0 := processCPUSeconds()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			if _, err := Extract(p.source, "", opts); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportDocs(b, len(pages), total, cpu0)
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
	cpu0 := processCPUSeconds()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			if _, err := Extract(p.body, p.contentType, opts); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportDocs(b, len(pages), total, cpu0)
}

// BenchmarkScannerOnly, BenchmarkTokenizerOnly and BenchmarkParseOnly are
// the yardsticks: sieve's scanner alone (text decoded as the walker asks
// for it), the x/net/html tokenizer alone, and a full DOM parse, over the
// same pages.
func BenchmarkScannerOnly(b *testing.B) {
	pages := loadReadabilityPages(b)
	var total int64
	for _, p := range pages {
		total += int64(len(p.source))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	cpu0 := processCPUSeconds()
	var s scanner
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			s.reset(p.source)
			for tt := s.next(); tt != scanEOF; tt = s.next() {
				if tt == scanText {
					s.text()
				}
			}
		}
	}
	reportDocs(b, len(pages), total, cpu0)
}

func BenchmarkTokenizerOnly(b *testing.B) {
	pages := loadReadabilityPages(b)
	var total int64
	for _, p := range pages {
		total += int64(len(p.source))
	}
	b.SetBytes(total)
	cpu0 := processCPUSeconds()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			z := html.NewTokenizer(bytes.NewReader(p.source))
			for z.Next() != html.ErrorToken {
			}
		}
	}
	reportDocs(b, len(pages), total, cpu0)
}

func BenchmarkParseOnly(b *testing.B) {
	pages := loadReadabilityPages(b)
	var total int64
	for _, p := range pages {
		total += int64(len(p.source))
	}
	b.SetBytes(total)
	cpu0 := processCPUSeconds()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			if _, err := html.Parse(bytes.NewReader(p.source)); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportDocs(b, len(pages), total, cpu0)
}

// reportDocs adds docs/s and ms/page, and per CPU-second figures
// (docs/cpu-s, MB/cpu-s): the machine is shared, so wall-clock rates vary
// with the load while CPU time (garbage collection on other threads
// included) does not.
func reportDocs(b *testing.B, perIter int, bytesPerIter int64, cpu0 float64) {
	secs := b.Elapsed().Seconds()
	if secs == 0 {
		return
	}
	docs := float64(perIter * b.N)
	b.ReportMetric(docs/secs, "docs/s")
	b.ReportMetric(1000*secs/docs, "ms/page")
	if cpu := processCPUSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(docs/cpu, "docs/cpu-s")
		b.ReportMetric(float64(bytesPerIter)*float64(b.N)/1e6/cpu, "MB/cpu-s")
	}
}

// benchWARC names WARC files (a glob) for BenchmarkExtractWARC, e.g. a
// bench corpus: go test -bench ExtractWARC -extract.warc '/tmp/sieve-bench/docs-50MB-*/DOCS-BENCH-00000.warc.gz'.
var benchWARC = flag.String("extract.warc", "", "glob of WARC files for BenchmarkExtractWARC")

// BenchmarkExtractWARC extracts the distinct HTML payloads of the WARC
// files named by -extract.warc (text-dense documentation pages, Common
// Crawl-like pages): the bench corpora's pages in one process, for A/B
// comparisons of the step's CPU time. It skips when the flag is not set.
func BenchmarkExtractWARC(b *testing.B) {
	pages, total := benchWARCPages(b)
	opts := DefaultOptions()
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPUSeconds()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			if _, err := Extract(p.body, p.contentType, opts); err != nil && err != ErrBinary {
				b.Fatal(err)
			}
		}
	}
	reportDocs(b, len(pages), total, cpu0)
}

// BenchmarkScanUTF8WARC runs the UTF-8 check and count of charset
// detection (scanUTF8) alone over the pages of -extract.warc.
func BenchmarkScanUTF8WARC(b *testing.B) {
	pages, total := benchWARCPages(b)
	b.SetBytes(total)
	b.ResetTimer()
	cpu0 := processCPUSeconds()
	var multi int
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			multi += scanUTF8(p.body).multi
		}
	}
	reportDocs(b, len(pages), total, cpu0)
	if multi < 0 {
		b.Fatal(multi)
	}
}

// benchWARCPages reads the distinct HTML payloads of -extract.warc; it
// skips the benchmark when the flag is not set.
func benchWARCPages(b *testing.B) (pages []httpPayload, total int64) {
	if *benchWARC == "" {
		b.Skip("-extract.warc not set")
	}
	files, err := filepath.Glob(*benchWARC)
	if err != nil || len(files) == 0 {
		b.Fatalf("-extract.warc %q: no files (%v)", *benchWARC, err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		for _, p := range readHTMLPayloads(b, f) {
			if seen[string(p.body)] { // the bench corpora hold copies
				continue
			}
			seen[string(p.body)] = true
			pages = append(pages, p)
			total += int64(len(p.body))
		}
	}
	return pages, total
}
