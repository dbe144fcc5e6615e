package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
)

// nodeReaders returns node and tools/node-readers, installed by
// scripts/install-node-readers. Without them the tests are skipped,
// except under CI, where they must run.
func nodeReaders(t *testing.T) (node, dir string) {
	t.Helper()
	dir = filepath.Join(testdata.RepoRoot(t), "tools", "node-readers")
	node, err := exec.LookPath("node")
	for _, m := range []string{"@duckdb/node-api", "@duckdb/node-bindings-linux-x64", "nodejs-polars", "nodejs-polars-linux-x64-gnu", "apache-arrow"} {
		if err == nil {
			_, err = os.Stat(filepath.Join(dir, "node_modules", m))
		}
	}
	if err != nil {
		msg := "the DuckDB/polars reader tests need node and scripts/install-node-readers: " + err.Error()
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return node, dir
}

// runNode runs a script of tools/node-readers and decodes its JSON.
func runNode(t *testing.T, node, dir string, v any, args ...string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(node, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %v: %v\n%s", args, err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), v); err != nil {
		t.Fatalf("node %v: %v\n%.500s", args, err, stdout.String())
	}
}

func runSieve(t *testing.T, args ...string) string {
	t.Helper()
	b, err := sieveCmd(t, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("sieve %v: %v\n%s", args, err, b)
	}
	return string(b)
}

func writePipeline(t *testing.T, yaml string) string {
	p := filepath.Join(t.TempDir(), "p.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// DuckDB reads the Parquet output (after dedup) with read_parquet, with
// plain types (VARCHAR, FLOAT, TIMESTAMP WITH TIME ZONE, a STRUCT of
// DOUBLE), and its documents and characters per language equal
// stats.json's; polars reads the Parquet, Arrow stream and Arrow file
// outputs with every row.
func TestDuckDBAndPolarsReadOutput(t *testing.T) {
	node, dir := nodeReaders(t)
	warcs, _ := filepath.Glob(filepath.Join(testdata.Shared(t, "warc"), "*.warc*"))
	const steps = "steps:\n  - extract\n  - langid\n  - length: {min_chars: 100}\n  - dedup: {}\n"
	for _, format := range []string{"parquet", "arrow", "arrow_file"} {
		out := t.TempDir()
		pipe := writePipeline(t, "name: n\n"+steps+"writer: {format: "+format+"}\n")
		runSieve(t, append([]string{"run", "-q", "--pipeline", pipe, "-o", out}, warcs...)...)
		var st struct {
			Run       struct{ Documents int64 } `json:"run"`
			Languages map[string]struct {
				Docs  int64 `json:"docs"`
				Chars int64 `json:"chars"`
			} `json:"languages"`
		}
		b, err := os.ReadFile(filepath.Join(out, "stats.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		if st.Run.Documents < 50 {
			t.Fatalf("%s: only %d documents; the test would prove little", format, st.Run.Documents)
		}
		shards, _ := filepath.Glob(filepath.Join(out, "shards", "*"))
		var files []string
		for _, s := range shards {
			if strings.HasSuffix(s, ".parquet") || strings.HasSuffix(s, ".arrow") {
				files = append(files, s)
			}
		}
		mode := map[string]string{"parquet": "polars-parquet", "arrow": "polars-ipc-stream", "arrow_file": "polars-ipc"}[format]
		var pol struct {
			Rows   int64             `json:"rows"`
			Dtypes map[string]string `json:"dtypes"`
		}
		runNode(t, node, dir, &pol, append([]string{"read-outputs.mjs", mode}, files...)...)
		if pol.Rows != st.Run.Documents {
			t.Fatalf("%s: polars read %d rows, stats.json says %d documents", format, pol.Rows, st.Run.Documents)
		}
		if pol.Dtypes["text"] != "DataType(String)" || pol.Dtypes["date"] != "DataType(Datetime(us,UTC))" {
			t.Fatalf("%s: polars types %v", format, pol.Dtypes)
		}
		if format != "parquet" {
			continue
		}
		var duck struct {
			Languages map[string]struct {
				Docs  int64 `json:"docs"`
				Chars int64 `json:"chars"`
			} `json:"languages"`
			Types map[string]string `json:"types"`
		}
		runNode(t, node, dir, &duck, "read-outputs.mjs", "duckdb-parquet", filepath.Join(out, "shards", "*.parquet"))
		if fmt.Sprint(duck.Languages) != fmt.Sprint(st.Languages) {
			t.Fatalf("DuckDB per language %v\nstats.json %v", duck.Languages, st.Languages)
		}
		if duck.Types["text"] != "VARCHAR" || duck.Types["date"] != "TIMESTAMP WITH TIME ZONE" || duck.Types["language_score"] != "FLOAT" ||
			!strings.HasPrefix(duck.Types["quality_signals"], "STRUCT(") {
			t.Fatalf("DuckDB types %v", duck.Types)
		}
	}
}

// Arrow files written by apache-arrow JS (file format with the schema in
// the footer only; dictionary-encoded or plain strings) and by polars
// (string_view, Categorical, zstd, stream) are read by sieve inspect,
// sieve run and sieve dedup.
func TestForeignArrowFiles(t *testing.T) {
	node, dir := nodeReaders(t)
	type row struct {
		ID   string `json:"id"`
		Text string `json:"text"`
		URL  string `json:"url"`
	}
	var rows []row
	// Exact dedup normalises digits away: the texts differ in letters.
	letters := func(i int) string { return string(rune('a'+i%26)) + string(rune('a'+i/26)) + "x" }
	for i := range 40 {
		rows = append(rows, row{fmt.Sprintf("doc-%02d", i),
			fmt.Sprintf("Document %s says something about topic %s in a sentence of its own, with words.", letters(i), letters(i*7%13)),
			fmt.Sprintf("https://site%d.example.com/page/%d", i%5, i)})
	}
	texts := filepath.Join(t.TempDir(), "texts.json")
	b, _ := json.Marshal(rows)
	os.WriteFile(texts, b, 0o644)
	fixtures := t.TempDir()
	var made struct{ Files []string }
	runNode(t, node, dir, &made, "write-fixtures.mjs", fixtures, texts)
	if len(made.Files) != 7 {
		t.Fatalf("fixtures %v", made.Files)
	}
	pipe := writePipeline(t, "name: f\nreader: {type: arrow}\nsteps:\n  - length: {min_chars: 1}\n")
	for _, name := range made.Files {
		p := filepath.Join(fixtures, name)
		var sum struct {
			Rows int64 `json:"rows"`
		}
		if err := json.Unmarshal([]byte(runSieve(t, "inspect", "--json", "-n", "1", p)), &sum); err != nil || sum.Rows != int64(len(rows)) {
			t.Fatalf("inspect %s: %d rows, %v", name, sum.Rows, err)
		}
		out := t.TempDir()
		runSieve(t, "run", "-q", "--pipeline", pipe, "-o", out, p)
		var st struct {
			Run struct{ Documents int64 } `json:"run"`
		}
		sb, _ := os.ReadFile(filepath.Join(out, "stats.json"))
		if json.Unmarshal(sb, &st); st.Run.Documents != int64(len(rows)) {
			t.Fatalf("run %s: %d documents", name, st.Run.Documents)
		}
		ded := t.TempDir()
		msg := runSieve(t, "dedup", "--mode", "exact", "-o", ded, p)
		if !strings.Contains(msg, fmt.Sprintf("%d documents, %d kept", len(rows), len(rows))) {
			t.Fatalf("dedup %s: %s", name, msg)
		}
	}
	// All seven hold the same texts: dedup over them keeps one of each.
	var all []string
	for _, name := range made.Files {
		all = append(all, filepath.Join(fixtures, name))
	}
	msg := runSieve(t, append([]string{"dedup", "--mode", "exact", "-o", t.TempDir()}, all...)...)
	if !strings.Contains(msg, fmt.Sprintf("%d documents, %d kept", 7*len(rows), len(rows))) {
		t.Fatalf("dedup over all: %s", msg)
	}
}
