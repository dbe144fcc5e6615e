package stats

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/sieve-data/sieve/data"
)

// BenchmarkObserveKept: real documents (75 languages) into a collector,
// with and without the UT1 site-category look-up.
func BenchmarkObserveKept(b *testing.B) {
	for _, sites := range []bool{true, false} {
		name := "sites"
		if !sites {
			name = "no_sites"
		}
		b.Run(name, func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.NoSiteCategories = !sites
			benchmarkObserveKept(b, cfg)
		})
	}
}

func benchmarkObserveKept(b *testing.B, cfg Config) {
	docs := realDocs(b)
	c := NewCollector(cfg)
	if !cfg.NoSiteCategories {
		if _, err := data.UT1(); err != nil { // loaded once per process, not per document
			b.Fatal(err)
		}
	}
	var bytes int64
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for i := 0; i < b.N; i++ {
		d := &docs[i%len(docs)]
		bytes += int64(len(d.Text))
		c.ObserveKept(d)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(bytes)/1e6/b.Elapsed().Seconds(), "MB/s")
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu, "docs/cpu-s")
	}
}

// BenchmarkMergeAndReport: merge 8 task collectors, write the report.
func BenchmarkMergeAndReport(b *testing.B) {
	docs := realDocs(b)
	var parts [8]*Collector
	for i := range parts {
		parts[i] = collect(DefaultConfig(), docs[i*len(docs)/8:(i+1)*len(docs)/8])
	}
	ref, err := LoadReference("testdata/reference-languages.csv")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		total := NewCollector(DefaultConfig())
		for _, p := range parts {
			total.Merge(p)
		}
		if err := WriteReport(filepath.Join(dir, "r"), total, ref); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// cpuSeconds is the process's CPU time: on a shared machine, docs per CPU
// second is the per-core rate however busy the other cores are.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
