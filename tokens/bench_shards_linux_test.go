package tokens

import (
	"flag"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sieve-data/sieve/shard"
)

var benchShards = flag.String("tokens.shards", "", "glob of Arrow shards whose texts BenchmarkCountShards counts (e.g. a run's extract output)")

// shardTexts reads the texts of the shards named by -tokens.shards, in
// file order; it skips the benchmark when the flag is not set.
func shardTexts(b *testing.B) []string {
	b.Helper()
	if *benchShards == "" {
		b.Skip("set -tokens.shards to a glob of Arrow shards")
	}
	files, err := filepath.Glob(*benchShards)
	if err != nil || len(files) == 0 {
		b.Fatalf("-tokens.shards %q: no files (%v)", *benchShards, err)
	}
	var texts []string
	for _, f := range files {
		docs, err := shard.ReadDocuments(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range docs {
			texts = append(texts, d.Text)
		}
	}
	return texts
}

// BenchmarkCountShards counts the texts of real shards (a pipeline run's
// output, say the docs corpus's extracted pages) in file order, each pass
// with empty piece caches, as a run starts, and the core's caches swept
// between documents as the other steps of a run do (see
// BenchmarkCountMixCold). Only Count is timed, by the thread's CPU clock.
func BenchmarkCountShards(b *testing.B) {
	texts := shardTexts(b)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	shared := counter(b)
	var size int64
	for _, s := range texts {
		size += int64(len(s))
	}
	sweep := make([]byte, 6<<20)
	var sink byte
	b.ResetTimer()
	var cpu, n int64
	for i := 0; i < b.N; i++ {
		c := &Counter{encoding: shared.encoding, tokens: shared.tokens, pairs: shared.pairs}
		c.scratch.New = func() any { return &scratch{cache: newPieceCache()} }
		for _, s := range texts {
			for j := 0; j < len(sweep); j += 64 {
				sink ^= sweep[j]
				sweep[j] = sink
			}
			t0 := threadCPU()
			c.Count(s)
			cpu += threadCPU() - t0
		}
		n += size
	}
	b.ReportMetric(float64(cpu)/1e9/float64(b.N), "cpu-s/pass")
	b.ReportMetric(float64(cpu)/1e3/(float64(n)/1e3), "cpu-µs/KB")
}
