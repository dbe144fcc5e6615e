package dedup

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sieve-data/sieve/internal/testdata"

	"github.com/sieve-data/sieve/shard"
)

// sentenceDocs builds real-prose documents from lingua's test sentences
// (Leipzig web corpora): per language, consecutive groups of per sentences.
func sentenceDocs(t testing.TB, langs []string, per int) []testDoc {
	t.Helper()
	dir := filepath.Join(testdata.Shared(t, "langid"), "sentences")
	var docs []testDoc
	for _, lang := range langs {
		f, err := os.Open(filepath.Join(dir, lang+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		var group []string
		for sc.Scan() {
			group = append(group, sc.Text())
			if len(group) == per {
				docs = append(docs, testDoc{id: fmt.Sprintf("%s-%03d", lang, len(docs)), text: strings.Join(group, " "), lang: lang})
				group = nil
			}
		}
		f.Close()
	}
	return docs
}

type testDoc struct {
	id, text, url, lang string
	score               float64
	family              int // index of the base document it was made from
}

// htmlText returns the visible text of a real page's expected extraction.
func htmlText(t testing.TB, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return testdata.VisibleText(f)
}

// pageTexts returns the expected texts of the named readability pages.
func pageTexts(t testing.TB, names ...string) []string {
	dir := testdata.Shared(t, "html")
	var out []string
	for _, n := range names {
		out = append(out, htmlText(t, filepath.Join(dir, n, "expected.html")))
	}
	return out
}

// editText applies round(rate × units) random edits (replace, delete or
// insert a unit) to text. Units are words, or characters for text written
// without spaces.
func editText(rng *rand.Rand, text string, rate float64, vocab []string) string {
	spaced := strings.Count(text, " ") > len([]rune(text))/20
	var units []string
	if spaced {
		units = strings.Fields(text)
	} else {
		for _, r := range text {
			units = append(units, string(r))
		}
	}
	edits := int(rate*float64(len(units)) + 0.5)
	for range edits {
		if len(units) < 2 {
			break
		}
		i := rng.IntN(len(units))
		w := vocab[rng.IntN(len(vocab))]
		if !spaced {
			w = string([]rune(w)[0])
		}
		switch rng.IntN(3) {
		case 0:
			units[i] = w
		case 1:
			units = append(units[:i], units[i+1:]...)
		default:
			units = append(units[:i], append([]string{w}, units[i:]...)...)
		}
	}
	if spaced {
		return strings.Join(units, " ")
	}
	return strings.Join(units, "")
}

var testSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.BinaryTypes.String},
	{Name: "text", Type: arrow.BinaryTypes.String},
	{Name: "url", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "tags", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
}, nil)

// writeTestShard writes docs as an Arrow shard (stream or file format),
// with a list column to check that other columns pass through unchanged.
func writeTestShard(t testing.TB, path string, docs []testDoc, fileFormat bool, batch int) {
	t.Helper()
	format := shard.FormatStream
	if fileFormat {
		format = shard.FormatFile
	}
	w, err := newRecordWriter(path, testSchema, format, "")
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, testSchema)
	defer b.Release()
	flush := func() {
		rec := b.NewRecordBatch()
		defer rec.Release()
		if err := w.write(rec); err != nil {
			t.Fatal(err)
		}
	}
	for i, d := range docs {
		b.Field(0).(*array.StringBuilder).Append(d.id)
		b.Field(1).(*array.StringBuilder).Append(d.text)
		if d.url == "" {
			b.Field(2).AppendNull()
		} else {
			b.Field(2).(*array.StringBuilder).Append(d.url)
		}
		b.Field(3).(*array.Float64Builder).Append(d.score)
		lb := b.Field(4).(*array.ListBuilder)
		lb.Append(true)
		lb.ValueBuilder().(*array.StringBuilder).Append("tag-" + d.id)
		lb.ValueBuilder().(*array.StringBuilder).Append(d.lang)
		if batch > 0 && (i+1)%batch == 0 {
			flush()
		}
	}
	flush()
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
}

// outRow is one row of an output shard.
type outRow struct {
	id, text, tags string
	score          float64
	cluster        int64
	size           int32
}

func readOutShards(t testing.TB, paths []string) []outRow {
	t.Helper()
	var rows []outRow
	for _, p := range paths {
		r, err := openShard(p)
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			s := rec.Schema()
			col := func(n string) arrow.Array {
				idx := s.FieldIndices(n)
				if len(idx) != 1 {
					t.Fatalf("%s: column %q appears %d times", p, n, len(idx))
				}
				return rec.Column(idx[0])
			}
			ids, texts := col("id").(*array.String), col("text").(*array.String)
			scores, tags := col("score").(*array.Float64), col("tags").(*array.List)
			cl, sz := col(ColClusterID).(*array.Int64), col(ColClusterSize).(*array.Int32)
			for i := 0; i < int(rec.NumRows()); i++ {
				lo, hi := tags.ValueOffsets(i)
				vals := tags.ListValues().(*array.String)
				var tg []string
				for k := lo; k < hi; k++ {
					tg = append(tg, vals.Value(int(k)))
				}
				rows = append(rows, outRow{id: ids.Value(i), text: texts.Value(i), tags: strings.Join(tg, ","),
					score: scores.Value(i), cluster: cl.Value(i), size: sz.Value(i)})
			}
			rec.Release()
		}
		r.Close()
	}
	return rows
}

type removedRow struct {
	id, dupOf, method string
	jaccard           float32
	hasJaccard        bool
	cluster           int64
	size              int32
}

func readRemoved(t testing.TB, path string) []removedRow {
	t.Helper()
	r, err := openShard(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []removedRow
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			j := rec.Column(2).(*array.Float32)
			out = append(out, removedRow{
				id:      rec.Column(0).(*array.String).Value(i),
				dupOf:   rec.Column(1).(*array.String).Value(i),
				jaccard: j.Value(i), hasJaccard: j.IsValid(i),
				method:  rec.Column(3).(*array.String).Value(i),
				cluster: rec.Column(4).(*array.Int64).Value(i),
				size:    rec.Column(5).(*array.Int32).Value(i),
			})
		}
		rec.Release()
	}
	return out
}

// trueShingles returns the sorted shingle hashes of text, as MinHash sees it.
func trueShingles(text string, g int) []uint64 {
	var n normalizer
	n.normalize(text)
	set := shingleHashes(&n, g)
	out := make([]uint64, 0, len(set))
	for h := range set {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func jaccardSorted(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	i, j, inter := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

func wordsOf(docs []testDoc) []string {
	var v []string
	for _, d := range docs {
		for _, w := range strings.FieldsFunc(d.text, func(r rune) bool { return unicode.IsSpace(r) }) {
			v = append(v, w)
		}
	}
	return v
}
