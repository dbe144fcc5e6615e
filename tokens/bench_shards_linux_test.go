package tokens

import (
	"flag"
	"path/filepath"
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
// output, say the docs corpus's extracted pages) in file order, as
// BenchmarkCountMixCold counts its documents: each pass with empty piece
// caches, as a run starts, and the core's caches swept between documents
// as the other steps of a run do.
func BenchmarkCountShards(b *testing.B) {
	countCold(b, shardTexts(b))
}
