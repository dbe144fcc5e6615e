package runner

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/shard"
)

// A dedup step that is not last is refused with a message that says where
// it must go; before, it was silently moved to the end.
func TestDedupMustBeLast(t *testing.T) {
	_, err := ParseConfig([]byte("name: x\nsteps:\n  - extract\n  - dedup: {}\n  - length: {min_chars: 1}\n"))
	if err == nil || !strings.Contains(err.Error(), "dedup must be the last step") || !strings.Contains(err.Error(), `"length"`) {
		t.Fatalf("misplaced dedup: %v", err)
	}
	_, err = ParseConfig([]byte("name: x\nsteps:\n  - dedup: {}\n  - dedup: {mode: exact}\n"))
	if err == nil {
		t.Fatal("two dedup steps accepted")
	}
	if _, err := ParseConfig([]byte("name: x\nsteps:\n  - extract\n  - dedup: {}\n")); err != nil {
		t.Fatal(err)
	}
}

// Step ids are `type` or `type/name`; two instances of one type need names.
func TestStepIDs(t *testing.T) {
	if _, err := ParseConfig([]byte("name: x\nsteps:\n  - length: {}\n  - length: {}\n")); err == nil || !strings.Contains(err.Error(), `id "length" is used by step 1`) {
		t.Fatalf("duplicate ids: %v", err)
	}
	for _, bad := range []string{"length/", "/x", "length/a/b"} {
		if _, err := ParseConfig([]byte("name: x\nsteps:\n  - " + bad + ": {}\n")); err == nil {
			t.Fatalf("id %q accepted", bad)
		}
	}
	c := mustConfig(t, "name: x\nsteps:\n  - length/short: {min_chars: 1}\n  - length: {}\n")
	p, err := Build(c)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if strings.Join(p.StepNames, " ") != "length/short length" {
		t.Fatalf("ids %v", p.StepNames)
	}
}

// Two length steps with different limits keep their own rows in the stats,
// their own drop counts and their own drop_step in removed/.
func TestTwoStepsOfOneTypeCountApart(t *testing.T) {
	inputs := sharedWARCs(t)[:12]
	out := t.TempDir()
	cfg := mustConfig(t, `name: ids
steps:
  - extract
  - length/min: {min_chars: 200}
  - length/max: {max_chars: 1000}
writer: {removed: true}
`)
	sum, err := Run(context.Background(), Options{Config: cfg, Inputs: inputs, OutDir: out, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int64{}
	for _, s := range sum.Stats.Steps {
		rows[s.Name] = s.In
	}
	if len(sum.Stats.Steps) != 3 || rows["length/min"] == 0 || rows["length/max"] == 0 || rows["length/min"] <= rows["length/max"] {
		t.Fatalf("step rows %+v", sum.Stats.Steps)
	}
	drops := map[string]int64{}
	for _, d := range sum.Stats.Drops {
		drops[d.Step] += d.Docs
	}
	if drops["length/min"] == 0 || drops["length/max"] == 0 {
		t.Fatalf("drops %v", drops)
	}
	removed, _ := filepath.Glob(filepath.Join(out, "removed", "*"))
	got := map[string]int64{}
	for _, p := range removed {
		r, err := shard.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if err != nil {
				break
			}
			idx := rec.Schema().FieldIndices(shard.ColDropStep)
			col := rec.Column(idx[0])
			for i := 0; i < col.Len(); i++ {
				got[col.ValueStr(i)]++
			}
		}
		r.Close()
	}
	if got["length/min"] != drops["length/min"] || got["length/max"] != drops["length/max"] {
		t.Fatalf("drop_step in removed/ %v, stats %v", got, drops)
	}
}
