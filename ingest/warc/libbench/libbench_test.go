package libbench

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	iawarc "github.com/internetarchive/gowarc"
	nlwarc "github.com/nlnwa/gowarc/v3"
	"github.com/sieve-data/sieve/ingest/warc"
	"github.com/sieve-data/sieve/ingest/warc/benchinput"
	"github.com/sieve-data/sieve/internal/testdata"
)

// readers returns the number of records each library reads from r before
// it ends or fails, and whether it stopped on an error.
var readers = []struct {
	name string
	read func(r io.Reader) (records int, err error)
}{
	{"sieve", func(r io.Reader) (int, error) {
		rd, err := warc.NewReader(r)
		if err != nil {
			return 0, err
		}
		n := 0
		for {
			rec, err := rd.Next()
			if err == io.EOF {
				return n, nil
			}
			if err != nil {
				return n, err
			}
			if _, ok := rec.Bytes(); !ok {
				io.Copy(io.Discard, rec.Block)
			}
			n++
		}
	}},
	{"internetarchive-gowarc", func(r io.Reader) (int, error) {
		rd, err := iawarc.NewReader(r)
		if err != nil {
			return 0, err
		}
		n := 0
		for {
			rec, err := rd.ReadRecord()
			if err == io.EOF {
				return n, nil
			}
			if err != nil {
				return n, err
			}
			io.Copy(io.Discard, rec.Content)
			rec.Content.Close()
			n++
		}
	}},
	{"nlnwa-gowarc-v3", func(r io.Reader) (int, error) {
		rd, err := nlwarc.NewWarcFileReaderFromStream(r, 0, nlwarc.WithSyntaxErrorPolicy(nlwarc.ErrIgnore), nlwarc.WithSpecViolationPolicy(nlwarc.ErrIgnore))
		if err != nil {
			return 0, err
		}
		n := 0
		for {
			rec, err := rd.Next()
			if err == io.EOF {
				return n, nil
			}
			if err != nil {
				return n, err
			}
			if raw, err := rec.WarcRecord.Block().RawBytes(); err == nil {
				io.Copy(io.Discard, raw)
			}
			rec.WarcRecord.Close()
			n++
		}
	}},
}

var (
	once sync.Once
	in   *benchinput.Input
	dir  string
	berr error
)

func TestMain(m *testing.M) {
	// This module's go.mod hides the repository root from
	// testdata.Shared; point it at ../shared/testdata beside the repository.
	if os.Getenv("SIEVE_SHARED_TESTDATA") == "" {
		os.Setenv("SIEVE_SHARED_TESTDATA", "../../../../shared/testdata")
	}
	code := m.Run()
	if dir != "" {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

func input(b *testing.B) *benchinput.Input {
	shared := testdata.Shared(b, "warc")
	once.Do(func() {
		if dir, berr = os.MkdirTemp("", "sieve-libbench"); berr == nil {
			in, berr = benchinput.Build(shared, dir, 64<<20, 42)
		}
	})
	if berr != nil {
		b.Fatal(berr)
	}
	return in
}

// BenchmarkLibraries reads the ~64 MB CC-style file with each reader.
func BenchmarkLibraries(b *testing.B) {
	in := input(b)
	for _, rd := range readers {
		b.Run(rd.name, func(b *testing.B) {
			b.SetBytes(in.UncompressedBytes)
			b.ReportAllocs()
			start, cpu0 := time.Now(), benchinput.CPUTime()
			for b.Loop() {
				f, _ := os.Open(in.Path)
				n, err := rd.read(f)
				f.Close()
				if err != nil || n != in.Records {
					b.Fatalf("%d of %d records: %v", n, in.Records, err)
				}
			}
			cpu := benchinput.CPUTime() - cpu0
			b.ReportMetric(float64(in.Records)/(time.Since(start).Seconds()/float64(b.N)), "records/s")
			b.ReportMetric(float64(in.UncompressedBytes)*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
			b.ReportMetric(float64(in.Records)*float64(b.N)/cpu.Seconds(), "records/cpu-s")
		})
	}
}

// TestRecovery reads damaged inputs with each reader and logs how many
// records each gets back: the shared malformed files, and a good file with
// garbage in the middle and a corrupted gzip member.
func TestRecovery(t *testing.T) {
	shared := testdata.Shared(t, "warc")
	good, _ := os.ReadFile(filepath.Join(shared, "resiliparse__warcfile.warc.gz"))
	inputs := map[string][]byte{
		"warcfile + garbage + warcfile (100 records)": bytes.Join([][]byte{good, []byte("garbage\x00\xff"), good}, nil),
	}
	corrupt := bytes.Clone(good)
	for i := 20000; i < 20040; i++ { // inside one member in the middle
		corrupt[i] ^= 0x55
	}
	inputs["warcfile with one corrupt member (50 records)"] = corrupt
	files, _ := filepath.Glob(filepath.Join(shared, "malformed", "*"))
	for _, f := range files {
		inputs[filepath.Base(f)], _ = os.ReadFile(f)
	}
	for name, data := range inputs {
		line := name + ":"
		for _, rd := range readers {
			n, err := rd.read(bytes.NewReader(data))
			status := "ok"
			if err != nil {
				status = "error"
			}
			line += fmt.Sprintf("  %s=%d(%s)", rd.name, n, status)
		}
		t.Log(line)
	}
}
