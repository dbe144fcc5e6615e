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

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

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

// A FineWeb-shaped Parquet shard (date as a string, language_score as
// float64, token_count as int64, dump and file_path beside): the README's
// Parquet-in, Parquet-out pipeline keeps dump and file_path, reads the
// date and derives the domain.
func TestFineWebShapedParquet(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "text", Type: arrow.BinaryTypes.String}, {Name: "id", Type: arrow.BinaryTypes.String},
		{Name: "dump", Type: arrow.BinaryTypes.String}, {Name: "url", Type: arrow.BinaryTypes.String},
		{Name: "date", Type: arrow.BinaryTypes.String}, {Name: "file_path", Type: arrow.BinaryTypes.String},
		{Name: "language", Type: arrow.BinaryTypes.String}, {Name: "language_score", Type: arrow.PrimitiveTypes.Float64},
		{Name: "token_count", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	words := strings.Fields("the river runs past an old mill where children play in summer and the miller sells bread to every traveller who stops")
	for i := range 30 {
		var text []string
		for j := range 120 {
			text = append(text, words[(i*7+j*(i+3))%len(words)])
		}
		for c, v := range []string{strings.Join(text, " ") + ".", fmt.Sprintf("<urn:uuid:%d>", i), "CC-MAIN-2024-10",
			fmt.Sprintf("https://www.site%d.co.uk/p/%d", i%4, i), "2024-02-21T03:04:05Z", "s3://commoncrawl/f.warc.gz", "en"} {
			b.Field(c).(*array.StringBuilder).Append(v)
		}
		b.Field(7).(*array.Float64Builder).Append(0.9)
		b.Field(8).(*array.Int64Builder).Append(int64(100 + i))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "000_00000.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(schema, f, nil, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	w.Close()
	inputs, err := ExpandInputs([]string{dir})
	if err != nil || len(inputs) != 1 {
		t.Fatalf("%v %v", inputs, err)
	}
	cfg := mustConfig(t, "name: fw\nreader: {type: parquet}\nsteps:\n  - gopher_quality: {}\n  - length/long: {min_chars: 300}\n  - dedup: {mode: exact}\nwriter: {format: parquet}\n")
	sum, err := Run(context.Background(), Options{Config: cfg, Inputs: inputs, OutDir: t.TempDir(), Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Damaged != 0 || sum.Documents == 0 {
		t.Fatalf("%d documents, %d damaged: %+v", sum.Documents, sum.Damaged, sum.Stats.Files)
	}
	_, names, _ := parquetRows(t, sum.ShardFiles[0])
	if got := strings.Join(names, " "); !strings.Contains(got, "quality_signals dump file_path dedup_cluster_id") {
		t.Fatalf("columns %s", got)
	}
	docs := readTable(t, ingest.TypeParquet, sum.ShardFiles)
	for _, d := range docs {
		if d.Domain != "site"+d.URL[len("https://www.site"):len("https://www.site")+1]+".co.uk" || d.Date.Year() != 2024 || d.TokenCount < 100 || d.Signals["gopher_word_count"] != 120 {
			t.Fatalf("%+v", d)
		}
	}
}
