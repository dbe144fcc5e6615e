package runner

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/sieve-data/sieve/dedup"
	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/stats"
)

// FinalizeResult says what Finalize merged.
type FinalizeResult struct {
	Tasks     int
	Shards    []string
	Documents int64
	Stats     *stats.Collector
}

// Finalize completes a run split into tasks: it checks that every task
// wrote its completion marker, merges OUT/stats-*.json, and recomputes the
// kept-document tables (languages, domains, lengths, tokens) from the
// final shards in dir (default OUT/shards): the run's own shards, or the output of the
// staged dedup, whose OUT-dedup/dedup/stats.json then fills the dedup
// section. It writes OUT/stats.json, the report, and the datasets metadata
// for shardsDir.
func Finalize(out, dir string, ref *stats.Reference) (*FinalizeResult, error) {
	statsPaths, _ := filepath.Glob(filepath.Join(out, "stats-*.json"))
	if len(statsPaths) == 0 {
		return nil, fmt.Errorf("no stats-*.json in %s: was it written by sieve run --tasks N?", out)
	}
	sort.Strings(statsPaths)
	res := &FinalizeResult{}
	total := stats.NewCollector(stats.DefaultConfig())
	for _, p := range statsPaths {
		c, err := stats.Load(p)
		if err != nil {
			return nil, err
		}
		res.Tasks = max(res.Tasks, c.Run.Tasks)
		total.Merge(c)
	}
	for i := 0; i < res.Tasks; i++ {
		if _, err := os.Stat(CompletionPath(out, i)); err != nil {
			return nil, fmt.Errorf("task %d of %d has not completed (no %s)", i, res.Tasks, CompletionPath(out, i))
		}
	}
	if dir == "" {
		dir = filepath.Join(out, shardsDir)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.arrow"))
	sort.Strings(files)
	res.Shards = files

	// The tasks counted what they wrote, before any staged dedup: count
	// the final shards instead.
	kept := stats.NewCollector(total.Config)
	n, err := observeShards(files, kept)
	if err != nil {
		return nil, err
	}
	total.Kept, total.Languages, total.Domains, total.TLDs = kept.Kept, kept.Languages, kept.Domains, kept.TLDs
	total.Dedup.ClusterSizes = kept.Dedup.ClusterSizes
	res.Documents = n
	if b, err := os.ReadFile(filepath.Join(filepath.Dir(dir), "dedup", "stats.json")); err == nil {
		var ds dedup.Stats
		if err := json.Unmarshal(b, &ds); err != nil {
			return nil, fmt.Errorf("dedup stats: %w", err)
		}
		total.Dedup.DocsIn, total.Dedup.Removed = ds.Documents, ds.RemovedBy
	}
	run := total.Run
	run.Documents = n
	total.SetRun(run)

	if err := total.Save(filepath.Join(out, "stats.json")); err != nil {
		return nil, err
	}
	if err := stats.WriteReport(out, total, ref); err != nil {
		return nil, err
	}
	if len(files) > 0 {
		r, err := shard.Open(files[0])
		if err != nil {
			return nil, err
		}
		schema := r.Schema()
		r.Close()
		if format, _ := shard.DetectFormat(files[0]); format != shard.FormatFile {
			names := make([]string, len(files))
			for i, f := range files {
				names[i] = filepath.Base(f)
			}
			if err := shard.WriteDatasetMetadata(dir, names, schema); err != nil {
				return nil, err
			}
		}
	}
	res.Stats = total
	return res, nil
}
