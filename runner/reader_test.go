package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/ingest"
	"github.com/sieve-data/sieve/pipeline"
)

// readTable reads every document of dataset files with sieve's readers.
func readTable(t *testing.T, typ string, files []string) map[string]pipeline.Document {
	t.Helper()
	out := map[string]pipeline.Document{}
	for _, p := range files {
		extra, _, err := ingest.DetectExtra(typ, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ingest.OpenTable(typ, p, ingest.TableOptions{Extra: extra})
		if err != nil {
			t.Fatal(err)
		}
		for {
			d, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			cp := *d
			cp.Extra = nil
			out[d.ID] = cp
		}
		if s := r.Stats(); s.DamagedCount > 0 {
			t.Fatalf("%s: damaged %v", p, s.Damaged)
		}
		r.Close()
	}
	return out
}

// WARC → sieve → Parquet → sieve (parquet reader, no extract) gives the
// same rows and the same signals: the Parquet output is a dataset sieve
// itself reads back without loss.
func TestParquetRoundTrip(t *testing.T) {
	inputs := sharedWARCs(t)
	first := t.TempDir()
	cfg1 := mustConfig(t, "name: a\nsteps:\n  - extract\n  - gopher_quality: {}\n  - length: {min_chars: 200}\nwriter: {format: parquet}\n")
	sum1, err := Run(context.Background(), Options{Config: cfg1, Inputs: inputs, OutDir: first, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	in2, err := ExpandInputsFor([]string{filepath.Join(first, "shards")}, ingest.TypeParquet)
	if err != nil || len(in2) != len(sum1.ShardFiles) {
		t.Fatalf("expanding the parquet output: %d files, %v", len(in2), err)
	}
	cfg2 := mustConfig(t, "name: b\nreader: {type: parquet}\nsteps:\n  - gopher_quality: {}\n  - length: {min_chars: 200}\nwriter: {format: parquet}\n")
	second := t.TempDir()
	sum2, err := Run(context.Background(), Options{Config: cfg2, Inputs: in2, OutDir: second, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Documents != sum1.Documents || sum1.Documents == 0 {
		t.Fatalf("second run kept %d of %d", sum2.Documents, sum1.Documents)
	}
	a, b := readTable(t, ingest.TypeParquet, sum1.ShardFiles), readTable(t, ingest.TypeParquet, sum2.ShardFiles)
	if len(a) != int(sum1.Documents) || len(b) != len(a) {
		t.Fatalf("%d and %d rows, %d documents", len(a), len(b), sum1.Documents)
	}
	for id, x := range a {
		y, ok := b[id]
		if !ok {
			t.Fatalf("%s lost", id)
		}
		if x.Text != y.Text || x.URL != y.URL || x.Domain != y.Domain || x.Host != y.Host || !x.Date.Equal(y.Date) ||
			x.Title != y.Title || x.WARCRecordID != y.WARCRecordID || x.WARCFilename != y.WARCFilename {
			t.Fatalf("%s differs:\n%+v\n%+v", id, x, y)
		}
		if len(x.Signals) == 0 || fmt.Sprint(x.Signals) != fmt.Sprint(y.Signals) {
			t.Fatalf("%s signals differ:\n%v\n%v", id, x.Signals, y.Signals)
		}
	}
	if sum2.Stats.Kept.Chars != sum1.Stats.Kept.Chars {
		t.Fatalf("kept chars %d then %d", sum1.Stats.Kept.Chars, sum2.Stats.Kept.Chars)
	}
}

// A JSONL dataset in dolma's layout: mapped fields fill the document, the
// rest is carried through to Parquet and back to JSONL unchanged; a
// malformed line and a line without text are counted with their place.
func TestJSONLDatasetCarriesFields(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		`{"id":"a","text":"first document text here","source":"cc","added":"2024-01-01","metadata":{"url":"https://www.example.com/a","score":0.5,"tags":["x","y"]}}`,
		`{"id":7,"text":"second one","source":"cc","metadata":{"url":"https://blog.example.org/b","score":1}}`,
		`{"id":"c","text":"", "source":"cc"}`,
		`{"id":"d","text":"broken`,
		``,
		`{"id":"e","text":"third","source":null,"metadata":{"score":2}}`,
	}
	in := filepath.Join(dir, "data.jsonl")
	os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	inputs, err := ExpandInputsFor([]string{dir}, "")
	if err != nil || len(inputs) != 1 {
		t.Fatalf("inputs %v %v", inputs, err)
	}
	for _, format := range []string{"parquet", "jsonl"} {
		cfg := mustConfig(t, "name: j\nsteps:\n  - length: {min_chars: 1}\nwriter: {format: "+format+"}\n")
		sum, err := Run(context.Background(), Options{Config: cfg, Inputs: inputs, OutDir: t.TempDir(), Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Documents != 3 {
			t.Fatalf("%s: %d documents", format, sum.Documents)
		}
		fs := sum.Stats.Files[0]
		if fs.Skipped["no_text"] != 1 || fs.Skipped["malformed_json"] != 1 || fs.DamagedCount != 1 ||
			!strings.Contains(fs.Damaged[0].Msg, "line 4") {
			t.Fatalf("%s: file stats %+v", format, fs)
		}
		// Read the output back as a dataset: the carried fields are there.
		typ := ingest.TypeParquet
		if format == "jsonl" {
			typ = ingest.TypeJSONL
		}
		extra, _, err := ingest.DetectExtra(typ, sum.ShardFiles[0], nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range extra {
			names = append(names, f.Name)
		}
		sort.Strings(names)
		if strings.Join(names, " ") != "added score source tags" {
			t.Fatalf("%s: carried %v", format, names)
		}
		docs := readTable(t, typ, sum.ShardFiles)
		if docs["7"].Domain != "example.org" || docs["a"].Host != "www.example.com" || docs["e"].Text != "third" {
			t.Fatalf("%s: %+v", format, docs)
		}
	}
}

// extract on a dataset reader is a configuration error.
func TestExtractNeedsHTML(t *testing.T) {
	_, err := ParseConfig([]byte("name: x\nreader: {type: parquet}\nsteps:\n  - extract\n"))
	if err == nil || !strings.Contains(err.Error(), "remove the extract step") {
		t.Fatalf("extract on parquet: %v", err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "d.jsonl")
	os.WriteFile(p, []byte(`{"text":"x"}`+"\n"), 0o644)
	inputs, _ := ExpandInputs([]string{p})
	_, err = Run(context.Background(), Options{Config: mustConfig(t, "name: x\nsteps:\n  - extract\n"), Inputs: inputs, OutDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "remove the extract step") {
		t.Fatalf("extract on a .jsonl input: %v", err)
	}
	if _, err := ParseConfig([]byte("name: x\nreader: {fields: {txt: body}}\nsteps:\n  - length\n")); err == nil {
		t.Fatal("unknown document field accepted")
	}
}
