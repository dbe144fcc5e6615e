package main

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/internal/s3test"
	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/storage"
)

// startS3 starts the real S3 test server with one bucket (skipping the
// test when versitygw is not installed) and returns the repository root, the
// server (for a sieve process's environment) and a Storage pointing at it.
func startS3(t *testing.T, bucket string) (root string, srv *s3test.Server, st *storage.Storage) {
	t.Helper()
	root = testdata.RepoRoot(t)
	srv, stop := s3test.Start(root)
	t.Cleanup(stop)
	srv.Need(t)
	srv.MakeBucket(t, bucket)
	return root, srv, storage.New(storage.Options{Endpoint: srv.Endpoint, Region: srv.Region, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey})
}

// sieve run reads WARCs from a real S3 server and writes its shards, stats
// and completion marker there; the rows equal a local run's, and a second
// run finds the task complete on S3.
func TestRunOnS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an S3 server")
	}
	root, srv, st := startS3(t, "crawl")
	ctx := context.Background()
	sample := filepath.Join(root, "testdata", "sample")
	files, _ := filepath.Glob(filepath.Join(sample, "*.warc*"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		w, err := st.Create(ctx, "s3://crawl/in/"+filepath.Base(f))
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
	}

	pipe := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(pipe, []byte("name: t\nsteps:\n  - extract: {}\n  - dedup: {}\n"), 0o644)
	local := filepath.Join(t.TempDir(), "local")
	if b, err := sieveCmd(t, "run", "-q", "--pipeline", pipe, "-o", local, sample).CombinedOutput(); err != nil {
		t.Fatalf("local run: %v\n%s", err, b)
	}
	runS3 := func() string {
		cmd := sieveCmd(t, "run", "-q", "--pipeline", pipe, "--work-dir", filepath.Join(t.TempDir(), "w"), "-o", "s3://crawl/out", "s3://crawl/in/")
		cmd.Env = append(cmd.Env, srv.Env()...)
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("s3 run: %v\n%s", err, b)
		}
		return string(b)
	}
	runS3()

	entries, err := st.List(ctx, "s3://crawl/out/")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var shards []string
	for _, e := range entries {
		rel := strings.TrimPrefix(e.Loc, "s3://crawl/out/")
		names = append(names, rel)
		if strings.HasPrefix(rel, "shards/") && strings.HasSuffix(rel, ".arrow") {
			shards = append(shards, e.Loc)
		}
	}
	for _, want := range []string{"completions/00000", "stats.json", "report.html", "shards/state.json", "dedup/removed.arrow"} {
		if !contains(names, want) {
			t.Fatalf("%s missing on S3; have %v", want, names)
		}
	}
	for _, n := range names {
		if strings.HasPrefix(n, "work/") || strings.HasSuffix(n, ".tmp") {
			t.Fatalf("local working file %s uploaded", n)
		}
	}
	if len(shards) == 0 {
		t.Fatalf("no shards on S3: %v", names)
	}
	// Download the S3 shards and compare their rows with the local run's.
	var got, want []string
	dl := t.TempDir()
	for _, loc := range shards {
		b, err := st.ReadFile(ctx, loc)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dl, filepath.Base(loc))
		os.WriteFile(p, b, 0o644)
		got = append(got, idsOf(t, p)...)
	}
	localShards, _ := filepath.Glob(filepath.Join(local, "shards", "*.arrow"))
	for _, p := range localShards {
		want = append(want, idsOf(t, p)...)
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(got) == 0 {
		t.Fatalf("S3 run rows (%d) differ from the local run's (%d)", len(got), len(want))
	}
	if out := runS3(); !strings.Contains(out, "already complete") {
		t.Fatalf("second run did not find the task complete on S3:\n%s", out)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func idsOf(t *testing.T, path string) []string {
	docs, err := shard.ReadDocuments(path)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID+"\x00"+d.Text)
	}
	return ids
}

// A Parquet dataset on S3 in, Parquet out on S3: the dataset reader works
// on a staged copy (Parquet is read by offsets), the export lands under
// OUT/shards on S3 and nothing of work/ is left there.
func TestParquetDatasetOnS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an S3 server")
	}
	root, srv, st := startS3(t, "crawl")
	ctx := context.Background()
	sample := filepath.Join(root, "testdata", "sample")
	local := filepath.Join(t.TempDir(), "local")
	pipe := writePipeline(t, "name: t\nsteps:\n  - extract: {}\nwriter: {format: parquet}\n")
	runSieve(t, "run", "-q", "--pipeline", pipe, "-o", local, sample)
	files, _ := filepath.Glob(filepath.Join(local, "shards", "*.parquet"))
	var want int
	for _, f := range files {
		docs, err := shard.ReadDocuments(f)
		if err != nil {
			t.Fatal(err)
		}
		want += len(docs)
		if err := st.Upload(ctx, f, "s3://crawl/pq/"+filepath.Base(f)); err != nil {
			t.Fatal(err)
		}
	}
	pipe2 := writePipeline(t, "name: t2\nreader: {type: parquet}\nsteps:\n  - length: {min_chars: 1}\nwriter: {format: parquet}\n")
	cmd := sieveCmd(t, "run", "-q", "--pipeline", pipe2, "--work-dir", filepath.Join(t.TempDir(), "w"), "-o", "s3://crawl/pqout", "s3://crawl/pq/")
	cmd.Env = append(cmd.Env, srv.Env()...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("s3 run: %v\n%s", err, b)
	}
	entries, err := st.List(ctx, "s3://crawl/pqout/")
	if err != nil {
		t.Fatal(err)
	}
	var got int
	dl := t.TempDir()
	for _, e := range entries {
		rel := strings.TrimPrefix(e.Loc, "s3://crawl/pqout/")
		if strings.HasPrefix(rel, "work/") {
			t.Fatalf("%s left on S3", rel)
		}
		if !strings.HasPrefix(rel, "shards/") || !strings.HasSuffix(rel, ".parquet") {
			continue
		}
		p := filepath.Join(dl, filepath.Base(rel))
		if err := st.Download(ctx, e.Loc, p); err != nil {
			t.Fatal(err)
		}
		docs, err := shard.ReadDocuments(p)
		if err != nil {
			t.Fatal(err)
		}
		got += len(docs)
	}
	if got != want || want == 0 {
		t.Fatalf("S3 output holds %d rows, the input %d", got, want)
	}
}
