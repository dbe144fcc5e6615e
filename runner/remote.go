package runner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/sieve-data/sieve/stats"
	"github.com/sieve-data/sieve/storage"
)

// Run executes the pipeline over opts.Inputs. Inputs may be local or
// s3:// locations. With an s3:// OutDir the run works in a local folder
// (one per OUT and task) and uploads each input file's outputs and marker
// as soon as the file is done, so an attempt that starts with an empty
// folder (a new pod, another node) restores them instead of reading the
// file again; the rest is uploaded when the task is done, the completion
// marker last, so a task that dies never leaves a marker over partial
// outputs.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	if !storage.IsRemote(opts.OutDir) {
		return runLocal(ctx, opts, runHooks{})
	}
	remote := opts.OutDir
	if opts.Tasks < 1 {
		opts.Tasks = 1
	}
	if sum, ok := completedTask(ctx, remote, opts); ok {
		return sum, nil
	}
	local := taskFolder(opts.WorkDir, remote, opts.TaskIndex)
	opts.OutDir = local
	// A local completion from an earlier attempt whose upload failed must
	// not stop this attempt from uploading.
	os.Remove(CompletionPath(local, opts.TaskIndex))
	mirror := fileMirror{ctx, storage.NewMirror(remote, local)}
	if err := mirror.restore(opts.Inputs); err != nil {
		return nil, fmt.Errorf("restoring finished files from %s: %w", remote, err)
	}
	sum, err := runLocal(ctx, opts, runHooks{
		afterFile:        mirror.uploadFile,
		beforeCompletion: func(sum *Summary) error { return publish(ctx, mirror.Mirror, sum) },
	})
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(completion{Task: opts.TaskIndex, Tasks: opts.Tasks, Inputs: len(opts.Inputs),
		Stats: sum.StatsPath, Shards: sum.ShardFiles, Documents: sum.Documents, Export: sum.export})
	if err != nil {
		return nil, err
	}
	if err := storage.WriteFile(ctx, storage.Join(remote, completionsDir, fmt.Sprintf("%05d", opts.TaskIndex)), b); err != nil {
		return nil, err
	}
	// The completion marker is what counts now; the per-file markers and
	// stage-1 shards on the remote are only clutter, removed best effort.
	mirror.removeWork(opts.Inputs)
	return sum, nil
}

// taskFolder is the local folder a task with a remote OUT works in: one per
// OUT and task under base (default: the temp folder), so tasks sharing a
// node and a SIEVE_WORK_DIR never share a folder, and a retry on the same
// node finds its predecessor's folder.
func taskFolder(base, remote string, task int) string {
	if base == "" {
		base = os.TempDir()
	}
	h := sha256.Sum256([]byte(remote))
	return filepath.Join(base, fmt.Sprintf("sieve-%s-task%05d", hex.EncodeToString(h[:6]), task))
}

// completedTask reports a task whose completion marker is in out (local or
// s3://) already, for the same number of inputs.
func completedTask(ctx context.Context, out string, opts Options) (*Summary, bool) {
	b, err := storage.ReadFile(ctx, storage.Join(out, completionsDir, fmt.Sprintf("%05d", opts.TaskIndex)))
	if err != nil {
		return nil, false
	}
	var c completion
	if json.Unmarshal(b, &c) != nil || c.Inputs != len(opts.Inputs) {
		return nil, false
	}
	sb, err := storage.ReadFile(ctx, c.Stats)
	if err != nil {
		return nil, false
	}
	col := stats.NewCollector(stats.DefaultConfig())
	if json.Unmarshal(sb, col) != nil {
		return nil, false
	}
	return &Summary{Stats: col, AlreadyComplete: true, StatsPath: c.Stats, Documents: c.Documents,
		ShardFiles: c.Shards, Damaged: col.DamagedCount()}, true
}

// publish uploads a finished task's outputs (everything but work/, the
// completion markers and what the mirror holds on the remote already) and
// points the summary there.
func publish(ctx context.Context, m *storage.Mirror, sum *Summary) error {
	if err := m.Publish(ctx, workDir, completionsDir); err != nil {
		return err
	}
	toRemote := func(p string) string {
		rel, _ := filepath.Rel(m.Local, p)
		return m.RemotePath(filepath.ToSlash(rel))
	}
	for i, f := range sum.ShardFiles {
		sum.ShardFiles[i] = toRemote(f)
	}
	sum.StatsPath = toRemote(sum.StatsPath)
	if sum.ReportDir != "" {
		sum.ReportDir = m.Remote
	}
	return nil
}

// fileMirror keeps a remote OUT in step with the local folder a task works
// in, input file by input file, through a storage.Mirror. On the remote a
// marker names its files relative to OUT (the local folder differs
// between attempts); locally it names them by absolute path, as the local
// resume expects.
type fileMirror struct {
	ctx context.Context
	*storage.Mirror
}

// uploadFile uploads one finished input file's shards, then its marker:
// a marker on the remote always names files that are there. It runs on
// the file worker goroutines; the mirror is safe for concurrent use.
func (m fileMirror) uploadFile(markerPath string, fm *fileMarker) error {
	markerRel, err := m.Rel(markerPath)
	if err != nil {
		return err
	}
	if m.Synced(markerRel) {
		return nil // restored from the remote: everything is there
	}
	rm := *fm
	upload := func(paths []string) ([]string, error) {
		var rels []string
		for _, p := range paths {
			rel, err := m.Rel(p)
			if err != nil {
				return nil, err
			}
			if err := m.Put(m.ctx, rel); err != nil {
				return nil, err
			}
			rels = append(rels, rel)
		}
		return rels, nil
	}
	if rm.Shards, err = upload(fm.Shards); err != nil {
		return err
	}
	if rm.Removed, err = upload(fm.Removed); err != nil {
		return err
	}
	b, err := json.Marshal(rm)
	if err != nil {
		return err
	}
	return m.PutBytes(m.ctx, markerRel, b)
}

// restore brings the input files that an earlier attempt finished and
// uploaded back into the local folder: their shards at the same relative
// paths, then their markers with local paths, so the local resume skips
// them. A marker for another input, or naming a file that is gone from
// the remote, is passed over: that file is simply done again.
func (m fileMirror) restore(inputs []InputFile) error {
	rels, err := m.List(m.ctx, path.Join(workDir, "files"))
	if err != nil {
		return err
	}
	byName := make(map[string]InputFile, len(inputs))
	for _, f := range inputs {
		byName[fmt.Sprintf("%06d.json", f.Index)] = f
	}
	for _, markerRel := range rels {
		name := path.Base(markerRel)
		f, ok := byName[name]
		if !ok || markerRel != path.Join(workDir, "files", name) {
			continue
		}
		b, err := storage.ReadFile(m.ctx, m.RemotePath(markerRel))
		if err != nil {
			return err
		}
		var fm fileMarker
		if json.Unmarshal(b, &fm) != nil || fm.Stats == nil || fm.Path != f.Path || fm.Size != f.Size {
			continue
		}
		lm := fm
		var fetched []string
		ok = true
		fetch := func(rels []string) []string {
			var paths []string
			for _, rel := range rels {
				if !ok {
					return nil
				}
				if !filepath.IsLocal(filepath.FromSlash(rel)) {
					ok = false // not written by this program
					return nil
				}
				p, err := m.Get(m.ctx, rel)
				if err != nil {
					ok = false
					return nil
				}
				fetched = append(fetched, rel)
				paths = append(paths, p)
			}
			return paths
		}
		lm.Shards = fetch(fm.Shards)
		lm.Removed = fetch(fm.Removed)
		if !ok {
			continue
		}
		if err := writeJSONAtomic(m.LocalPath(markerRel), lm); err != nil {
			return err
		}
		m.MarkSynced(append(fetched, markerRel)...)
	}
	return nil
}

// removeWork deletes, best effort, this task's objects under OUT/work/ on
// the remote: the markers and stage-1 shards of its inputs, whose names
// start with the input's index. Other tasks' objects are left alone.
func (m fileMirror) removeWork(inputs []InputFile) {
	mine := make(map[string]bool, len(inputs))
	for _, f := range inputs {
		mine[fmt.Sprintf("%06d", f.Index)] = true
	}
	m.RemoveRemote(m.ctx, workDir, func(rel string) bool {
		name := path.Base(rel)
		i := strings.IndexAny(name, "-.")
		return i > 0 && mine[name[:i]]
	})
}
