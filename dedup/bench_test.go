package dedup

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// docs2KB cuts real English prose into documents of about 2 KB.
func docs2KB(b *testing.B) []string {
	base := sentenceDocs(b, []string{"en", "de", "fr"}, 1)
	var docs []string
	var cur strings.Builder
	for _, d := range base {
		cur.WriteString(d.text)
		cur.WriteByte(' ')
		if cur.Len() >= 2048 {
			docs = append(docs, cur.String())
			cur.Reset()
		}
	}
	return docs
}

// BenchmarkSignatures measures one core: normalise, shingle, 112
// permutations, 14 band keys and the sketch, per ~2 KB document.
func BenchmarkSignatures(b *testing.B) {
	docs := docs2KB(b)
	cfg := DefaultConfig()
	sp := layoutFor(cfg, false)
	k := newKeyer(cfg, sp)
	keys := make([]uint64, sp.n)
	valid := make([]bool, sp.n)
	sketch := make([]byte, sp.perms)
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d))
	}
	b.SetBytes(bytes / int64(len(docs)))
	b.ReportAllocs()
	cpu0 := cpuSeconds()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k.docKeys(docs[i%len(docs)], "", false, keys, valid, sketch)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	// The machine is shared: docs per CPU-second is the per-core rate
	// whatever else runs.
	b.ReportMetric(float64(b.N)/(cpuSeconds()-cpu0), "docs/cpu-s")
}

// syntheticCorpus writes n documents of about size bytes each, made of
// real words in random order; one in ten is a near copy (2% word edits)
// of an earlier one.
func syntheticCorpus(b testing.TB, dir string, n, size, shards int) []string {
	vocab := wordsOf(sentenceDocs(b, []string{"en"}, 1))
	rng := rand.New(rand.NewPCG(5, 6))
	per := (n + shards - 1) / shards
	var paths []string
	recent := make([]string, 0, 64)
	for s := 0; s < shards; s++ {
		var docs []testDoc
		for i := s * per; i < min(n, (s+1)*per); i++ {
			var text string
			if len(recent) > 0 && rng.IntN(10) == 0 {
				text = editText(rng, recent[rng.IntN(len(recent))], 0.02, vocab)
			} else {
				var sb strings.Builder
				for sb.Len() < size {
					sb.WriteString(vocab[rng.IntN(len(vocab))])
					sb.WriteByte(' ')
				}
				text = sb.String()
				if len(recent) < cap(recent) {
					recent = append(recent, text)
				} else {
					recent[rng.IntN(len(recent))] = text
				}
			}
			docs = append(docs, testDoc{id: strconv.Itoa(i), text: text})
		}
		p := filepath.Join(dir, fmt.Sprintf("s%03d.arrow", s))
		writeTestShard(b, p, docs, false, 8192)
		paths = append(paths, p)
	}
	return paths
}

// BenchmarkDedupShards runs the one-process mode end to end over
// SIEVE_DEDUP_BENCH_DOCS synthetic documents (default 1,000,000 of ~600
// bytes; run with -benchtime=1x) and reports docs/s, index bytes per
// document and the process's peak RSS.
func BenchmarkDedupShards(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("SIEVE_DEDUP_BENCH_DOCS")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	t0 := time.Now()
	inputs := syntheticCorpus(b, dir, n, 600, 8)
	b.Logf("wrote %d synthetic documents in %.1fs", n, time.Since(t0).Seconds())
	var inBytes int64
	for _, p := range inputs {
		st, _ := os.Stat(p)
		inBytes += st.Size()
	}
	b.ResetTimer()
	var res *Result
	for i := 0; i < b.N; i++ {
		var err error
		res, err = DedupShards(context.Background(), inputs, filepath.Join(dir, fmt.Sprintf("out%d", i)), DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(inBytes)
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(res.Stats.IndexBytesPerDoc, "index-B/doc")
	b.ReportMetric(float64(peakRSS())/1e6, "peak-RSS-MB")
	b.Logf("%d docs on GOMAXPROCS=%d: removed %d, index %.1f MB (%.1f B/doc), peak RSS %.0f MB",
		n, runtime.GOMAXPROCS(0), res.Stats.Removed, float64(res.Stats.IndexBytes)/1e6, res.Stats.IndexBytesPerDoc, float64(peakRSS())/1e6)
}

// cpuSeconds is the process's user + system CPU time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// peakRSS reads VmHWM from /proc/self/status (Linux), in bytes.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// BenchmarkClusterPairs measures the clustering stage's core: reading a
// self-verifying pairs file and union-find, over SIEVE_DEDUP_BENCH_PAIRS
// random pairs (default 10 million) among twice as many documents.
func BenchmarkClusterPairs(b *testing.B) {
	pairs := 10_000_000
	if v, err := strconv.Atoi(os.Getenv("SIEVE_DEDUP_BENCH_PAIRS")); err == nil && v > 0 {
		pairs = v
	}
	docs := uint64(2 * pairs)
	p := filepath.Join(b.TempDir(), "pairs")
	w, err := createChecked(p, kindPairs, 16)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	var buf [16]byte
	for range pairs {
		a, c := rng.Uint64N(docs), rng.Uint64N(docs)
		binary.LittleEndian.PutUint64(buf[0:], min(a, c))
		binary.LittleEndian.PutUint64(buf[8:], max(a, c))
		w.record(buf[:])
	}
	if err := w.close(); err != nil {
		b.Fatal(err)
	}
	cpu0 := cpuSeconds()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var l linkSet
		l.grow(int(docs))
		r, err := openChecked(p, kindPairs, 16)
		if err != nil {
			b.Fatal(err)
		}
		for {
			err := r.next(buf[:])
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			l.link(uint32(binary.LittleEndian.Uint64(buf[0:])), uint32(binary.LittleEndian.Uint64(buf[8:])), 3)
		}
		r.close()
	}
	b.StopTimer()
	perPair := b.Elapsed().Seconds() / float64(b.N) / float64(pairs)
	cpuPerPair := (cpuSeconds() - cpu0) / float64(b.N) / float64(pairs)
	b.ReportMetric(1/perPair, "pairs/s")
	b.ReportMetric(perPair*1e8, "s/100M-pairs")
	b.ReportMetric(cpuPerPair*1e8, "cpu-s/100M-pairs")
}

// BenchmarkDedupShardsDir runs the one-process mode (default config, one
// worker) over the Arrow shards in SIEVE_DEDUP_BENCH_SHARDS, for example
// the shards of a run of bench/run's docs corpus with the dedup step left
// out of the pipeline, and reports CPU seconds per run. Skipped when unset.
func BenchmarkDedupShardsDir(b *testing.B) {
	dir := os.Getenv("SIEVE_DEDUP_BENCH_SHARDS")
	if dir == "" {
		b.Skip("SIEVE_DEDUP_BENCH_SHARDS not set")
	}
	inputs, err := filepath.Glob(filepath.Join(dir, "*.arrow"))
	if err != nil || len(inputs) == 0 {
		b.Fatalf("no *.arrow in %s", dir)
	}
	cfg := DefaultConfig()
	cfg.Workers = 1
	out := b.TempDir()
	cpu0 := cpuSeconds()
	b.ResetTimer()
	var res *Result
	for i := 0; i < b.N; i++ {
		res, err = DedupShards(context.Background(), inputs, filepath.Join(out, strconv.Itoa(i)), cfg)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(res.Stats.Documents), "docs")
}
