package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sieve-data/sieve/dedup"
	"github.com/sieve-data/sieve/internal/testdata"
)

var tagRE = regexp.MustCompile(`<[^>]*>`)

// pageText is the text of a readability expected.html page, tags removed.
func pageText(t *testing.T, name string) string {
	b, err := os.ReadFile(filepath.Join(testdata.Shared(t, "html"), name, "expected.html"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(tagRE.ReplaceAllString(string(b), " ")), " ")
}

func writeDedupShard(t *testing.T, path string, ids, texts []string) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.BinaryTypes.String},
		{Name: "text", Type: arrow.BinaryTypes.String},
		{Name: "n", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range ids {
		b.Field(0).(*array.StringBuilder).Append(ids[i])
		b.Field(1).(*array.StringBuilder).Append(texts[i])
		b.Field(2).(*array.Int64Builder).Append(int64(i))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := ipc.NewWriter(f, ipc.WithSchema(schema))
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	w.Close()
	f.Close()
}

func keptIDs(t *testing.T, dir string) []string {
	var ids []string
	files, _ := filepath.Glob(filepath.Join(dir, "shards", "*.arrow"))
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ipc.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			rec := r.RecordBatch()
			col := rec.Column(rec.Schema().FieldIndices("id")[0]).(*array.String)
			for i := 0; i < col.Len(); i++ {
				ids = append(ids, col.Value(i))
			}
		}
		if err := r.Err(); err != nil && !errors.Is(err, io.EOF) {
			t.Fatal(err)
		}
		r.Release()
		f.Close()
	}
	return ids
}

// TestDedupCommand runs `sieve dedup` and the four staged subcommands on
// real pages (English, French, Japanese, Chinese) and their near copies.
func TestDedupCommand(t *testing.T) {
	names := []string{"wikipedia", "lemonde-1", "hukumusume", "qq"}
	var ids, texts []string
	for _, n := range names {
		text := pageText(t, n)
		ids = append(ids, n)
		texts = append(texts, text)
		// A near copy: one sentence-sized piece cut from the middle.
		r := []rune(text)
		cut := len(r) / 2
		ids = append(ids, n+"-copy")
		texts = append(texts, string(r[:cut])+string(r[cut+len(r)/100:]))
	}
	dir := t.TempDir()
	in1, in2 := filepath.Join(dir, "a.arrow"), filepath.Join(dir, "b.arrow")
	writeDedupShard(t, in1, ids[:4], texts[:4])
	writeDedupShard(t, in2, ids[4:], texts[4:])

	run := func(args ...string) string {
		t.Helper()
		var stderr bytes.Buffer
		rootCmd.SetArgs(args)
		rootCmd.SetErr(&stderr)
		dedupFlags.tasks, dedupFlags.taskIndex = 1, 0
		if err := rootCmd.ExecuteContext(context.Background()); err != nil {
			t.Fatalf("sieve %v: %v\n%s", args, err, stderr.String())
		}
		return stderr.String()
	}
	one := filepath.Join(dir, "one")
	log := run("dedup", "--mode", "all", "-o", one, in1, in2)
	if !strings.Contains(log, "Jaccard threshold (1/b)^(1/r) = 0.719") {
		t.Errorf("threshold not printed:\n%s", log)
	}
	got := strings.Join(keptIDs(t, one), ",")
	if got != strings.Join(names, ",") {
		t.Errorf("kept %s, want %s", got, strings.Join(names, ","))
	}
	var st dedup.Stats
	b, err := os.ReadFile(filepath.Join(one, "stats.json"))
	if err != nil || json.Unmarshal(b, &st) != nil || st.Removed != 4 || st.Documents != 8 {
		t.Errorf("stats.json: %s (%v)", b, err)
	}

	staged := filepath.Join(dir, "staged")
	for i := range 2 {
		run("dedup", "signatures", "--mode", "all", "--tasks", "2", "--task-index", string(rune('0'+i)), "-o", staged, in1, in2)
	}
	run("dedup", "buckets", "-o", staged)
	run("dedup", "clusters", "-o", staged)
	for i := range 2 {
		run("dedup", "filter", "--tasks", "2", "--task-index", string(rune('0'+i)), "-o", staged)
	}
	if s := strings.Join(keptIDs(t, staged), ","); s != got {
		t.Errorf("staged kept %s, one-process %s", s, got)
	}

	// Usage errors.
	rootCmd.SetArgs([]string{"dedup", "--mode", "fuzzy", "-o", dir, in1})
	var ue usageError
	if err := rootCmd.Execute(); !errors.As(err, &ue) {
		t.Errorf("bad mode: %v, want a usage error", err)
	}
	rootCmd.SetArgs([]string{"dedup", in1})
	if err := rootCmd.Execute(); !errors.As(err, &ue) {
		t.Errorf("missing -o: %v, want a usage error", err)
	}
}
