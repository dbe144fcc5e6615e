package shard

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/pipeline"
)

// arrowCheck returns the command that runs tools/arrow-check/check.mjs,
// the Apache Arrow JavaScript reader. Without node or the installed
// node_modules the test is skipped, except under CI, where it must run.
func arrowCheck(t *testing.T) (node, script string) {
	t.Helper()
	dir := filepath.Join(testdata.RepoRoot(t), "tools", "arrow-check")
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", "apache-arrow"))
	}
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", "fzstd"))
	}
	if err != nil {
		msg := "independent reader check needs node and `npm ci` in tools/arrow-check: " + err.Error()
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return node, filepath.Join(dir, "check.mjs")
}

type checkResult struct {
	Format  string           `json:"format"`
	Rows    int              `json:"rows"`
	Columns []string         `json:"columns"`
	Types   []string         `json:"types"`
	First   map[string]any   `json:"first"`
	All     []map[string]any `json:"all"`
}

func runArrowCheck(t *testing.T, node, script, shard string) checkResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(node, script, "--all", shard)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node check.mjs %s: %v\n%s", shard, err, stderr.String())
	}
	var res checkResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("check.mjs output: %v\n%.500s", err, stdout.String())
	}
	return res
}

// TestApacheArrowJSReadsShards writes real documents in both formats, with
// and without zstd, and has apache-arrow (JavaScript) read them back value
// by value.
func TestApacheArrowJSReadsShards(t *testing.T) {
	node, script := arrowCheck(t)
	docs := realDocs(t)
	for _, format := range []Format{FormatStream, FormatFile} {
		for _, comp := range []string{"", CompressionZstd} {
			t.Run(string(format)+"/"+comp, func(t *testing.T) {
				files := writeAll(t, WriterOptions{Dir: t.TempDir(), Prefix: "js", Format: format, Compression: comp,
					BatchRows: 50, SignalNames: testSignals}, docs)
				if len(files) != 1 {
					t.Fatalf("want one shard, got %v", files)
				}
				res := runArrowCheck(t, node, script, files[0])
				if res.Format != string(format) {
					t.Errorf("check.mjs saw format %q, want %q", res.Format, format)
				}
				if res.Rows != len(docs) || len(res.All) != len(docs) {
					t.Fatalf("rows %d (%d listed), want %d", res.Rows, len(res.All), len(docs))
				}
				wantCols := Schema(testSignals, false).Fields()
				var names []string
				for _, f := range wantCols {
					names = append(names, f.Name)
				}
				if !slices.Equal(res.Columns, names) {
					t.Errorf("columns %v, want %v", res.Columns, names)
				}
				for i := range docs {
					compareJSRow(t, i, res.All[i], expected(docs[i], testSignals))
				}
				if !jsonEqual(res.First, res.All[0]) {
					t.Errorf("first %v differs from all[0]", res.First)
				}
			})
		}
	}
}

func TestApacheArrowJSReadsEmptyAndRemovedShards(t *testing.T) {
	node, script := arrowCheck(t)
	dir := t.TempDir()
	empty := writeAll(t, WriterOptions{Dir: dir, Prefix: "empty", SignalNames: testSignals}, nil)
	if res := runArrowCheck(t, node, script, empty[0]); res.Rows != 0 || len(res.Columns) != 13 {
		t.Errorf("empty shard: rows %d, columns %v", res.Rows, res.Columns)
	}
	docs := realDocs(t)[:5]
	removed := writeAll(t, WriterOptions{Dir: dir, Prefix: "removed", Format: FormatFile, Removed: true}, docs)
	res := runArrowCheck(t, node, script, removed[0])
	if res.Rows != 5 || res.Columns[len(res.Columns)-1] != ColDropReason {
		t.Fatalf("removed shard: rows %d, columns %v", res.Rows, res.Columns)
	}
	if res.All[2][ColDropStep] != "gopher_quality" || res.All[2][ColDropReason] != "gopher_short_document" {
		t.Errorf("removed shard row: %v", res.All[2])
	}
}

// compareJSRow checks one row as check.mjs printed it.
func compareJSRow(t *testing.T, i int, got map[string]any, d pipeline.Document) {
	t.Helper()
	str := map[string]string{
		ColID: d.ID, ColURL: d.URL, ColDomain: d.Domain, ColHost: d.Host, ColTitle: d.Title, ColText: d.Text,
		ColLanguage: d.Language, ColWARCRecordID: d.WARCRecordID, ColWARCFilename: d.WARCFilename,
	}
	for col, want := range str {
		if got[col] != want {
			t.Errorf("row %d %s: got %.80q, want %.80q", i, col, got[col], want)
		}
	}
	if got[ColLanguageScore] != float64(d.LanguageScore) {
		t.Errorf("row %d language_score: got %v, want %v", i, got[ColLanguageScore], d.LanguageScore)
	}
	var wantDate any
	if !d.Date.IsZero() {
		wantDate = strconv.FormatInt(d.Date.UnixMicro(), 10)
	}
	if got[ColDate] != wantDate {
		t.Errorf("row %d date: got %v, want %v", i, got[ColDate], wantDate)
	}
	var wantTokens any
	if d.TokenCount >= 0 {
		wantTokens = strconv.FormatInt(d.TokenCount, 10)
	}
	if got[ColTokenCount] != wantTokens {
		t.Errorf("row %d token_count: got %v, want %v", i, got[ColTokenCount], wantTokens)
	}
	sig, ok := got[ColQualitySignals].(map[string]any)
	if !ok {
		t.Fatalf("row %d quality_signals: %v", i, got[ColQualitySignals])
	}
	for _, name := range testSignals {
		v, has := d.Signals[name]
		var want any
		switch {
		case !has:
			want = nil
		case math.IsInf(v, 1):
			want = "Infinity"
		case math.IsInf(v, -1):
			want = "-Infinity"
		case math.IsNaN(v):
			want = "NaN"
		default:
			want = v
		}
		if sig[name] != want {
			t.Errorf("row %d signal %s: got %v, want %v", i, name, sig[name], want)
		}
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
