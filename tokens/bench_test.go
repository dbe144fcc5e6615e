package tokens

import (
	"syscall"
	"testing"

	"github.com/sieve-data/sieve/pipeline"
	"github.com/tiktoken-go/tokenizer"
)

func benchTexts(b *testing.B, f func(string) int) {
	texts := realTexts(b)
	var bytes int64
	for _, s := range texts {
		bytes += int64(len(s))
	}
	b.ResetTimer()
	cpu0 := cpuSeconds()
	var n int64
	for i := 0; i < b.N; i++ {
		s := texts[i%len(texts)]
		n += int64(len(s))
		f(s)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(n)/1e6/b.Elapsed().Seconds(), "MB/s")
	// The machine is shared: docs per CPU second is the per-core rate
	// however busy the other cores are.
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu, "docs/cpu-s")
	}
}

// BenchmarkCount: real ~2 KB documents in 75 languages plus web pages.
func BenchmarkCount(b *testing.B) {
	c := counter(b)
	benchTexts(b, c.Count)
}

// BenchmarkReference is tiktoken-go/tokenizer's encoder on the same input.
func BenchmarkReference(b *testing.B) {
	reference(b)
	benchTexts(b, func(s string) int { n, _ := refCodec.Count(s); return n })
}

func BenchmarkStep(b *testing.B) {
	s, err := NewStep(DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	var m pipeline.Metrics
	benchTexts(b, func(t string) int {
		d := pipeline.Document{Text: t}
		s.Process(&d, &m)
		return int(d.TokenCount)
	})
}

// cpuSeconds is the process's user and system CPU time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// BenchmarkCountPages: the readability test pages' expected texts (real
// web articles, mostly English, some French, German, Chinese, Japanese).
func BenchmarkCountPages(b *testing.B) { benchPages(b, counter(b).Count) }

// BenchmarkReferencePages is tiktoken-go/tokenizer on the same pages.
func BenchmarkReferencePages(b *testing.B) {
	reference(b)
	benchPages(b, func(s string) int { n, _ := refCodec.Count(s); return n })
}

func benchPages(b *testing.B, count func(string) int) {
	texts := pageTexts(b)
	var size int64
	for _, s := range texts {
		size += int64(len(s))
	}
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for i := 0; i < b.N; i++ {
		count(texts[i%len(texts)])
	}
	mb := float64(size) / float64(len(texts)) * float64(b.N) / 1e6
	b.ReportMetric(mb/b.Elapsed().Seconds(), "MB/s")
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(mb/cpu, "MB/cpu-s")
		// in units of the 2 KB documents the target is stated in
		b.ReportMetric(mb*1e6/2048/cpu, "2KB-docs/cpu-s")
	}
}

// BenchmarkNewTables: building the token and pair tables from the id list,
// which every process does once (start-up). The id list itself needs the
// library's map literal, built once per process, so it is built outside
// the loop.
func BenchmarkNewTables(b *testing.B) {
	byID, err := loadTokens(tokenizer.Cl100kBase, cl100kSize)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		tt, err := newTokenTable(byID)
		if err != nil {
			b.Fatal(err)
		}
		newPairTable(byID, tt)
	}
}
