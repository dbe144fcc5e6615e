package ingest

import (
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/sieve-data/sieve/ingest/warc/benchinput"
	"github.com/sieve-data/sieve/internal/testdata"
)

var (
	benchOnce sync.Once
	benchIn   *benchinput.Input
	benchErr  error
	benchDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// BenchmarkSource turns a ~64 MB CC-style WARC.gz (real records of the
// shared data, recompressed one member per record, seeded order) into
// documents. MB/s is of decompressed WARC.
func BenchmarkSource(b *testing.B) {
	shared := testdata.Shared(b, "warc")
	benchOnce.Do(func() {
		if benchDir, benchErr = os.MkdirTemp("", "sieve-ingest-bench"); benchErr == nil {
			benchIn, benchErr = benchinput.Build(shared, benchDir, 64<<20, 42)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	in := benchIn
	b.SetBytes(in.UncompressedBytes)
	b.ReportAllocs()
	docs := 0
	start, cpu0 := time.Now(), benchinput.CPUTime()
	for b.Loop() {
		s, err := Open(in.Path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		docs = 0
		for {
			_, err := s.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			docs++
		}
		s.Close()
		if st := s.Stats(); st.Records != int64(in.Records) || st.DamagedCount != 0 {
			b.Fatalf("%d records of %d, damage %v", st.Records, in.Records, st.Damaged)
		}
	}
	sec := time.Since(start).Seconds() / float64(b.N)
	cpu := (benchinput.CPUTime() - cpu0).Seconds() / float64(b.N)
	b.ReportMetric(float64(docs)/sec, "docs/s")
	b.ReportMetric(float64(docs)/cpu, "docs/cpu-s")
	b.ReportMetric(float64(in.UncompressedBytes)/cpu/1e6, "MB/cpu-s")
}
