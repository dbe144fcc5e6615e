package runner

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sieve-data/sieve/dedup"
	"github.com/sieve-data/sieve/ingest"
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
	return FinalizeFrom(out, dir, nil, ref)
}

// ShardSource lists the final shards when they are not local files: the
// shards are counted one at a time, each fetched just before it is read
// and released after, so a dump on S3 needs local room for one shard,
// not for all of them.
type ShardSource struct {
	// Names are the shards' file names, in the order they are counted.
	Names []string
	// Fetch makes the named shard readable at a local path; done is
	// called when Finalize has read it.
	Fetch func(name string) (path string, done func(), err error)
}

// FinalizeFrom is Finalize with the final shards taken from src instead of
// the *.arrow files in dir; dir still receives the datasets metadata and
// its parent holds dedup/stats.json. A nil src means dir's files.
func FinalizeFrom(out, dir string, src *ShardSource, ref *stats.Reference) (*FinalizeResult, error) {
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
	if src == nil {
		var files []string
		for _, suffix := range shard.DataSuffixes {
			m, _ := filepath.Glob(filepath.Join(dir, "*"+suffix))
			files = append(files, m...)
		}
		sort.Strings(files)
		src = &ShardSource{Fetch: func(name string) (string, func(), error) {
			return filepath.Join(dir, name), func() {}, nil
		}}
		for _, f := range files {
			src.Names = append(src.Names, filepath.Base(f))
		}
	}

	// The tasks counted what they wrote, before any staged dedup: count
	// the final shards instead. The first shard's schema and format
	// decide the datasets metadata.
	kept := stats.NewCollector(total.Config)
	var n int64
	var meta *shard.DatasetMetadata // nil for file-format shards
	for i, name := range src.Names {
		p, done, err := src.Fetch(name)
		if err != nil {
			return nil, err
		}
		isArrow := strings.HasSuffix(name, ".arrow")
		if i == 0 && isArrow {
			meta, err = datasetMetadataFor(p)
		}
		if err == nil && meta != nil {
			err = meta.Add(p)
		}
		if err == nil {
			var m int64
			// shard.Open reads Parquet too, with the dedup columns
			// (cluster sizes) that the dataset reader leaves to the
			// metadata; JSONL goes through the dataset reader.
			if isArrow || strings.HasSuffix(name, ".parquet") {
				m, err = observeShards([]string{p}, kept)
			} else {
				m, err = observeDataset(p, kept)
			}
			n += m
		}
		done()
		if err != nil {
			return nil, err
		}
		res.Shards = append(res.Shards, filepath.Join(dir, name))
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
	if meta != nil {
		if err := meta.Write(dir); err != nil {
			return nil, err
		}
	}
	res.Stats = total
	return res, nil
}

// datasetMetadataFor starts the datasets metadata with the schema of the
// first shard, or returns nil when it is in the IPC file format (which
// datasets.load_from_disk cannot read, so no metadata is written).
func datasetMetadataFor(path string) (*shard.DatasetMetadata, error) {
	format, err := shard.DetectFormat(path)
	if err != nil || format == shard.FormatFile {
		return nil, err
	}
	r, err := shard.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return shard.NewDatasetMetadata(r.Schema()), nil
}

// observeDataset counts the kept documents of a JSONL shard (a run's
// final shards in that format) through the dataset reader.
func observeDataset(path string, col *stats.Collector) (int64, error) {
	r, err := ingest.OpenTable(ingest.TypeOf(path), path, ingest.TableOptions{})
	if err != nil {
		return 0, err
	}
	defer r.Close()
	var n int64
	for {
		d, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return n, err
		}
		col.ObserveKept(d)
		n++
	}
	if s := r.Stats(); s.DamagedCount > 0 {
		return n, fmt.Errorf("%s: %s", path, s.Damaged[0].Msg)
	}
	return n, nil
}
