package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sieve-data/sieve/runner"
	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/stats"
	"github.com/sieve-data/sieve/storage"
)

var finalizeFlags struct {
	shards    string
	reference string
	workDir   string
}

var finalizeCmd = &cobra.Command{
	Use:   "finalize OUT",
	Short: "After a run split into tasks: merge the tasks' stats and write the dataset metadata",
	Long: `Finalize completes a run that was split with --tasks: it merges
OUT/stats-*.json into OUT/stats.json and the report (report.json, report.md,
report.html), counting languages, domains, lengths and tokens from the final
shards (--shards: the staged dedup's output, whose dedup/stats.json beside
it fills the dedup section), and writes the Hugging Face datasets metadata
(state.json, dataset_info.json) for the shards folder, so that
datasets.load_from_disk opens it. It refuses while a task's completion
marker is missing.

OUT and --shards may be s3://bucket/prefix locations: what finalize reads
(the tasks' stats and completion markers, the shards, dedup/stats.json) is
copied to --work-dir first, and what it writes is uploaded back.`,
	Example: `  sieve finalize out
  sieve finalize --shards out-dedup/shards out
  sieve finalize --shards s3://bucket/dedup/shards s3://bucket/run`,
	Args: cobra.ExactArgs(1),
	RunE: func(cmd *cobra.Command, args []string) error {
		ref, err := stats.ResolveReference(finalizeFlags.reference)
		if err != nil {
			return usageError{err}
		}
		ctx, stop := stageContext()
		defer stop()
		res, err := finalizeAnywhere(ctx, args[0], finalizeFlags.shards, finalizeFlags.workDir, ref)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "sieve: merged %d tasks' stats into %s; %d documents in %d shards described for datasets.load_from_disk\n",
			res.Tasks, storage.Join(args[0], "stats.json"), res.Documents, len(res.Shards))
		return nil
	},
}

// finalizeAnywhere runs runner.Finalize, which works on local folders, for
// local or s3:// locations: the small remote inputs (stats, completion
// markers, dedup/stats.json) are mirrored into a local work folder, remote
// shards are fetched into it one at a time while they are counted, and the
// files Finalize writes are uploaded to where they belong (the report and
// stats.json to OUT, the datasets metadata next to the shards). The mirror
// keeps Finalize's layout: the shards folder's parent holds
// dedup/stats.json.
func finalizeAnywhere(ctx context.Context, out, shardsDir, workDir string, ref *stats.Reference) (*runner.FinalizeResult, error) {
	if shardsDir == "" && storage.IsRemote(out) {
		shardsDir = storage.Join(out, "shards")
	}
	if !storage.IsRemote(out) && !storage.IsRemote(shardsDir) {
		return runner.Finalize(out, shardsDir, ref)
	}
	if workDir == "" {
		workDir = os.Getenv("SIEVE_WORK_DIR") // as for sieve dedup
	}
	if workDir == "" {
		workDir = os.TempDir()
	}
	if err := os.MkdirAll(workDir, 0o755); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(workDir, "sieve-finalize-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)

	var mirrors []*mirror
	localOut, localShards := out, shardsDir
	if storage.IsRemote(out) {
		m := &mirror{remote: out, local: filepath.Join(work, "out")}
		if err := m.fetch(ctx, func(rel string) bool {
			return rel == path.Base(rel) && strings.HasPrefix(rel, "stats-") && strings.HasSuffix(rel, ".json") ||
				strings.HasPrefix(rel, "completions/") && !strings.Contains(strings.TrimPrefix(rel, "completions/"), "/")
		}); err != nil {
			return nil, err
		}
		mirrors = append(mirrors, m)
		localOut = m.local
	}
	var src *runner.ShardSource
	if storage.IsRemote(shardsDir) {
		// Mirror the shards folder's parent for the dedup/stats.json
		// beside the shards and the metadata written next to them; the
		// shards themselves are fetched one at a time while counted.
		parent, name := splitRemote(shardsDir)
		m := &mirror{remote: parent, local: filepath.Join(work, "final")}
		if err := m.fetch(ctx, func(rel string) bool { return rel == "dedup/stats.json" }); err != nil {
			return nil, err
		}
		mirrors = append(mirrors, m)
		localShards = filepath.Join(m.local, filepath.FromSlash(name))
		if err := os.MkdirAll(localShards, 0o755); err != nil {
			return nil, err
		}
		if src, err = remoteShards(ctx, shardsDir, filepath.Join(work, "fetch")); err != nil {
			return nil, err
		}
	}
	res, err := runner.FinalizeFrom(localOut, localShards, src, ref)
	if err != nil {
		return nil, err
	}
	for _, m := range mirrors {
		if err := m.publish(ctx); err != nil {
			return nil, err
		}
	}
	if storage.IsRemote(shardsDir) {
		for i, s := range res.Shards {
			res.Shards[i] = storage.Join(shardsDir, filepath.Base(s))
		}
	}
	return res, nil
}

// remoteShards lists the shards (*.arrow, *.parquet, *.jsonl*) directly under dir and fetches
// each into scratch when asked, removing it when it has been read.
func remoteShards(ctx context.Context, dir, scratch string) (*runner.ShardSource, error) {
	prefix := strings.TrimSuffix(dir, "/") + "/"
	es, err := storage.List(ctx, prefix)
	if err != nil {
		return nil, err
	}
	src := &runner.ShardSource{}
	for _, e := range es {
		name, ok := strings.CutPrefix(e.Loc, prefix)
		if ok && !strings.Contains(name, "/") && slices.ContainsFunc(shard.DataSuffixes, func(suf string) bool { return strings.HasSuffix(name, suf) }) {
			src.Names = append(src.Names, name)
		}
	}
	sort.Strings(src.Names)
	src.Fetch = func(name string) (string, func(), error) {
		local := filepath.Join(scratch, name)
		if err := storage.Download(ctx, prefix+name, local); err != nil {
			return "", nil, err
		}
		return local, func() { os.Remove(local) }, nil
	}
	return src, nil
}

// splitRemote splits s3://b/a/shards into s3://b/a and "shards".
func splitRemote(loc string) (parent, name string) {
	loc = strings.TrimSuffix(loc, "/")
	i := strings.LastIndex(loc, "/")
	if i < len("s3://") {
		return loc, ""
	}
	return loc[:i], loc[i+1:]
}

// mirror is a local copy of some objects under a remote prefix; publish
// uploads the files that appeared locally since fetch, and only those.
type mirror struct {
	remote, local string
	fetched       map[string]bool // local paths that came from remote
}

func (m *mirror) fetch(ctx context.Context, want func(rel string) bool) error {
	m.fetched = map[string]bool{}
	prefix := strings.TrimSuffix(m.remote, "/") + "/"
	es, err := storage.List(ctx, prefix)
	if err != nil {
		return err
	}
	for _, e := range es {
		rel, ok := strings.CutPrefix(e.Loc, prefix)
		if !ok || !want(rel) {
			continue
		}
		dst := filepath.Join(m.local, filepath.FromSlash(rel))
		if err := storage.Download(ctx, e.Loc, dst); err != nil {
			return err
		}
		m.fetched[dst] = true
	}
	return os.MkdirAll(m.local, 0o755)
}

func (m *mirror) publish(ctx context.Context) error {
	return filepath.WalkDir(m.local, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || m.fetched[p] || strings.Contains(d.Name(), ".tmp") {
			return err
		}
		rel, err := filepath.Rel(m.local, p)
		if err != nil {
			return err
		}
		return storage.Upload(ctx, p, storage.Join(m.remote, filepath.ToSlash(rel)))
	})
}

func init() {
	finalizeCmd.Flags().StringVar(&finalizeFlags.shards, "shards", "", "shards folder to count and describe (default OUT/shards)")
	finalizeCmd.Flags().StringVar(&finalizeFlags.reference, "reference", "", referenceHelp)
	finalizeCmd.Flags().StringVar(&finalizeFlags.workDir, "work-dir", "", "local folder for copies of s3:// inputs (default: $SIEVE_WORK_DIR, else the temp folder)")
	rootCmd.AddCommand(finalizeCmd)
}
