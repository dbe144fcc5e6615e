package runner

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/dedup"
	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/pipelines"
	"github.com/sieve-data/sieve/shard"
)

// testPipeline is extract plus a cheap filter and MinHash dedup: the parts
// of the runner that matter here, without the language models.
const testPipeline = `
name: test
steps:
  - extract: {}
  - length:
      min_chars: 1
  - dedup: {}
`

func mustConfig(t testing.TB, y string) *Config {
	t.Helper()
	c, err := ParseConfig([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// row is what identifies an output document for the comparisons.
type row struct{ id, url, text string }

func readRows(t testing.TB, files []string) []row {
	t.Helper()
	var rows []row
	for _, p := range files {
		docs, err := shard.ReadDocuments(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			rows = append(rows, row{d.ID, d.URL, d.Text})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].id < rows[j].id })
	return rows
}

func sharedWARCs(t testing.TB) []InputFile {
	dir := testdata.Shared(t, "warc")
	// The top level holds the files a tolerant reader parses completely.
	matches, _ := filepath.Glob(filepath.Join(dir, "*.warc*"))
	in, err := ExpandInputs(matches)
	if err != nil {
		t.Fatal(err)
	}
	if len(in) < 30 {
		t.Fatalf("expected the ~32 shared WARC files, found %d", len(in))
	}
	return in
}

func TestRunWritesEveryDocumentOnce(t *testing.T) {
	inputs := sharedWARCs(t)
	out := t.TempDir()
	sum, err := Run(context.Background(), Options{Config: mustConfig(t, testPipeline), Inputs: inputs, OutDir: out, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	rows := readRows(t, sum.ShardFiles)
	if int64(len(rows)) != sum.Documents || len(rows) == 0 {
		t.Fatalf("shards hold %d rows, summary says %d", len(rows), sum.Documents)
	}
	// Resume state is gone once the task is complete.
	if _, err := os.Stat(filepath.Join(out, workDir)); !os.IsNotExist(err) {
		left, _ := filepath.Glob(filepath.Join(out, workDir, "*", "*"))
		t.Fatalf("%s left after completion (%v): %v", workDir, err, left)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.id] {
			t.Fatalf("id %s written twice", r.id)
		}
		seen[r.id] = true
		if strings.TrimSpace(r.text) == "" {
			t.Fatalf("%s: empty text written", r.id)
		}
	}
	// The funnel adds up: documents read = dropped by steps + removed by
	// dedup + written.
	var read, dropped int64
	for _, f := range sum.Stats.Files {
		read += f.Documents
	}
	for _, s := range sum.Stats.Steps {
		for _, n := range s.Dropped {
			dropped += n
		}
	}
	removed := sum.Stats.Dedup.RemovedTotal()
	if read != dropped+removed+sum.Documents {
		t.Fatalf("read %d != dropped %d + dedup-removed %d + written %d", read, dropped, removed, sum.Documents)
	}
	if removed == 0 {
		t.Fatal("the shared WARCs hold real duplicates (dolma's allenai.org x3, the WARC/WET twins); dedup removed none")
	}
	if sum.Damaged != 0 {
		t.Fatalf("the top-level shared WARCs are intact, yet %d damages", sum.Damaged)
	}
	// The Hugging Face metadata names exactly the shards.
	state, err := os.ReadFile(filepath.Join(out, "shards", "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sum.ShardFiles {
		if !strings.Contains(string(state), filepath.Base(f)) {
			t.Fatalf("state.json does not list %s", filepath.Base(f))
		}
	}
	for _, name := range []string{"stats.json", "report.html", "report.md", "report.json", "completions/00000"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Fatalf("missing %s: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "work", "stage1")); err == nil {
		t.Fatal("pre-dedup shards left behind")
	}

	// A second run over the same OUT finds the task complete and changes
	// nothing.
	again, err := Run(context.Background(), Options{Config: mustConfig(t, testPipeline), Inputs: inputs, OutDir: out, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !again.AlreadyComplete || again.Documents != sum.Documents {
		t.Fatalf("rerun: complete=%v documents=%d, want true, %d", again.AlreadyComplete, again.Documents, sum.Documents)
	}
}

// Four tasks, then the staged dedup commands over all their shards, give
// exactly the rows of one task with one-process dedup.
func TestTasksWithStagedDedupEqualOneTask(t *testing.T) {
	inputs := sharedWARCs(t)
	cfg := mustConfig(t, testPipeline)
	single := t.TempDir()
	one, err := Run(context.Background(), Options{Config: cfg, Inputs: inputs, OutDir: single, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := readRows(t, one.ShardFiles)

	multi := t.TempDir()
	const n = 4
	var shards []string
	for i := 0; i < n; i++ {
		s, err := Run(context.Background(), Options{Config: mustConfig(t, testPipeline), Inputs: TaskSlice(inputs, n, i),
			OutDir: multi, Workers: 1, Tasks: n, TaskIndex: i})
		if err != nil {
			t.Fatal(err)
		}
		shards = append(shards, s.ShardFiles...)
	}
	sort.Strings(shards)
	ctx := context.Background()
	dcfg := dedup.DefaultConfig()
	dout := filepath.Join(multi, "dedup-out")
	for i := 0; i < n; i++ {
		if err := dedup.Signatures(ctx, shards, dout, dcfg, n, i); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 2; i++ {
		if err := dedup.Buckets(ctx, dout, 2, i); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := dedup.Clusters(ctx, dout); err != nil {
		t.Fatal(err)
	}
	var final []string
	for i := 0; i < n; i++ {
		f, _, err := dedup.Filter(ctx, dout, n, i)
		if err != nil {
			t.Fatal(err)
		}
		final = append(final, f...)
	}
	got := readRows(t, final)
	if len(got) != len(want) {
		t.Fatalf("4 tasks + staged dedup: %d rows, one task: %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("row %d differs: %q vs %q", i, got[i].id, want[i].id)
		}
	}

	// Finalize over the staged dedup's shards reports what the one-task
	// run reports: the same kept documents per language and domain, the
	// same dedup removals, and datasets metadata for those shards.
	fin, err := Finalize(multi, filepath.Join(dout, "shards"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if fin.Tasks != n || fin.Documents != int64(len(want)) {
		t.Fatalf("finalize: %d tasks, %d documents; want %d, %d", fin.Tasks, fin.Documents, n, len(want))
	}
	a, b := fin.Stats, one.Stats
	if a.Kept.Docs != b.Kept.Docs || a.Kept.Chars != b.Kept.Chars || len(a.Languages) != len(b.Languages) {
		t.Fatalf("finalize kept %+v in %d languages, one task %+v in %d", a.Kept.Docs, len(a.Languages), b.Kept.Docs, len(b.Languages))
	}
	for lang, ls := range b.Languages {
		if a.Languages[lang] == nil || a.Languages[lang].Docs != ls.Docs {
			t.Fatalf("language %q: finalize %+v, one task %+v", lang, a.Languages[lang], ls)
		}
	}
	if a.Dedup.RemovedTotal() != b.Dedup.RemovedTotal() || a.Dedup.DocsIn != b.Dedup.DocsIn {
		t.Fatalf("dedup: finalize %d of %d removed, one task %d of %d", a.Dedup.RemovedTotal(), a.Dedup.DocsIn, b.Dedup.RemovedTotal(), b.Dedup.DocsIn)
	}
	if _, err := os.Stat(filepath.Join(dout, "shards", "state.json")); err != nil {
		t.Fatalf("no datasets metadata for the deduplicated shards: %v", err)
	}

	// Shards fetched one at a time (as from S3) give the same counts, and
	// no more than one fetched shard exists at any moment.
	scratch := t.TempDir()
	src := &ShardSource{}
	for _, p := range fin.Shards {
		src.Names = append(src.Names, filepath.Base(p))
	}
	if len(src.Names) < 2 {
		t.Fatalf("%d final shards: too few to test fetching one at a time", len(src.Names))
	}
	outstanding, fetched := 0, 0
	src.Fetch = func(name string) (string, func(), error) {
		b, err := os.ReadFile(filepath.Join(dout, "shards", name))
		if err != nil {
			return "", nil, err
		}
		local := filepath.Join(scratch, name)
		if err := os.WriteFile(local, b, 0o644); err != nil {
			return "", nil, err
		}
		if outstanding++; outstanding > 1 {
			t.Errorf("%d shards fetched at once", outstanding)
		}
		fetched++
		return local, func() { outstanding--; os.Remove(local) }, nil
	}
	fin2, err := FinalizeFrom(multi, filepath.Join(dout, "shards"), src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fetched != len(src.Names) || outstanding != 0 {
		t.Fatalf("fetched %d of %d shards, %d not released", fetched, len(src.Names), outstanding)
	}
	if fin2.Documents != fin.Documents || fin2.Stats.Kept.Docs != fin.Stats.Kept.Docs || fin2.Stats.Kept.Chars != fin.Stats.Kept.Chars || len(fin2.Stats.Languages) != len(fin.Stats.Languages) ||
		fin2.Stats.Dedup.RemovedTotal() != fin.Stats.Dedup.RemovedTotal() {
		t.Fatalf("one shard at a time: %d documents, kept %d; from the folder: %d, %d", fin2.Documents, fin2.Stats.Kept.Docs, fin.Documents, fin.Stats.Kept.Docs)
	}
	if left, _ := os.ReadDir(scratch); len(left) != 0 {
		t.Fatalf("fetched shards left behind: %d", len(left))
	}
}

func TestExpandInputsAndTaskSlice(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	all, err := ExpandInputs([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		if strings.HasSuffix(f.Path, ".md") {
			t.Fatalf("documentation taken as input: %s", f.Path)
		}
	}
	seen := map[int]int{}
	for i := 0; i < 3; i++ {
		for _, f := range TaskSlice(all, 3, i) {
			seen[f.Index]++
		}
	}
	if len(seen) != len(all) {
		t.Fatalf("3 tasks cover %d of %d files", len(seen), len(all))
	}
	for idx, n := range seen {
		if n != 1 {
			t.Fatalf("file %d in %d tasks", idx, n)
		}
	}
	if _, err := ExpandInputs([]string{filepath.Join(dir, "*.nothing")}); err == nil {
		t.Fatal("a pattern matching nothing must be an error")
	}
}

func TestTaskFromEnv(t *testing.T) {
	env := map[string]string{"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	n, i, err := TaskFromEnv(-1, -1, lookup)
	if err != nil || n != 8 || i != 4 {
		t.Fatalf("slurm: got %d %d %v, want 8 4", n, i, err)
	}
	if n, i, err = TaskFromEnv(10, 9, lookup); err != nil || n != 10 || i != 9 {
		t.Fatalf("flags win: got %d %d %v", n, i, err)
	}
	if _, _, err = TaskFromEnv(4, 4, lookup); err == nil {
		t.Fatal("index 4 of 4 accepted")
	}
	env = map[string]string{"SLURM_ARRAY_TASK_ID": "", "SLURM_ARRAY_TASK_COUNT": "", "JOB_COMPLETION_INDEX": "3", "SIEVE_TASKS": "6"}
	if n, i, err = TaskFromEnv(-1, -1, lookup); err != nil || n != 6 || i != 3 {
		t.Fatalf("kubernetes: got %d %d %v, want 6 3", n, i, err)
	}
	env["SIEVE_TASKS"] = "six"
	if _, _, err = TaskFromEnv(-1, -1, lookup); err == nil || !strings.Contains(err.Error(), "SIEVE_TASKS") {
		t.Fatalf("a task count that is not a number: %v", err)
	}
}

func TestParseConfigRejectsTypos(t *testing.T) {
	if _, err := ParseConfig([]byte("name: x\nsteps:\n  - extract: {}\nwriterr: {}\n")); err == nil {
		t.Fatal("unknown top-level key accepted")
	}
	c := mustConfig(t, "name: x\nsteps:\n  - length: {min_charz: 3}\n")
	if _, err := Build(c); err == nil {
		t.Fatal("unknown step parameter accepted")
	}
	c = mustConfig(t, "name: x\nsteps:\n  - no_such_step: {}\n")
	if _, err := Build(c); err == nil || !strings.Contains(err.Error(), "unknown step type") {
		t.Fatalf("unknown step type: %v", err)
	}
}

// writer.format: file with zstd and removed: true: shards in the file
// format, every dropped document in removed/ with its step and reason, and
// no datasets metadata (datasets reads the stream format only).
func TestRunFileFormatWithRemoved(t *testing.T) {
	inputs := sharedWARCs(t)
	out := t.TempDir()
	cfg := mustConfig(t, "name: f\nsteps:\n  - extract: {}\n  - length: {min_chars: 200}\nwriter: {format: file, compression: zstd, removed: true}\n")
	sum, err := Run(context.Background(), Options{Config: cfg, Inputs: inputs, OutDir: out, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sum.ShardFiles {
		if format, err := shard.DetectFormat(f); err != nil || format != shard.FormatFile {
			t.Fatalf("%s: format %q, %v", f, format, err)
		}
	}
	var dropped int64
	for _, s := range sum.Stats.Steps {
		for _, n := range s.Dropped {
			dropped += n
		}
	}
	removed, _ := filepath.Glob(filepath.Join(out, "removed", "*.arrow"))
	var rows int64
	for _, p := range removed {
		docs, err := shard.ReadDocuments(p)
		if err != nil {
			t.Fatal(err)
		}
		rows += int64(len(docs))
	}
	if rows != dropped || dropped == 0 {
		t.Fatalf("removed/ holds %d rows, stats count %d drops", rows, dropped)
	}
	if _, err := os.Stat(filepath.Join(out, "shards", "state.json")); err == nil {
		t.Fatal("datasets metadata written for file-format shards")
	}
}

// Every shipped pipeline parses and builds with its defaults.
func TestShippedPipelinesBuild(t *testing.T) {
	for _, name := range pipelines.Names() {
		c, err := LoadConfig(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p, err := Build(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(p.Steps) == 0 {
			t.Fatalf("%s: no steps", name)
		}
		p.Close()
	}
	if c, _ := LoadConfig(""); c == nil || c.Name != pipelines.Default {
		t.Fatal("the default pipeline does not load")
	}
}
