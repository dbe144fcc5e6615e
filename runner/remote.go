package runner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

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
	mirror := newRemoteMirror(ctx, local, remote)
	if err := mirror.restore(opts.Inputs); err != nil {
		return nil, fmt.Errorf("restoring finished files from %s: %w", remote, err)
	}
	sum, err := runLocal(ctx, opts, runHooks{
		afterFile:        mirror.uploadFile,
		beforeCompletion: func(sum *Summary) error { return publish(ctx, local, remote, sum, mirror.uploaded) },
	})
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(completion{Task: opts.TaskIndex, Tasks: opts.Tasks, Inputs: len(opts.Inputs),
		Stats: sum.StatsPath, Shards: sum.ShardFiles, Documents: sum.Documents})
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
// completion marker and what uploaded reports on the remote already) from
// local to remote and points the summary there.
func publish(ctx context.Context, local, remote string, sum *Summary, uploaded func(rel string) bool) error {
	toRemote := func(p string) string {
		rel, _ := filepath.Rel(local, p)
		return storage.Join(remote, filepath.ToSlash(rel))
	}
	err := filepath.WalkDir(local, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(local, p)
		top := strings.Split(filepath.ToSlash(rel), "/")[0]
		if d.IsDir() {
			if top == workDir || top == completionsDir {
				return filepath.SkipDir
			}
			return nil
		}
		// Temporary files of a killed attempt in a reused folder: shard
		// writers end theirs in .tmp, storage.WriteFile marks its own.
		if strings.HasSuffix(p, ".tmp") || strings.Contains(d.Name(), ".sieve-tmp-") || uploaded(filepath.ToSlash(rel)) {
			return nil
		}
		return storage.Upload(ctx, p, toRemote(p))
	})
	if err != nil {
		return fmt.Errorf("uploading outputs to %s: %w", remote, err)
	}
	for i, f := range sum.ShardFiles {
		sum.ShardFiles[i] = toRemote(f)
	}
	sum.StatsPath = toRemote(sum.StatsPath)
	if sum.ReportDir != "" {
		sum.ReportDir = remote
	}
	return nil
}

// remoteMirror keeps a remote OUT in step with the local folder a task
// works in, input file by input file. On the remote a marker names its
// files relative to OUT (the local folder differs between attempts);
// locally it names them by absolute path, as the local resume expects.
type remoteMirror struct {
	ctx           context.Context
	local, remote string

	mu   sync.Mutex
	done map[string]bool // slash-separated paths under OUT that are on the remote as they are locally
}

func newRemoteMirror(ctx context.Context, local, remote string) *remoteMirror {
	return &remoteMirror{ctx: ctx, local: local, remote: remote, done: map[string]bool{}}
}

// uploaded reports whether rel (slash-separated, under OUT) is on the
// remote already, uploaded or restored by this attempt.
func (m *remoteMirror) uploaded(rel string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.done[rel]
}

func (m *remoteMirror) setUploaded(rel string) {
	m.mu.Lock()
	m.done[rel] = true
	m.mu.Unlock()
}

// relative turns a local path inside the task folder into a slash-separated
// path under OUT.
func (m *remoteMirror) relative(p string) (string, error) {
	rel, err := filepath.Rel(m.local, p)
	if err != nil || !filepath.IsLocal(rel) {
		return "", fmt.Errorf("%s is outside the task folder %s", p, m.local)
	}
	return filepath.ToSlash(rel), nil
}

// uploadFile uploads one finished input file's shards, then its marker:
// a marker on the remote always names files that are there. It runs on
// the file worker goroutines; storage is safe for concurrent use.
func (m *remoteMirror) uploadFile(markerPath string, fm *fileMarker) error {
	markerRel, err := m.relative(markerPath)
	if err != nil {
		return err
	}
	if m.uploaded(markerRel) {
		return nil // restored from the remote: everything is there
	}
	rm := *fm
	upload := func(paths []string) ([]string, error) {
		var rels []string
		for _, p := range paths {
			rel, err := m.relative(p)
			if err != nil {
				return nil, err
			}
			if !m.uploaded(rel) {
				if err := storage.Upload(m.ctx, p, storage.Join(m.remote, rel)); err != nil {
					return nil, err
				}
				m.setUploaded(rel)
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
	if err := storage.WriteFile(m.ctx, storage.Join(m.remote, markerRel), b); err != nil {
		return err
	}
	m.setUploaded(markerRel)
	return nil
}

// restore brings the input files that an earlier attempt finished and
// uploaded back into the local folder: their shards at the same relative
// paths, then their markers with local paths, so the local resume skips
// them. A marker for another input, or naming a file that is gone from
// the remote, is passed over: that file is simply done again.
func (m *remoteMirror) restore(inputs []InputFile) error {
	entries, err := storage.List(m.ctx, storage.Join(m.remote, workDir, "files")+"/")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	byName := make(map[string]InputFile, len(inputs))
	for _, f := range inputs {
		byName[fmt.Sprintf("%06d.json", f.Index)] = f
	}
	for _, e := range entries {
		name := path.Base(e.Loc)
		f, ok := byName[name]
		if !ok {
			continue
		}
		b, err := storage.ReadFile(m.ctx, e.Loc)
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
				p, err := m.download(rel)
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
		markerRel := path.Join(workDir, "files", name)
		if err := writeJSONAtomic(filepath.Join(m.local, filepath.FromSlash(markerRel)), lm); err != nil {
			return err
		}
		for _, rel := range fetched {
			m.setUploaded(rel)
		}
		m.setUploaded(markerRel)
	}
	return nil
}

// download copies OUT/rel from the remote into the local folder, unless a
// local copy of the same size is there already, and returns its local path.
func (m *remoteMirror) download(rel string) (string, error) {
	p := filepath.Join(m.local, filepath.FromSlash(rel))
	loc := storage.Join(m.remote, rel)
	size, err := storage.Stat(m.ctx, loc)
	if err != nil {
		return "", err
	}
	if st, err := os.Stat(p); err == nil && st.Size() == size {
		return p, nil
	}
	return p, storage.Download(m.ctx, loc, p)
}

// removeWork deletes, best effort, this task's objects under OUT/work/ on
// the remote: the markers and stage-1 shards of its inputs, whose names
// start with the input's index. Other tasks' objects are left alone.
func (m *remoteMirror) removeWork(inputs []InputFile) {
	mine := make(map[string]bool, len(inputs))
	for _, f := range inputs {
		mine[fmt.Sprintf("%06d", f.Index)] = true
	}
	entries, err := storage.List(m.ctx, storage.Join(m.remote, workDir)+"/")
	if err != nil {
		return
	}
	for _, e := range entries {
		name := path.Base(e.Loc)
		if i := strings.IndexAny(name, "-."); i > 0 && mine[name[:i]] {
			storage.Remove(m.ctx, e.Loc)
		}
	}
}
