package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/sieve-data/sieve/dedup"
	"github.com/sieve-data/sieve/stats"
	"github.com/sieve-data/sieve/storage"
)

// A 2-task sieve run, the four staged dedup stages (2 tasks each where
// the stage splits) and finalize, once on local folders and once entirely
// on a real S3 server: the S3 result has the same kept rows, the same
// removed documents and counts, and the same final stats; no temporary
// file is left on S3 or on local disk; a corrupt stage file on S3 is
// refused.
func TestStagedDedupAndFinalizeOnS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an S3 server")
	}
	root, srv, st := startS3(t, "crawl")
	ctx := context.Background()

	// Three sample WARCs plus a renamed copy of one, so that the dedup has
	// exact duplicates that the two run tasks wrote to different shards.
	sample := filepath.Join(root, "testdata", "sample")
	localIn := t.TempDir()
	for _, name := range []string{"jwarc__cc.warc.gz", "resiliparse__warcfile.warc.gz", "commoncrawl-whirlwind__whirlwind.warc.gz", "resiliparse__warcfile.warc.gz"} {
		b, err := os.ReadFile(filepath.Join(sample, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(localIn, name)); err == nil {
			name = "zz-copy-" + name
		}
		if err := os.WriteFile(filepath.Join(localIn, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := st.WriteFile(ctx, "s3://crawl/in/"+name, b); err != nil {
			t.Fatal(err)
		}
	}
	pipe := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(pipe, []byte("name: t\nsteps:\n  - extract: {}\n"), 0o644)

	scratch := t.TempDir() // SIEVE_WORK_DIR: where remote shards are staged
	sieve := func(args ...string) string {
		t.Helper()
		cmd := sieveCmd(t, args...)
		cmd.Env = append(cmd.Env, srv.Env()...)
		cmd.Env = append(cmd.Env, "SIEVE_WORK_DIR="+scratch)
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("sieve %v: %v\n%s", args, err, b)
		}
		return string(b)
	}
	// everything runs the whole chain: run, dedup stages, finalize.
	everything := func(in, run, dd string) {
		for i := range 2 {
			sieve("run", "-q", "--pipeline", pipe, "--tasks", "2", "--task-index", fmt.Sprint(i),
				"--work-dir", filepath.Join(t.TempDir(), "w"), "-o", run, in)
		}
		// Task 0 names the shards folder, task 1 a glob: buckets refuses
		// to go on unless both expanded to the same list.
		shards := storage.Join(run, "shards")
		sieve("dedup", "signatures", "--mode", "all", "--tasks", "2", "--task-index", "0", "-o", dd, shards)
		sieve("dedup", "signatures", "--mode", "all", "--tasks", "2", "--task-index", "1", "-o", dd, storage.Join(shards, "*.arrow"))
		for i := range 2 {
			sieve("dedup", "buckets", "--tasks", "2", "--task-index", fmt.Sprint(i), "-o", dd)
		}
		sieve("dedup", "clusters", "-o", dd)
		for i := range 2 {
			sieve("dedup", "filter", "--tasks", "2", "--task-index", fmt.Sprint(i), "-o", dd)
		}
		sieve("finalize", "--work-dir", t.TempDir(), "--shards", storage.Join(dd, "shards"), run)
	}
	local := t.TempDir()
	localRun, localDD := filepath.Join(local, "run"), filepath.Join(local, "dd")
	everything(localIn, localRun, localDD)
	everything("s3://crawl/in/", "s3://crawl/run", "s3://crawl/dd")

	// Bring the S3 results down to compare them with the local ones.
	down := t.TempDir()
	entries, err := st.List(ctx, "s3://crawl/")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		rel := strings.TrimPrefix(e.Loc, "s3://crawl/")
		names = append(names, rel)
		if strings.Contains(rel, ".tmp") || strings.Contains(rel, "/work/") {
			t.Errorf("temporary file %s left on S3", rel)
		}
		b, err := st.ReadFile(ctx, e.Loc)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(down, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"dd/dedup/removed.arrow", "dd/dedup/stats.json", "dd/stats.json",
		"dd/shards/state.json", "dd/shards/dataset_info.json", "run/stats.json", "run/report.html", "run/report.json",
		"dd/dedup/stage/manifest/task-00001.json", "dd/dedup/stage/decisions"} {
		if !contains(names, want) {
			t.Errorf("%s missing on S3; have %v", want, names)
		}
	}
	if left, _ := os.ReadDir(scratch); len(left) != 0 {
		t.Errorf("local copies of remote shards left in the work dir: %v", left)
	}
	// Finalize fetched the S3 shards one at a time; the datasets metadata
	// it wrote next to them names the same files as the local run's.
	dataFiles := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var st struct {
			DataFiles []struct{ Filename string } `json:"_data_files"`
		}
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(st.DataFiles)
	}
	if a, b := dataFiles(filepath.Join(down, "dd", "shards", "state.json")), dataFiles(filepath.Join(localDD, "shards", "state.json")); a != b || a == "[]" {
		t.Errorf("state.json on S3 lists %s, locally %s", a, b)
	}

	// Same kept rows (as a set: S3 and local shard names may differ).
	rows := func(dir string) []string {
		files, _ := filepath.Glob(filepath.Join(dir, "*.arrow"))
		var all []string
		for _, f := range files {
			all = append(all, idsOf(t, f)...)
		}
		sort.Strings(all)
		return all
	}
	gotRows, wantRows := rows(filepath.Join(down, "dd", "shards")), rows(filepath.Join(localDD, "shards"))
	runRows := rows(filepath.Join(localRun, "shards"))
	if len(wantRows) == 0 || len(wantRows) >= len(runRows) {
		t.Fatalf("local dedup kept %d of %d rows: the test needs some duplicates", len(wantRows), len(runRows))
	}
	t.Logf("run kept %d rows, dedup kept %d (local) and %d (S3)", len(runRows), len(wantRows), len(gotRows))
	if !reflect.DeepEqual(gotRows, wantRows) {
		t.Errorf("S3 dedup kept %d rows, local %d, or other rows", len(gotRows), len(wantRows))
	}

	// Same removal counts and the same removed documents.
	dstats := func(p string) dedup.Stats {
		var s dedup.Stats
		b, err := os.ReadFile(p)
		if err != nil || json.Unmarshal(b, &s) != nil {
			t.Fatalf("%s: %v %s", p, err, b)
		}
		return s
	}
	gs, ws := dstats(filepath.Join(down, "dd", "dedup", "stats.json")), dstats(filepath.Join(localDD, "dedup", "stats.json"))
	t.Logf("dedup removed %d of %d by %v (S3), %d of %d by %v (local)", gs.Removed, gs.Documents, gs.RemovedBy, ws.Removed, ws.Documents, ws.RemovedBy)
	if gs.Documents != ws.Documents || gs.Removed != ws.Removed || !reflect.DeepEqual(gs.RemovedBy, ws.RemovedBy) || gs.Clusters != ws.Clusters || ws.Removed == 0 {
		t.Errorf("dedup stats differ: S3 %+v, local %+v", gs, ws)
	}
	if got, want := removedIDs(t, filepath.Join(down, "dd", "dedup", "removed.arrow")), removedIDs(t, filepath.Join(localDD, "dedup", "removed.arrow")); !reflect.DeepEqual(got, want) {
		t.Errorf("removed.arrow differs: S3 %v, local %v", got, want)
	}

	// finalize counted the same final shards.
	fstats := func(p string) *stats.Collector {
		c, err := stats.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	gf, wf := fstats(filepath.Join(down, "run", "stats.json")), fstats(filepath.Join(localRun, "stats.json"))
	if !reflect.DeepEqual(gf.Kept, wf.Kept) || !reflect.DeepEqual(gf.Languages, wf.Languages) || !reflect.DeepEqual(gf.Dedup, wf.Dedup) || gf.Kept.Docs != int64(len(wantRows)) {
		t.Errorf("finalize stats differ: S3 kept %+v dedup %+v; local kept %+v dedup %+v", gf.Kept, gf.Dedup, wf.Kept, wf.Dedup)
	}

	// A stage rerun on S3 overwrites its outputs with the same result.
	before, _ := st.ReadFile(ctx, "s3://crawl/dd/dedup/removed.arrow")
	sieve("dedup", "clusters", "-o", "s3://crawl/dd")
	if after, _ := st.ReadFile(ctx, "s3://crawl/dd/dedup/removed.arrow"); !bytes.Equal(before, after) {
		t.Error("rerunning clusters on S3 changed removed.arrow")
	}

	// A truncated pair file on S3 is refused with a clear error.
	pairs := "s3://crawl/dd/dedup/stage/pairs/space-000.pairs"
	b, err := st.ReadFile(ctx, pairs)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.WriteFile(ctx, pairs, b[:len(b)-5]); err != nil {
		t.Fatal(err)
	}
	cmd := sieveCmd(t, "dedup", "clusters", "-o", "s3://crawl/dd")
	cmd.Env = append(cmd.Env, srv.Env()...)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "corrupt dedup stage file") || !strings.Contains(string(out), pairs) {
		t.Errorf("clusters over a truncated S3 pair file: %v\n%s", err, out)
	}
}

// removedIDs lists removed.arrow's (id, duplicate_of, method) rows, sorted.
func removedIDs(t *testing.T, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ipc.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	var out []string
	for r.Next() {
		rec := r.RecordBatch()
		id := rec.Column(0).(*array.String)
		of := rec.Column(1).(*array.String)
		m := rec.Column(3).(*array.String)
		for j := range id.Len() {
			out = append(out, id.Value(j)+" "+of.Value(j)+" "+m.Value(j))
		}
	}
	if err := r.Err(); err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// A 2-task run with a dedup step and a JSONL writer, on a real S3 server:
// the tasks write Arrow (the staged dedup does not read JSONL), `sieve
// dedup` removes the duplicates across tasks, and finalize exports the
// survivors to JSONL under the dedup's shards, removing the Arrow shards
// and their datasets metadata after the upload; stats.json counts the
// same documents as the dedup kept, with its cluster sizes.
func TestStagedDedupToJSONLOnS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an S3 server")
	}
	root, srv, st := startS3(t, "crawl")
	ctx := context.Background()
	sample := filepath.Join(root, "testdata", "sample")
	for i, name := range []string{"jwarc__cc.warc.gz", "resiliparse__warcfile.warc.gz", "resiliparse__warcfile.warc.gz"} {
		b, err := os.ReadFile(filepath.Join(sample, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.WriteFile(ctx, fmt.Sprintf("s3://crawl/in/%d-%s", i, name), b); err != nil {
			t.Fatal(err)
		}
	}
	pipe := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(pipe, []byte("name: t\nsteps:\n  - extract: {}\n  - dedup: {}\nwriter: {format: jsonl}\n"), 0o644)
	sieve := func(args ...string) string {
		t.Helper()
		cmd := sieveCmd(t, args...)
		cmd.Env = append(cmd.Env, srv.Env()...)
		cmd.Env = append(cmd.Env, "SIEVE_WORK_DIR="+t.TempDir())
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("sieve %v: %v\n%s", args, err, b)
		}
		return string(b)
	}
	for i := range 2 {
		sieve("run", "-q", "--pipeline", pipe, "--tasks", "2", "--task-index", fmt.Sprint(i), "-o", "s3://crawl/run", "s3://crawl/in/")
	}
	sieve("dedup", "--mode", "all", "-o", "s3://crawl/dd", "s3://crawl/run/shards")
	sieve("finalize", "--shards", "s3://crawl/dd/shards", "s3://crawl/run")

	es, err := st.List(ctx, "s3://crawl/dd/shards/")
	if err != nil {
		t.Fatal(err)
	}
	var lines int64
	for _, e := range es {
		if !strings.HasSuffix(e.Loc, ".jsonl.gz") {
			t.Errorf("%s left beside the exported JSONL shards", e.Loc)
			continue
		}
		r, err := st.Open(ctx, e.Loc)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatalf("%s: %v", e.Loc, err)
		}
		b, err := io.ReadAll(zr)
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", e.Loc, err)
		}
		lines += int64(bytes.Count(b, []byte("\n")))
	}
	b, err := st.ReadFile(ctx, "s3://crawl/run/stats.json")
	if err != nil {
		t.Fatal(err)
	}
	var c stats.Collector
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	var ds dedup.Stats
	db, err := st.ReadFile(ctx, "s3://crawl/dd/dedup/stats.json")
	if err != nil || json.Unmarshal(db, &ds) != nil {
		t.Fatalf("dedup stats: %v %s", err, db)
	}
	t.Logf("%d JSONL shards, %d lines; stats.json kept %d, dedup kept %d of %d", len(es), lines, c.Kept.Docs, ds.Documents-ds.Removed, ds.Documents)
	if ds.Removed == 0 || lines == 0 || c.Kept.Docs != lines || lines != ds.Documents-ds.Removed || len(c.Dedup.ClusterSizes) == 0 {
		t.Errorf("JSONL shards hold %d lines, stats.json kept %d (cluster sizes %v), dedup kept %d of %d", lines, c.Kept.Docs, c.Dedup.ClusterSizes, ds.Documents-ds.Removed, ds.Documents)
	}
}
