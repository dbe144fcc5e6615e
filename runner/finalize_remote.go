package runner

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/stats"
	"github.com/sieve-data/sieve/storage"
)

// FinalizeAnywhere runs Finalize, which works on local folders, for
// local or s3:// locations: the small remote inputs (stats, completion
// markers, dedup/stats.json) are mirrored into a local work folder, remote
// shards are fetched into it one at a time while they are counted, and the
// files Finalize writes are uploaded to where they belong (the report and
// stats.json to OUT, the datasets metadata next to the shards). The mirror
// keeps Finalize's layout: the shards folder's parent holds
// dedup/stats.json. workDir is the local scratch folder (default: the
// temp folder).
func FinalizeAnywhere(ctx context.Context, out, shardsDir, workDir string, ref *stats.Reference) (*FinalizeResult, error) {
	if shardsDir == "" && storage.IsRemote(out) {
		shardsDir = storage.Join(out, "shards")
	}
	if !storage.IsRemote(out) && !storage.IsRemote(shardsDir) {
		return Finalize(out, shardsDir, ref)
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

	var mirrors []*storage.Mirror
	localOut, localShards := out, shardsDir
	if storage.IsRemote(out) {
		m := storage.NewMirror(out, filepath.Join(work, "out"))
		if err := m.Fetch(ctx, func(rel string) bool {
			return rel == path.Base(rel) && strings.HasPrefix(rel, "stats-") && strings.HasSuffix(rel, ".json") ||
				strings.HasPrefix(rel, "completions/") && !strings.Contains(strings.TrimPrefix(rel, "completions/"), "/")
		}); err != nil {
			return nil, err
		}
		mirrors = append(mirrors, m)
		localOut = m.Local
	}
	var src *ShardSource
	if storage.IsRemote(shardsDir) {
		// Mirror the shards folder's parent for the dedup/stats.json
		// beside the shards and the metadata written next to them; the
		// shards themselves are fetched one at a time while counted.
		parent, name := splitRemote(shardsDir)
		m := storage.NewMirror(parent, filepath.Join(work, "final"))
		if err := m.Fetch(ctx, func(rel string) bool { return rel == "dedup/stats.json" }); err != nil {
			return nil, err
		}
		mirrors = append(mirrors, m)
		localShards = filepath.Join(m.Local, filepath.FromSlash(name))
		if err := os.MkdirAll(localShards, 0o755); err != nil {
			return nil, err
		}
		if src, err = remoteShards(ctx, shardsDir, filepath.Join(work, "fetch")); err != nil {
			return nil, err
		}
	}
	res, err := FinalizeFrom(localOut, localShards, src, ref)
	if err != nil {
		return nil, err
	}
	for _, m := range mirrors {
		if err := m.Publish(ctx); err != nil {
			return nil, err
		}
	}
	if storage.IsRemote(shardsDir) {
		for i, s := range res.Shards {
			res.Shards[i] = storage.Join(shardsDir, filepath.Base(s))
		}
		// The exported shards are on the remote now: the Arrow shards
		// they replace, and the Arrow datasets metadata, go.
		if len(res.Replaced) > 0 {
			for _, name := range append(res.Replaced, shard.StateFileName, shard.DatasetInfoFileName) {
				if err := storage.Remove(ctx, storage.Join(shardsDir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return nil, err
				}
			}
		}
	}
	return res, nil
}

// remoteShards lists the shards (*.arrow, *.parquet, *.jsonl*) directly under dir and fetches
// each into scratch when asked, removing it when it has been read.
func remoteShards(ctx context.Context, dir, scratch string) (*ShardSource, error) {
	prefix := strings.TrimSuffix(dir, "/") + "/"
	es, err := storage.List(ctx, prefix)
	if err != nil {
		return nil, err
	}
	src := &ShardSource{}
	for _, e := range es {
		name, ok := strings.CutPrefix(e.Loc, prefix)
		if ok && !strings.Contains(name, "/") && slices.ContainsFunc(shard.DataSuffixes, func(suf string) bool { return strings.HasSuffix(name, suf) }) {
			src.Names = append(src.Names, name)
		}
	}
	sort.Strings(src.Names)
	src.Fetch = func(name string) (string, func(), error) {
		// Under its own name: the datasets metadata lists shards by name.
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
