package pypeers

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
)

// TestPythonReadersLoadShards runs the default and extract pipelines on the
// real sample WARCs in every writer format and has check_shards.py read the
// shards with Hugging Face datasets, pyarrow, polars and DuckDB; every row,
// the schema and the features must equal what `sieve inspect --json` says.
// For the stream format, datasets.load_from_disk must not cast (a schema
// that differs from dataset_info.json's features only in nullability made
// it cast, and the cast failed on shards with no record batch).
//
// Parquet: load_dataset("parquet") with the features of dataset_info.json,
// pyarrow.parquet, polars and DuckDB's own read_parquet.
func TestPythonReadersLoadShards(t *testing.T) {
	py := venvPython(t)
	bin := buildSieve(t)
	root := testdata.RepoRoot(t)
	sample := filepath.Join(root, "testdata", "sample")
	variants := []struct {
		pipeline, format, compression string
	}{
		{"fineweb", "stream", ""},
		{"fineweb", "file", ""},
		{"extract", "stream", ""},
		{"extract", "stream", "zstd"},
		{"extract", "file", "zstd"},
		{"fineweb", "parquet", ""},
		{"extract", "parquet", "snappy"},
		{"fineweb", "jsonl", "gzip"},
		{"extract", "jsonl", ""},
	}
	for _, v := range variants {
		name := v.pipeline + "/" + v.format
		if v.compression != "" {
			name += "+" + v.compression
		}
		t.Run(name, func(t *testing.T) {
			out := runPipeline(t, bin, root, v.pipeline, v.format, v.compression, sample)
			// Parquet and JSONL shards are compared with the Arrow stream shards of a
			// second run of the same pipeline (sieve inspect reads Arrow
			// only); runs are deterministic, so they hold the same rows.
			ref, features := out, ""
			if v.format == "parquet" || v.format == "jsonl" {
				ref = runPipeline(t, bin, root, v.pipeline, "stream", "", sample)
				features = filepath.Join(ref, "shards", "dataset_info.json")
			}
			dir := t.TempDir()
			shards, _ := filepath.Glob(filepath.Join(ref, "shards", "*.arrow"))
			sort.Strings(shards)
			if len(shards) == 0 {
				t.Fatal("no shards written")
			}
			type shard struct {
				Name    string          `json:"name"`
				Inspect json.RawMessage `json:"inspect"`
			}
			var exp struct {
				Shards []shard `json:"shards"`
			}
			rows := 0
			for _, s := range shards {
				b, err := exec.Command(bin, "inspect", "--json", "-n", "1000000", "--width", "0", s).Output()
				if err != nil {
					t.Fatalf("sieve inspect %s: %v", s, err)
				}
				var head struct {
					Rows int `json:"rows"`
				}
				if err := json.Unmarshal(b, &head); err != nil {
					t.Fatalf("sieve inspect --json %s: %v", s, err)
				}
				rows += head.Rows
				name := filepath.Base(s)
				if v.format != "stream" && v.format != "file" {
					name = outputNamed(t, filepath.Join(out, "shards"), strings.TrimSuffix(name, ".arrow"))
				}
				exp.Shards = append(exp.Shards, shard{name, b})
			}
			if rows < 10 {
				t.Fatalf("only %d rows over %d shards: too few to compare", rows, len(shards))
			}
			expPath := filepath.Join(dir, "expected.json")
			b, _ := json.Marshal(exp)
			if err := os.WriteFile(expPath, b, 0o644); err != nil {
				t.Fatal(err)
			}
			res := runPython(t, py, "check_shards.py", nil, filepath.Join(out, "shards"), v.format, expPath, features)
			var got struct {
				Rows    int            `json:"rows"`
				Readers map[string]int `json:"readers"`
			}
			if err := json.Unmarshal(res, &got); err != nil {
				t.Fatalf("check_shards.py output: %v\n%s", err, res)
			}
			want := []string{"datasets.load_dataset('arrow')", "pyarrow", "polars", "duckdb"}
			switch v.format {
			case "stream":
				want = append(want, "datasets.load_from_disk", "datasets.Dataset.from_file")
			case "file":
				want = append(want, "pyarrow.feather")
			case "parquet":
				want = []string{"datasets.load_dataset('parquet')", "pyarrow.parquet", "polars", "duckdb"}
			case "jsonl":
				want = []string{"datasets.load_dataset('json')", "pyarrow.json", "polars", "duckdb", "datatrove.JsonlReader"}
			}
			for _, r := range want {
				if got.Readers[r] != rows {
					t.Errorf("%s read %d rows, sieve inspect %d", r, got.Readers[r], rows)
				}
			}
			t.Logf("%d rows in %d shards read by %s", rows, len(shards), strings.Join(want, ", "))
		})
	}
}

// runPipeline runs sieve with pipelines/NAME.yaml and the writer's format
// and compression over in, and returns OUT.
func runPipeline(t *testing.T, bin, root, name, format, compression, in string) string {
	t.Helper()
	dir := t.TempDir()
	base, err := os.ReadFile(filepath.Join(root, "pipelines", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writer := "\nwriter: {format: " + format
	if compression != "" {
		writer += ", compression: " + compression
	}
	pipe := filepath.Join(dir, "pipeline.yaml")
	if err := os.WriteFile(pipe, append(base, writer+"}\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if b, err := exec.Command(bin, "run", "--pipeline", pipe, "-o", out, in).CombinedOutput(); err != nil {
		t.Fatalf("sieve run: %v\n%s", err, b)
	}
	return out
}

// outputNamed returns the name of the data file in dir whose name is stem
// plus a suffix (.parquet, .jsonl, .jsonl.gz...).
func outputNamed(t *testing.T, dir, stem string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, stem+".*"))
	if len(m) != 1 {
		t.Fatalf("want one output file for %s in %s, found %v", stem, dir, m)
	}
	return filepath.Base(m[0])
}
