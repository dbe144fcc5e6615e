package dedup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sieve-data/sieve/internal/s3test"
	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/storage"
)

// useS3 starts the real S3 test server, makes bucket "ddb" and points the
// package's storage at it for the rest of the test. It skips (like every
// S3 test) when versitygw is not installed.
func useS3(t testing.TB) *storage.Storage {
	srv, stop := s3test.Start(testdata.RepoRoot(t))
	t.Cleanup(stop)
	srv.Need(t)
	srv.MakeBucket(t, "ddb")
	st := storage.New(storage.Options{Endpoint: srv.Endpoint, Region: srv.Region, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey})
	old := store
	store = func() *storage.Storage { return st }
	t.Cleanup(func() { store = old })
	oldScratch := ScratchDir
	ScratchDir = t.TempDir()
	t.Cleanup(func() { ScratchDir = oldScratch })
	return st
}

// uploadAll copies local files to prefix and returns their locations.
func uploadAll(t testing.TB, st *storage.Storage, paths []string, prefix string) []string {
	var locs []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		loc := prefix + filepath.Base(p)
		if err := st.WriteFile(context.Background(), loc, b); err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	return locs
}

// downloadAll copies the objects under prefix into a local folder and
// returns the local paths of those ending in suffix.
func downloadAll(t testing.TB, st *storage.Storage, prefix, suffix string) []string {
	es, err := st.List(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var out []string
	for _, e := range es {
		if !strings.HasSuffix(e.Loc, suffix) {
			continue
		}
		b, err := st.ReadFile(context.Background(), e.Loc)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.Base(e.Loc))
		os.WriteFile(p, b, 0o644)
		out = append(out, p)
	}
	return out
}

// stagedStats runs the four stages (tasks tasks each) and returns the
// dedup stats they wrote.
func stagedStats(t testing.TB, inputs []string, out string, cfg Config, tasks int) *Stats {
	runStaged(t, inputs, out, cfg, tasks, tasks)
	var st Stats
	if err := readJSON(joinLoc(out, "dedup", "stats.json"), &st); err != nil {
		t.Fatal(err)
	}
	return &st
}

// The staged stages and the one-process mode with inputs, stage files and
// outputs all on S3 give the same rows, removals and counts as on local
// disk, leave no local copies behind, and refuse damaged stage objects.
func TestStagedOnS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an S3 server")
	}
	st := useS3(t)
	local := syntheticCorpus(t, t.TempDir(), 3000, 400, 5)
	remote := uploadAll(t, st, local, "s3://ddb/in/")
	cfg := DefaultConfig()
	cfg.Mode = ModeAll
	cfg.Workers = 2

	localOut := t.TempDir()
	want := stagedStats(t, local, localOut, cfg, 3)
	got := stagedStats(t, remote, "s3://ddb/out", cfg, 3)
	if want.Removed == 0 || got.Removed != want.Removed || got.Documents != want.Documents || !reflect.DeepEqual(got.RemovedBy, want.RemovedBy) {
		t.Fatalf("S3 stats %+v, local %+v", got, want)
	}
	localShards, _ := filepath.Glob(filepath.Join(localOut, "shards", "*.arrow"))
	if g, w := readOutShards(t, downloadAll(t, st, "s3://ddb/out/shards/", ".arrow")), readOutShards(t, localShards); !reflect.DeepEqual(g, w) || len(w) == 0 {
		t.Errorf("S3 kept %d rows, local %d, or other rows", len(g), len(w))
	}
	removed := downloadAll(t, st, "s3://ddb/out/dedup/", "removed.arrow")
	if len(removed) != 1 || !reflect.DeepEqual(readRemoved(t, removed[0]), readRemoved(t, filepath.Join(localOut, "dedup", "removed.arrow"))) {
		t.Error("S3 removed.arrow differs from the local one")
	}

	// The one-process mode writes the same to S3.
	one, err := DedupShards(context.Background(), remote, "s3://ddb/one", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if one.Stats.Removed != want.Removed || one.Shards[0] != "s3://ddb/one/shards/"+filepath.Base(local[0]) {
		t.Errorf("one-process on S3: %+v, shards %v", one.Stats, one.Shards)
	}
	if left, _ := os.ReadDir(ScratchDir); len(left) != 0 {
		t.Errorf("local copies left behind: %v", left)
	}

	// A key file cut short on S3 stops buckets with an error naming it.
	keys := keysPath("s3://ddb/out", 0, 1)
	b, err := st.ReadFile(context.Background(), keys)
	if err != nil {
		t.Fatal(err)
	}
	st.WriteFile(context.Background(), keys, b[:len(b)-1])
	if err := Buckets(context.Background(), "s3://ddb/out", 1, 0); err == nil || !strings.Contains(err.Error(), keys) {
		t.Errorf("buckets over a truncated S3 key file: %v", err)
	}
	// A missing manifest is "not finished", not a crash.
	if err := st.Remove(context.Background(), manifestPath("s3://ddb/out", 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := Clusters(context.Background(), "s3://ddb/out"); err == nil || !strings.Contains(err.Error(), "task 2 of 3 not finished") {
		t.Errorf("clusters without task 2's manifest: %v", err)
	}
}

// BenchmarkStagedOnS3 runs the four stages (2 tasks each, one after the
// other) over 20,000 synthetic ~600-byte documents in 4 shards, on local
// disk and on the S3 test server on loopback, and reports docs/s and
// input MB/s, so the cost of going through S3 is visible.
func BenchmarkStagedOnS3(b *testing.B) {
	st := useS3(b)
	local := syntheticCorpus(b, b.TempDir(), 20000, 600, 4)
	remote := uploadAll(b, st, local, "s3://ddb/in/")
	var size int64
	for _, p := range local {
		fi, _ := os.Stat(p)
		size += fi.Size()
	}
	cfg := DefaultConfig()
	for _, c := range []struct {
		name   string
		inputs []string
		out    func(i int) string
	}{
		{"local", local, func(i int) string { return filepath.Join(b.TempDir(), fmt.Sprint(i)) }},
		{"s3", remote, func(i int) string { return fmt.Sprintf("s3://ddb/bench-%d-%d", i, time.Now().UnixNano()) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(size)
			for i := 0; i < b.N; i++ {
				runStaged(b, c.inputs, c.out(i), cfg, 2, 2)
			}
			b.ReportMetric(float64(20000*b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
