package runner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/sieve-data/sieve/ingest"
	"github.com/sieve-data/sieve/stats"
	"github.com/sieve-data/sieve/storage"
)

// Run executes the pipeline over opts.Inputs. Inputs may be local or
// s3:// locations. With an s3:// OutDir the run works in a local folder
// and uploads its outputs when the task is done, the completion marker
// last, so a task that dies never leaves a marker over partial outputs.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	if !storage.IsRemote(opts.OutDir) {
		return runLocal(ctx, opts, nil)
	}
	remote := opts.OutDir
	if opts.Tasks < 1 {
		opts.Tasks = 1
	}
	if sum, ok := completedTask(ctx, remote, opts); ok {
		return sum, nil
	}
	local := opts.WorkDir
	if local == "" {
		h := sha256.Sum256([]byte(remote))
		local = filepath.Join(os.TempDir(), fmt.Sprintf("sieve-%s-task%05d", hex.EncodeToString(h[:6]), opts.TaskIndex))
	}
	opts.OutDir = local
	// A local completion from an earlier attempt whose upload failed must
	// not stop this attempt from uploading.
	os.Remove(CompletionPath(local, opts.TaskIndex))
	sum, err := runLocal(ctx, opts, func(sum *Summary) error { return publish(ctx, local, remote, sum) })
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
	return sum, nil
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

// publish uploads a finished task's outputs (everything but work/ and the
// completion marker) from local to remote and points the summary there.
func publish(ctx context.Context, local, remote string, sum *Summary) error {
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
		if strings.HasSuffix(p, ".tmp") {
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

// openSource opens a local or s3:// WARC file as a stream of documents.
func openSource(ctx context.Context, loc string, opts ingest.Options) (*inputSource, error) {
	if !storage.IsRemote(loc) {
		s, err := ingest.Open(loc, opts)
		if err != nil {
			return nil, err
		}
		return &inputSource{Source: s}, nil
	}
	rc, err := storage.Open(ctx, loc)
	if err != nil {
		return nil, err
	}
	s, err := ingest.NewSource(rc, loc, opts)
	if err != nil {
		rc.Close()
		return nil, err
	}
	return &inputSource{Source: s, body: rc}, nil
}

// inputSource is an ingest.Source that also closes the object stream it
// reads when the input is remote.
type inputSource struct {
	*ingest.Source
	body io.Closer
}

func (r *inputSource) Close() error {
	err := r.Source.Close()
	if r.body != nil {
		if cerr := r.body.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
