package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/klauspost/compress/gzip"
)

// drain reads every document of a dataset file; damaged input must give
// counted damage or an error, never a panic or a hang.
func drain(t *testing.T, typ, path string) {
	extra, _, err := DetectExtra(typ, path, nil)
	if err != nil {
		return
	}
	r, err := OpenTable(typ, path, TableOptions{Extra: extra})
	if err != nil {
		return
	}
	defer r.Close()
	for n := 0; n < 1_000_000; n++ {
		d, err := r.Next()
		if errors.Is(err, io.EOF) || err != nil {
			return
		}
		if d.Text == "" {
			t.Fatal("a document without text")
		}
	}
	t.Fatal("no end")
}

const jsonlSeed = `{"id":"a","text":"hello","metadata":{"url":"https://x.example/","n":1}}
{"id":2,"text":"world","date":"2024-01-02T03:04:05Z","quality_signals":{"s":0.5},"tags":["a"]}
{"text":"no id"}
`

func FuzzJSONL(f *testing.F) {
	f.Add([]byte(jsonlSeed))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(jsonlSeed))
	zw.Close()
	f.Add(gz.Bytes())
	f.Add(gz.Bytes()[:gz.Len()/2])
	f.Add([]byte("{\"text\":\"a\"\n{}\n[]\nnull\n\"x\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "d.jsonl")
		os.WriteFile(p, data, 0o644)
		drain(t, TypeJSONL, p)
	})
}

// parquetSeed writes a small Parquet file with a text, an id and an extra
// list column.
func parquetSeed(t testing.TB) []byte {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "text", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i, s := range []string{"one document", "another one", ""} {
		b.Field(0).(*array.StringBuilder).Append(string(rune('a' + i)))
		b.Field(1).(*array.StringBuilder).Append(s)
		b.Field(2).(*array.Float64Builder).Append(float64(i))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	var buf bytes.Buffer
	w, err := pqarrow.NewFileWriter(schema, &buf, nil, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func FuzzParquet(f *testing.F) {
	seed := parquetSeed(f)
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "d.parquet")
		os.WriteFile(p, data, 0o644)
		drain(t, TypeParquet, p)
	})
}

// The seed itself reads: two documents, the row without text counted.
func TestParquetReader(t *testing.T) {
	p := filepath.Join(t.TempDir(), "d.parquet")
	os.WriteFile(p, parquetSeed(t), 0o644)
	extra, _, err := DetectExtra(TypeParquet, p, nil)
	if err != nil || len(extra) != 1 || extra[0].Name != "score" {
		t.Fatalf("extra %v %v", extra, err)
	}
	r, err := OpenTable(TypeParquet, p, TableOptions{Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var ids []string
	for {
		d, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	s := r.Stats()
	if len(ids) != 2 || s.Skipped["no_text"] != 1 || s.Records != 3 || s.Documents != 2 {
		t.Fatalf("ids %v stats %+v", ids, s)
	}
}

// splitObject accepts what encoding/json accepts as an object and gives
// the same values.
func FuzzJSONObject(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":"x\"y","c":{"d":[1,2,{"e":null}]}}`, `{}`, ` { "a" : "\u00e9\ud83d\ude00" } `,
		`{"a":"b\xff"}`, `{"a":1,}`, `{"a":01}`, `{"a":[1,2}`, `{"a":"b"}x`, `[1]`, `{"a":tru}`, "{\"a\":\"\x01\"}", `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		got, err := splitObject(line)
		var want map[string]json.RawMessage
		werr := json.Unmarshal(line, &want)
		isObj := werr == nil && want != nil
		if (err == nil) != isObj {
			t.Fatalf("%q: splitObject %v, encoding/json %v (%v)", line, err, werr, want)
		}
		if err != nil {
			return
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %d keys, encoding/json %d", line, len(got), len(want))
		}
		for k, v := range want {
			var a, b any
			json.Unmarshal(v, &a)
			json.Unmarshal(got[k], &b)
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Fatalf("%q: key %q: %v, encoding/json %v", line, k, b, a)
			}
			if len(v) > 0 && v[0] == '"' {
				s, err := decodeString(got[k])
				if err != nil || s != a.(string) {
					t.Fatalf("%q: decodeString %q %v, want %q", line, s, err, a)
				}
			}
		}
	})
}
