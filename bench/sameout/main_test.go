package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeOut(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, body := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func base() map[string]string {
	return map[string]string{
		"stats.json":                `{"run":{"elapsed_secs":1.5,"documents":3},"steps":[{"name":"extract","in":4,"out":3,"nanos":100}]}`,
		"shards/000000-00000.arrow": "ARROW1 bytes",
		"shards/state.json":         `{"_fingerprint":"aaaa","_data_files":[{"filename":"000000-00000.arrow"}]}`,
		"dedup/stats.json":          `{"removed":1,"elapsed_secs":0.1}`,
		"report.md":                 "0.4 s: 155.8 pages/s",
	}
}

// TestCompare: timings, the state fingerprint and the reports may differ;
// a count, a shard byte or a missing file may not.
func TestCompare(t *testing.T) {
	cases := []struct {
		name   string
		change func(m map[string]string)
		want   string // substring of the one difference; "" for none
	}{
		{"timings only", func(m map[string]string) {
			m["stats.json"] = `{"run":{"elapsed_secs":9.9,"documents":3},"steps":[{"name":"extract","in":4,"out":3,"nanos":999}],"time":{"read_secs":2}}`
			m["dedup/stats.json"] = `{"removed":1,"elapsed_secs":7}`
			m["shards/state.json"] = `{"_fingerprint":"bbbb","_data_files":[{"filename":"000000-00000.arrow"}]}`
			m["report.md"] = "0.3 s: 201.0 pages/s"
		}, ""},
		{"a count", func(m map[string]string) {
			m["stats.json"] = `{"run":{"elapsed_secs":1.5,"documents":3},"steps":[{"name":"extract","in":4,"out":2,"nanos":100}]}`
		}, "stats.json.steps[0].out: 3 vs 2"},
		{"a shard byte", func(m map[string]string) { m["shards/000000-00000.arrow"] = "ARROW2 bytes" }, "bytes differ"},
		{"a missing shard", func(m map[string]string) { delete(m, "shards/000000-00000.arrow") }, "missing in"},
		{"a dedup count", func(m map[string]string) { m["dedup/stats.json"] = `{"removed":2,"elapsed_secs":0.1}` }, "dedup/stats.json.removed"},
		{"a data file in state.json", func(m map[string]string) {
			m["shards/state.json"] = `{"_fingerprint":"aaaa","_data_files":[]}`
		}, "_data_files"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := t.TempDir(), t.TempDir()
			writeOut(t, a, base())
			m := base()
			c.change(m)
			writeOut(t, b, m)
			diffs, err := compare(a, b)
			if err != nil {
				t.Fatal(err)
			}
			if c.want == "" {
				if len(diffs) != 0 {
					t.Fatalf("differences %q, want none", diffs)
				}
				return
			}
			if len(diffs) != 1 || !strings.Contains(diffs[0], c.want) {
				t.Fatalf("differences %q, want one with %q", diffs, c.want)
			}
		})
	}
	if _, err := compare(t.TempDir(), t.TempDir()); err == nil {
		t.Fatal("empty folders compared without error")
	}
}
