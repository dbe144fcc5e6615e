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
	// Replaced names the Arrow shards (file names in the shards folder)
	// that finalize exported to the run's final format (see
	// completion.Export); they and the Arrow datasets metadata beside
	// them are to go once the exported shards are in place. Finalize
	// removes them itself for a local folder.
	Replaced []string
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
	var export *finalFormat // the final format the tasks left to finalize
	for i := 0; i < res.Tasks; i++ {
		b, err := os.ReadFile(CompletionPath(out, i))
		if err != nil {
			return nil, fmt.Errorf("task %d of %d has not completed (no %s)", i, res.Tasks, CompletionPath(out, i))
		}
		// A marker that is not a completion of this program's (empty,
		// say) still says the task completed; it asks for no export.
		var c completion
		if json.Unmarshal(b, &c) == nil && c.Export != nil {
			export = c.Export
		}
	}
	if dir == "" {
		dir = filepath.Join(out, shardsDir)
	}
	local := src == nil
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

	if export != nil {
		src.Names = withoutExported(src.Names)
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
		if export != nil && isArrow {
			// The tasks left the final format to finalize: export the
			// staged dedup's Arrow survivors to it, counting them (with
			// their cluster sizes) on the way.
			dst := filepath.Join(dir, strings.TrimSuffix(name, ".arrow")+shard.Suffix(export.Format, export.Compression))
			m, err := output{format: export.Format, compression: export.Compression}.exportOne(p, dst, kept)
			done()
			if err != nil {
				return nil, err
			}
			n += m
			res.Shards = append(res.Shards, dst)
			res.Replaced = append(res.Replaced, name)
			continue
		}
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
				m, err = observeShards([]string{p}, kept, 1)
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
	if local && len(res.Replaced) > 0 {
		for _, name := range append(res.Replaced, shard.StateFileName, shard.DatasetInfoFileName) {
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, err
			}
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
// final shards in that format) through the dataset reader. It does not
// see the dedup cluster sizes (nested in JSONL's metadata object): a
// finalize run again after it exported the staged dedup's survivors to
// JSONL leaves them out of stats.json.
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

// withoutExported drops the shards a killed finalize exported already
// from the Arrow shards still beside them: they are exported again.
func withoutExported(names []string) []string {
	arrow := map[string]bool{}
	for _, n := range names {
		if stem, ok := strings.CutSuffix(n, ".arrow"); ok {
			arrow[stem] = true
		}
	}
	var out []string
	for _, n := range names {
		if i := strings.IndexByte(n, '.'); strings.HasSuffix(n, ".arrow") || i < 0 || !arrow[n[:i]] {
			out = append(out, n)
		}
	}
	return out
}
