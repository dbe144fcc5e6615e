package runner

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// Re-applying stricter thresholds to a run's shards with Refilter, from the
// stored signals alone, keeps exactly the documents a run with those
// thresholds keeps.
func TestRefilterReproducesRun(t *testing.T) {
	inputs := sharedWARCs(t)
	const steps = `
  - extract: {}
  - gopher_repetition: {}
  - gopher_quality: {%s}
  - fineweb_quality: {%s}
`
	loose := mustConfig(t, "name: loose\nsteps:"+fmt.Sprintf(steps, "", ""))
	strict := mustConfig(t, "name: strict\nsteps:"+fmt.Sprintf(steps, "min_doc_words: 150", "line_punct_thr: 0.3"))
	ctx := context.Background()

	looseOut := t.TempDir()
	l, err := Run(ctx, Options{Config: loose, Inputs: inputs, OutDir: looseOut, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Run(ctx, Options{Config: strict, Inputs: inputs, OutDir: t.TempDir(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := readRows(t, s.ShardFiles)
	if len(want) >= len(readRows(t, l.ShardFiles)) {
		t.Fatalf("the stricter thresholds removed nothing more (%d rows); the test would prove nothing", len(want))
	}
	res, err := Refilter(ctx, strict, l.ShardFiles, filepath.Join(t.TempDir(), "re"))
	if err != nil {
		t.Fatal(err)
	}
	// extract decides too (its minimum text and link-density rules), so
	// every step is replayed.
	if len(res.Replayed) != 4 || len(res.Ignored) != 0 {
		t.Fatalf("replayed %v, ignored %v", res.Replayed, res.Ignored)
	}
	got := readRows(t, res.Shards)
	if len(got) != len(want) || int64(len(got)) != res.Kept {
		t.Fatalf("refilter kept %d (says %d), a strict run kept %d", len(got), res.Kept, len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("row %d: refilter kept %s, the strict run %s", i, got[i].id, want[i].id)
		}
	}
}

// Refilter replays decisions over Parquet shards too, and writes Parquet:
// the same rows as a strict run with the Parquet writer.
func TestRefilterParquet(t *testing.T) {
	inputs := sharedWARCs(t)
	const steps = "\n  - extract: {}\n  - gopher_quality: {%s}\nwriter: {format: parquet}\n"
	loose := mustConfig(t, "name: loose\nsteps:"+fmt.Sprintf(steps, ""))
	strict := mustConfig(t, "name: strict\nsteps:"+fmt.Sprintf(steps, "min_doc_words: 150"))
	ctx := context.Background()
	l, err := Run(ctx, Options{Config: loose, Inputs: inputs, OutDir: t.TempDir(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Run(ctx, Options{Config: strict, Inputs: inputs, OutDir: t.TempDir(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := readRows(t, s.ShardFiles)
	if len(want) == 0 || len(want) >= len(readRows(t, l.ShardFiles)) {
		t.Fatalf("strict kept %d: the test would prove nothing", len(want))
	}
	res, err := Refilter(ctx, strict, l.ShardFiles, filepath.Join(t.TempDir(), "re"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Shards {
		if !strings.HasSuffix(p, ".parquet") {
			t.Fatalf("refilter wrote %s", p)
		}
	}
	if got := readRows(t, res.Shards); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("refilter kept %d rows, the strict run %d", len(got), len(want))
	}
}
