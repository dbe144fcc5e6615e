package dedup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
)

// runStaged runs the four stages as separate tasks would.
func runStaged(t testing.TB, inputs []string, out string, cfg Config, tasks, bucketTasks int) []string {
	t.Helper()
	ctx := context.Background()
	for task := range tasks {
		if err := Signatures(ctx, inputs, out, cfg, tasks, task); err != nil {
			t.Fatal(err)
		}
	}
	for task := range bucketTasks {
		if err := Buckets(ctx, out, bucketTasks, task); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Clusters(ctx, out); err != nil {
		t.Fatal(err)
	}
	var shards []string
	for task := range tasks {
		s, _, err := Filter(ctx, out, tasks, task)
		if err != nil {
			t.Fatal(err)
		}
		shards = append(shards, s...)
	}
	sort.Strings(shards)
	return shards
}

func TestStagedMatchesOneProcess(t *testing.T) {
	docs := nearDupCorpus(t, 12)
	for i := range docs {
		docs[i].url = fmt.Sprintf("https://example.org/%s", docs[i].id[:6])
	}
	for _, mode := range []string{ModeMinHash, ModeAll} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			inputs := writeCorpus(t, dir, docs, 5)
			cfg := DefaultConfig()
			cfg.Mode = mode
			if mode == ModeAll {
				cfg.KeepColumn = "score"
			}
			one, err := DedupShards(context.Background(), inputs, filepath.Join(dir, "one"), cfg)
			if err != nil {
				t.Fatal(err)
			}
			stagedShards := runStaged(t, inputs, filepath.Join(dir, "staged"), cfg, 3, 4)
			a := readOutShards(t, one.Shards)
			b := readOutShards(t, stagedShards)
			if one.Stats.Removed == 0 {
				t.Fatal("nothing removed; the comparison says nothing")
			}
			if !slices.Equal(a, b) {
				t.Fatalf("one-process kept %d rows, staged %d, or they differ", len(a), len(b))
			}
			ra := readRemoved(t, one.RemovedPath)
			rb := readRemoved(t, filepath.Join(dir, "staged", "dedup", "removed.arrow"))
			if !slices.Equal(ra, rb) {
				t.Fatalf("removed.arrow differs: %d vs %d rows", len(ra), len(rb))
			}
			t.Logf("%s: %d in, %d removed (%v) in both modes", mode, len(docs), len(ra), one.Stats.RemovedBy)
		})
	}
}

func TestStagedDetectsCorruptFiles(t *testing.T) {
	docs := nearDupCorpus(t, 4)
	dir := t.TempDir()
	inputs := writeCorpus(t, dir, docs, 2)
	out := filepath.Join(dir, "out")
	ctx := context.Background()
	cfg := DefaultConfig()
	for task := range 2 {
		if err := Signatures(ctx, inputs, out, cfg, 2, task); err != nil {
			t.Fatal(err)
		}
	}
	p := keysPath(out, 3, 1)
	orig, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// Truncated file.
	if err := os.WriteFile(p, orig[:len(orig)-40], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Buckets(ctx, out, 1, 0); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("truncated key file: got %v, want ErrCorrupt", err)
	}
	// One flipped bit in the payload.
	bad := slices.Clone(orig)
	bad[checkedHeader+5] ^= 1
	if err := os.WriteFile(p, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Buckets(ctx, out, 1, 0); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("flipped bit: got %v, want ErrCorrupt", err)
	}
	if _, err := os.Stat(pairsPath(out, 3)); err == nil {
		t.Fatal("a pairs file was written from a corrupt key file")
	}
	// Missing task: clusters must refuse.
	os.WriteFile(p, orig, 0o644)
	os.Remove(manifestPath(out, 1))
	if err := Buckets(ctx, out, 1, 0); err == nil {
		t.Fatal("buckets ran with a signatures task missing")
	}
}
