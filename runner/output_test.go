package runner

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/klauspost/compress/gzip"

	"github.com/sieve-data/sieve/dedup"
	"github.com/sieve-data/sieve/stats"
)

func shardBytes(t *testing.T, files []string) int64 {
	t.Helper()
	var n int64
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		n += st.Size()
	}
	return n
}

// parquetRows reads a Parquet file with arrow-go's reader and returns its
// rows and column names.
func parquetRows(t *testing.T, path string) (int64, []string, string) {
	t.Helper()
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	schema, err := fr.Schema()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range schema.Fields() {
		names = append(names, f.Name)
	}
	codec := ""
	if rdr.NumRowGroups() > 0 {
		cc, err := rdr.MetaData().RowGroup(0).ColumnChunk(0)
		if err != nil {
			t.Fatal(err)
		}
		codec = cc.Compression().String()
	}
	return rdr.NumRows(), names, codec
}

// The writer's format and compression apply to the final shards after
// dedup too: before, `compression: zstd` was lost when dedup rewrote them.
func TestWriterCompressionSurvivesDedup(t *testing.T) {
	inputs := sharedWARCs(t)
	size := map[string]int64{}
	for _, comp := range []string{"none", "zstd"} {
		cfg := mustConfig(t, "name: z\nsteps:\n  - extract\n  - length: {min_chars: 1}\n  - dedup: {mode: exact}\nwriter: {format: arrow_file, compression: "+comp+"}\n")
		sum, err := Run(context.Background(), Options{Config: cfg, Inputs: inputs, OutDir: t.TempDir(), Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		size[comp] = shardBytes(t, sum.ShardFiles)
	}
	if size["zstd"]*10 > size["none"]*8 {
		t.Fatalf("zstd shards after dedup are %d bytes, uncompressed %d: compression lost", size["zstd"], size["none"])
	}
}

// writer: {format: parquet}: the final shards (after dedup) are Parquet,
// zstd by default, with every row the summary counts and the dedup
// columns; removed/ is Parquet too; stats describe the same documents.
func TestRunWritesParquet(t *testing.T) {
	inputs := sharedWARCs(t)
	out := t.TempDir()
	cfg := mustConfig(t, "name: p\nsteps:\n  - extract\n  - length: {min_chars: 300}\n  - dedup: {}\nwriter: {format: parquet, removed: true}\n")
	sum, err := Run(context.Background(), Options{Config: cfg, Inputs: inputs, OutDir: out, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var rows int64
	for _, f := range sum.ShardFiles {
		if !strings.HasSuffix(f, ".parquet") || filepath.Dir(f) != filepath.Join(out, "shards") {
			t.Fatalf("shard %s", f)
		}
		n, names, codec := parquetRows(t, f)
		rows += n
		if codec != "ZSTD" && n > 0 {
			t.Fatalf("%s: codec %s", f, codec)
		}
		if got := strings.Join(names, " "); !strings.HasPrefix(got, "id url domain host title text language") || !strings.HasSuffix(got, dedup.ColClusterID+" "+dedup.ColClusterSize) {
			t.Fatalf("%s: columns %s", f, got)
		}
	}
	if rows != sum.Documents || rows == 0 || rows != sum.Stats.Kept.Docs {
		t.Fatalf("parquet rows %d, summary %d, stats %d", rows, sum.Documents, sum.Stats.Kept.Docs)
	}
	removed, _ := filepath.Glob(filepath.Join(out, "removed", "*"))
	var dropped int64
	for _, p := range removed {
		if !strings.HasSuffix(p, ".parquet") {
			t.Fatalf("removed/ holds %s", p)
		}
		n, names, _ := parquetRows(t, p)
		dropped += n
		if !strings.Contains(strings.Join(names, " "), "drop_step drop_reason") {
			t.Fatalf("%s: columns %v", p, names)
		}
	}
	if dropped == 0 {
		t.Fatal("no removed rows")
	}
	if _, err := os.Stat(filepath.Join(out, "work")); !os.IsNotExist(err) {
		t.Fatalf("work/ left behind: %v", err)
	}
}

// writer: {format: jsonl}: gzip by default, datatrove's layout (id and
// text on top, the rest under metadata), one line per kept document.
func TestRunWritesJSONL(t *testing.T) {
	inputs := sharedWARCs(t)[:8]
	cfg := mustConfig(t, "name: j\nsteps:\n  - extract\n  - length: {min_chars: 1}\nwriter: {format: jsonl}\n")
	sum, err := Run(context.Background(), Options{Config: cfg, Inputs: inputs, OutDir: t.TempDir(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var lines int64
	for _, p := range sum.ShardFiles {
		if !strings.HasSuffix(p, ".jsonl.gz") {
			t.Fatalf("shard %s", p)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(zr)
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			var doc struct {
				ID       string         `json:"id"`
				Text     string         `json:"text"`
				Metadata map[string]any `json:"metadata"`
			}
			if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
				t.Fatalf("%s line %d: %v", p, lines+1, err)
			}
			if doc.ID == "" || doc.Text == "" || doc.Metadata["url"] == nil || doc.Metadata["language"] != nil && doc.Metadata["text"] != nil {
				t.Fatalf("%s: %.300s", p, sc.Text())
			}
			lines++
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	if lines != sum.Documents || lines == 0 {
		t.Fatalf("%d lines, %d documents", lines, sum.Documents)
	}
}

func TestWriterConfigErrors(t *testing.T) {
	for _, w := range []string{"{format: orc}", "{format: arrow, compression: snappy}", "{format: jsonl, compression: lz4}"} {
		if _, err := ParseConfig([]byte("name: x\nsteps:\n  - extract\nwriter: " + w + "\n")); err == nil || !strings.Contains(err.Error(), "writer") {
			t.Errorf("writer %s: %v", w, err)
		}
	}
	for _, w := range []string{"{format: stream}", "{format: file, compression: zstd}", "{format: arrow_file}", "{format: parquet, compression: snappy}", "{format: jsonl, compression: zstd}"} {
		if _, err := ParseConfig([]byte("name: x\nsteps:\n  - extract\nwriter: " + w + "\n")); err != nil {
			t.Errorf("writer %s: %v", w, err)
		}
	}
}

// A run split into tasks with a Parquet writer: finalize counts the
// Parquet shards (the same documents as one task). With a dedup step the
// staged dedup reads and writes Parquet and finalize gives the same
// stats.json as the same run with the Arrow writer (cluster sizes
// included). With a JSONL writer, which the staged dedup does not read,
// the tasks write Arrow and finalize exports the survivors to JSONL: the
// same stats.json again, and no Arrow shard or Arrow metadata left.
func TestTasksWithParquetFinalize(t *testing.T) {
	inputs := sharedWARCs(t)[:10]
	const steps = "name: tp\nsteps:\n  - extract\n  - length: {min_chars: 100}\n"
	const pipe = steps + "writer: {format: parquet}\n"
	one, err := Run(context.Background(), Options{Config: mustConfig(t, pipe), Inputs: inputs, OutDir: t.TempDir(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	multi := t.TempDir()
	for i := 0; i < 3; i++ {
		if _, err := Run(context.Background(), Options{Config: mustConfig(t, pipe), Inputs: TaskSlice(inputs, 3, i),
			OutDir: multi, Workers: 1, Tasks: 3, TaskIndex: i, NoReport: true}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Finalize(multi, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Documents != one.Documents || res.Documents == 0 || res.Stats.Kept.Chars != one.Stats.Kept.Chars {
		t.Fatalf("finalize counted %d documents (%d chars), one task wrote %d (%d)", res.Documents, res.Stats.Kept.Chars, one.Documents, one.Stats.Kept.Chars)
	}
	// Two copies of the same files, so the staged dedup has duplicates
	// across tasks.
	dupInputs := append(append([]InputFile(nil), inputs...), inputs...)
	for i := range dupInputs {
		dupInputs[i].Index = i
	}
	var jsonlShards string
	staged := func(writer string) *FinalizeResult {
		t.Helper()
		out, dd := t.TempDir(), t.TempDir()
		jsonlShards = filepath.Join(dd, shardsDir)
		for i := 0; i < 2; i++ {
			if _, err := Run(context.Background(), Options{Config: mustConfig(t, steps+"  - dedup: {}\n"+writer), Inputs: TaskSlice(dupInputs, 2, i),
				OutDir: out, Workers: 1, Tasks: 2, TaskIndex: i, NoReport: true}); err != nil {
				t.Fatalf("%s: %v", writer, err)
			}
		}
		shards, _ := filepath.Glob(filepath.Join(out, shardsDir, "*"))
		cfg := dedup.DefaultConfig()
		cfg.Mode = dedup.ModeAll
		if _, err := dedup.DedupShards(context.Background(), shards, dd, cfg); err != nil {
			t.Fatalf("%s: staged dedup of %v: %v", writer, shards, err)
		}
		res, err := Finalize(out, filepath.Join(dd, shardsDir), nil)
		if err != nil {
			t.Fatalf("%s: %v", writer, err)
		}
		return res
	}
	pq, arrowRes := staged("writer: {format: parquet}\n"), staged("")
	if !strings.HasSuffix(pq.Shards[0], ".parquet") || !strings.HasSuffix(arrowRes.Shards[0], ".arrow") {
		t.Fatalf("final shards %v and %v", pq.Shards, arrowRes.Shards)
	}
	pq.Stats.Run, arrowRes.Stats.Run = stats.RunInfo{}, stats.RunInfo{}
	a, b := mustStatsJSON(t, pq.Stats), mustStatsJSON(t, arrowRes.Stats)
	if pq.Documents == 0 || pq.Documents != arrowRes.Documents || len(pq.Stats.Dedup.ClusterSizes) == 0 || a != b {
		t.Fatalf("staged dedup over Parquet kept %d documents, over Arrow %d; stats differ: %v\n%s\n%s", pq.Documents, arrowRes.Documents, a != b, a, b)
	}
	if pq.Documents >= int64(2*one.Documents) || pq.Stats.Dedup.Removed["exact"]+pq.Stats.Dedup.Removed["url"] == 0 {
		t.Fatalf("staged dedup removed nothing: %d documents, removed %v", pq.Documents, pq.Stats.Dedup.Removed)
	}
	t.Logf("staged dedup over Parquet: %d documents kept, removed %v, clusters %v", pq.Documents, pq.Stats.Dedup.Removed, pq.Stats.Dedup.ClusterSizes)

	js := staged("writer: {format: jsonl, compression: zstd}\n")
	js.Stats.Run = stats.RunInfo{}
	if c := mustStatsJSON(t, js.Stats); js.Documents != arrowRes.Documents || c != b {
		t.Fatalf("staged dedup exported to JSONL by finalize kept %d documents, over Arrow %d; stats differ: %v\n%s\n%s", js.Documents, arrowRes.Documents, c != b, c, b)
	}
	left, _ := os.ReadDir(jsonlShards)
	for _, e := range left {
		if !strings.HasSuffix(e.Name(), ".jsonl.zst") {
			t.Errorf("%s left beside the exported JSONL shards", e.Name())
		}
	}
	if len(left) != len(js.Shards) || len(left) == 0 {
		t.Errorf("%d files in the shards folder, finalize names %d shards", len(left), len(js.Shards))
	}
}

// mustStatsJSON is the stats.json of c without its timings.
func mustStatsJSON(t *testing.T, c *stats.Collector) string {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	var strip func(v any)
	strip = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if strings.Contains(k, "nanos") || strings.Contains(k, "secs") || strings.Contains(k, "per_sec") {
					delete(v, k)
				} else {
					strip(x)
				}
			}
		case []any:
			for _, x := range v {
				strip(x)
			}
		}
	}
	strip(m)
	b, _ = json.Marshal(m)
	return string(b)
}

// A finalize killed while exporting left some exported shards beside the
// Arrow ones: they are exported again, not counted twice.
func TestWithoutExported(t *testing.T) {
	got := withoutExported([]string{"000000-00000.arrow", "000000-00000.jsonl.gz", "000001-00000.arrow", "000002-00000.jsonl.gz", "notes"})
	want := []string{"000000-00000.arrow", "000001-00000.arrow", "000002-00000.jsonl.gz", "notes"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("withoutExported = %v, want %v", got, want)
	}
}
