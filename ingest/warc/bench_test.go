package warc_test

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/sieve-data/sieve/ingest/warc"
	"github.com/sieve-data/sieve/ingest/warc/benchinput"
	"github.com/sieve-data/sieve/internal/testdata"
)

var (
	benchOnce  sync.Once
	benchIn    *benchinput.Input
	benchErr   error
	benchDir   string
	benchBytes = int64(64 << 20) // compressed size of the benchmark file
)

// TestMain removes the benchmark file.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func benchInput(b *testing.B) *benchinput.Input {
	shared := testdata.Shared(b, "warc")
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "sieve-warc-bench")
		if benchErr == nil {
			benchIn, benchErr = benchinput.Build(shared, benchDir, benchBytes, 42)
		}
		if benchErr == nil {
			b.Logf("input: %d records, %d bytes compressed, %d decompressed", benchIn.Records, benchIn.CompressedBytes, benchIn.UncompressedBytes)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchIn
}

// report adds records/s and, because the machine is shared and wall-clock
// rates swing with its load, MB of decompressed WARC per CPU-second
// (cpu is the CPU time spent, for gzip(1) the child's).
func report(b *testing.B, in *benchinput.Input, start time.Time, cpu time.Duration) {
	sec := time.Since(start).Seconds() / float64(b.N)
	b.ReportMetric(float64(in.Records)/sec, "records/s")
	b.ReportMetric(float64(in.UncompressedBytes)*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
}

// BenchmarkReader reads the ~64 MB CC-style file record by record and
// drains every block. MB/s is of decompressed WARC.
func BenchmarkReader(b *testing.B) {
	in := benchInput(b)
	b.Run("sieve", func(b *testing.B) {
		b.SetBytes(in.UncompressedBytes)
		start, cpu0 := time.Now(), benchinput.CPUTime()
		for b.Loop() {
			f, _ := os.Open(in.Path)
			rd, err := warc.NewReader(f)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for {
				rec, err := rd.Next()
				if err != nil {
					break
				}
				if _, ok := rec.Bytes(); !ok {
					io.Copy(io.Discard, rec.Block)
				}
				n++
			}
			f.Close()
			if n != in.Records || len(rd.Damages()) != 0 {
				b.Fatalf("%d records of %d, damages %v", n, in.Records, rd.Damages())
			}
		}
		report(b, in, start, benchinput.CPUTime()-cpu0)
	})
	// The floors: decompression alone, in process and by gzip(1).
	b.Run("klauspost-gunzip-only", func(b *testing.B) {
		b.SetBytes(in.UncompressedBytes)
		start, cpu0 := time.Now(), benchinput.CPUTime()
		for b.Loop() {
			f, _ := os.Open(in.Path)
			zr, _ := gzip.NewReader(bufio.NewReaderSize(f, 256<<10))
			io.Copy(io.Discard, zr)
			f.Close()
		}
		report(b, in, start, benchinput.CPUTime()-cpu0)
	})
	b.Run("gzip-dc", func(b *testing.B) {
		if _, err := exec.LookPath("gzip"); err != nil {
			b.Skip("no gzip")
		}
		b.SetBytes(in.UncompressedBytes)
		start := time.Now()
		var cpu time.Duration
		for b.Loop() {
			cmd := exec.Command("gzip", "-dc", in.Path)
			devNull, _ := os.Create(os.DevNull)
			cmd.Stdout = devNull // a file, so gzip writes straight to it
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
			devNull.Close()
			cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
		report(b, in, start, cpu)
	})
}
