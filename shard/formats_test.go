package shard

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/sieve-data/sieve/pipeline"
)

func formatDocs() []pipeline.Document {
	d := []pipeline.Document{
		{ID: "a", URL: "https://x.example/", Text: "line one\nline \"two\"\t\\ \u2028 end", Language: "en", LanguageScore: 0.5,
			Date: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), TokenCount: 12},
		{ID: "b", Text: "東京 bad \xff byte", TokenCount: -1},
	}
	d[0].SetSignal("s1", 1.5)
	return d
}

// Parquet shards read back through Open (the same reader inspect, dedup
// and the dataset reader use) give the documents written.
func TestParquetRoundTrip(t *testing.T) {
	docs := formatDocs()
	w, err := NewWriter(WriterOptions{Dir: t.TempDir(), Prefix: "p", Format: FormatParquet, SignalNames: []string{"s1", "s2"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range docs {
		if err := w.Write(&docs[i]); err != nil {
			t.Fatal(err)
		}
	}
	files, err := w.Close()
	if err != nil || len(files) != 1 || !strings.HasSuffix(files[0], ".parquet") {
		t.Fatal(files, err)
	}
	if f, _ := DetectFormat(files[0]); f != FormatParquet {
		t.Fatalf("format %q", f)
	}
	got, err := ReadDocuments(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Text != docs[0].Text || !got[0].Date.Equal(docs[0].Date) || got[0].TokenCount != 12 ||
		got[1].TokenCount != -1 || got[0].Signals["s1"] != 1.5 || got[1].Text != "東京 bad \uFFFD byte" || got[0].LanguageScore != 0.5 {
		t.Fatalf("read back %+v", got)
	}
	if _, ok := got[0].Signals["s2"]; ok {
		t.Fatal("a null signal read as a value")
	}
}

// JSONL lines are valid JSON in datatrove's layout, with strings escaped
// (U+2028 too, which ends a line in JavaScript) and bad UTF-8 repaired.
func TestJSONLWriter(t *testing.T) {
	docs := formatDocs()
	w, err := NewWriter(WriterOptions{Dir: t.TempDir(), Prefix: "j", Format: FormatJSONL, Compression: "zstd", SignalNames: []string{"s1"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range docs {
		w.Write(&docs[i])
	}
	files, err := w.Close()
	if err != nil || !strings.HasSuffix(files[0], ".jsonl.zst") {
		t.Fatal(files, err)
	}
	f, _ := os.Open(files[0])
	defer f.Close()
	zr, _ := zstd.NewReader(f)
	defer zr.Close()
	sc := bufio.NewScanner(zr)
	var lines []map[string]any
	for sc.Scan() {
		if strings.Contains(sc.Text(), "\u2028") {
			t.Fatal("raw U+2028 in a line")
		}
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%v: %s", err, sc.Text())
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 || lines[0]["text"] != docs[0].Text || lines[1]["text"] != "東京 bad \uFFFD byte" {
		t.Fatalf("%v", lines)
	}
	md := lines[0]["metadata"].(map[string]any)
	if md["url"] != "https://x.example/" || md["date"] != "2024-01-02T03:04:05Z" || md["token_count"] != 12.0 ||
		md["quality_signals"].(map[string]any)["s1"] != 1.5 || lines[0]["id"] != "a" {
		t.Fatalf("metadata %v", md)
	}
	if _, ok := lines[1]["metadata"].(map[string]any)["token_count"]; ok {
		t.Fatal("null token_count written")
	}
}
