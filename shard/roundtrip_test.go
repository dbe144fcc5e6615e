package shard

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/sieve-data/sieve/pipeline"
)

// writeAll writes docs with opts and returns the shard paths.
func writeAll(t *testing.T, opts WriterOptions, docs []pipeline.Document) []string {
	t.Helper()
	w, err := NewWriter(opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range docs {
		if opts.Removed {
			err = w.WriteRemoved(&docs[i], "gopher_quality", "gopher_short_document")
		} else {
			err = w.Write(&docs[i])
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	files, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// readAll reads every document of the shards through Open.
func readAll(t *testing.T, files []string) []pipeline.Document {
	t.Helper()
	var out []pipeline.Document
	for _, p := range files {
		r, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			docs, err := DocumentsFrom(rec)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, docs...)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestRoundTripAllFormats(t *testing.T) {
	docs := realDocs(t)
	for _, format := range []Format{FormatStream, FormatFile} {
		for _, comp := range []string{"", CompressionZstd} {
			t.Run(string(format)+"/"+comp, func(t *testing.T) {
				dir := t.TempDir()
				// Small shards and batches, so rolling and batch cuts are exercised.
				files := writeAll(t, WriterOptions{Dir: dir, Prefix: "00003", Format: format, Compression: comp,
					MaxBytes: 128 << 10, BatchRows: 7, SignalNames: testSignals}, docs)
				if len(files) < 2 {
					t.Fatalf("expected several shards at MaxBytes=128KiB, got %v", files)
				}
				for i, f := range files {
					if want := filepath.Join(dir, "00003-"+pad5(i)+".arrow"); f != want {
						t.Errorf("file %d is %s, want %s", i, f, want)
					}
					got, err := DetectFormat(f)
					if err != nil || got != format {
						t.Errorf("%s: format %q (%v), want %q", f, got, err, format)
					}
				}
				assertNoTemp(t, dir)
				got := readAll(t, files)
				if len(got) != len(docs) {
					t.Fatalf("read %d documents, wrote %d", len(got), len(docs))
				}
				for i := range docs {
					sameDoc(t, i, got[i], expected(docs[i], testSignals))
				}
			})
		}
	}
}

func pad5(i int) string { return fmt.Sprintf("%05d", i) }

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*"+tempSuffix))
	if len(m) > 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

// TestArrowGoReaderDirect reads shards with arrow-go's own ipc readers, not
// through Open, and checks the schema and row count.
func TestArrowGoReaderDirect(t *testing.T) {
	docs := realDocs(t)
	for _, format := range []Format{FormatStream, FormatFile} {
		dir := t.TempDir()
		files := writeAll(t, WriterOptions{Dir: dir, Prefix: "p", Format: format, Compression: CompressionZstd,
			SignalNames: testSignals}, docs)
		if len(files) != 1 {
			t.Fatalf("%s: want one shard, got %v", format, files)
		}
		f, err := os.Open(files[0])
		if err != nil {
			t.Fatal(err)
		}
		want := Schema(testSignals, false)
		rows := 0
		if format == FormatFile {
			r, err := ipc.NewFileReader(f)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Schema().Equal(want) {
				t.Errorf("file schema %v, want %v", r.Schema(), want)
			}
			for i := 0; i < r.NumRecords(); i++ {
				rec, err := r.RecordBatch(i)
				if err != nil {
					t.Fatal(err)
				}
				rows += int(rec.NumRows())
			}
			r.Close()
		} else {
			r, err := ipc.NewReader(f)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Schema().Equal(want) {
				t.Errorf("stream schema %v, want %v", r.Schema(), want)
			}
			for r.Next() {
				rows += int(r.RecordBatch().NumRows())
			}
			if r.Err() != nil {
				t.Fatal(r.Err())
			}
			r.Release()
		}
		f.Close()
		if rows != len(docs) {
			t.Errorf("%s: %d rows, want %d", format, rows, len(docs))
		}
	}
}

func TestRemovedShards(t *testing.T) {
	docs := realDocs(t)[:10]
	dir := t.TempDir()
	files := writeAll(t, WriterOptions{Dir: dir, Prefix: "r", Removed: true}, docs)
	r, err := Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := r.Schema()
	if s.HasField(ColQualitySignals) {
		t.Error("quality_signals present without signal names")
	}
	rec, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ col, want string }{{ColDropStep, "gopher_quality"}, {ColDropReason, "gopher_short_document"}} {
		idx := s.FieldIndices(c.col)
		if len(idx) != 1 {
			t.Fatalf("no %s column in %v", c.col, s)
		}
		if got := rec.Column(idx[0]).ValueStr(3); got != c.want {
			t.Errorf("%s = %q, want %q", c.col, got, c.want)
		}
	}
	// Write on a removed writer, WriteRemoved on a normal one: clear errors.
	w, _ := NewWriter(WriterOptions{Dir: dir, Prefix: "x", Removed: true})
	if err := w.Write(&docs[0]); err == nil {
		t.Error("Write on a removed writer succeeded")
	}
	w.Abort()
	w, _ = NewWriter(WriterOptions{Dir: dir, Prefix: "y"})
	if err := w.WriteRemoved(&docs[0], "a", "b"); err == nil {
		t.Error("WriteRemoved on a normal writer succeeded")
	}
	w.Abort()
}

func TestEmptyWriterLeavesOneReadableShard(t *testing.T) {
	for _, format := range []Format{FormatStream, FormatFile} {
		dir := t.TempDir()
		files := writeAll(t, WriterOptions{Dir: dir, Prefix: "e", Format: format, SignalNames: testSignals}, nil)
		if len(files) != 1 {
			t.Fatalf("%s: files %v, want one empty shard", format, files)
		}
		r, err := Open(files[0])
		if err != nil {
			t.Fatal(err)
		}
		if !r.Schema().Equal(Schema(testSignals, false)) {
			t.Errorf("schema %v", r.Schema())
		}
		if _, err := r.Next(); !errors.Is(err, io.EOF) {
			t.Errorf("%s: Next on empty shard = %v, want io.EOF", format, err)
		}
		r.Close()
	}
}

func TestAbortRemovesTempFiles(t *testing.T) {
	docs := realDocs(t)
	for _, format := range []Format{FormatStream, FormatFile} {
		dir := t.TempDir()
		w, err := NewWriter(WriterOptions{Dir: dir, Prefix: "a", Format: format, BatchRows: 4, MaxBytes: 1 << 30})
		if err != nil {
			t.Fatal(err)
		}
		for i := range docs[:20] {
			if err := w.Write(&docs[i]); err != nil {
				t.Fatal(err)
			}
		}
		if m, _ := filepath.Glob(filepath.Join(dir, "*"+tempSuffix)); len(m) != 1 {
			t.Fatalf("want one temp file while writing, got %v", m)
		}
		if m, _ := filepath.Glob(filepath.Join(dir, "*.arrow")); len(m) != 0 {
			t.Fatalf("a final shard appeared before Close: %v", m)
		}
		if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 0 {
			t.Errorf("%s: files left after Abort: %v", format, entries)
		}
		if err := w.Write(&docs[0]); err == nil {
			t.Error("Write after Abort succeeded")
		}
		if files, err := w.Close(); err == nil {
			t.Errorf("Close after Abort succeeded with %v", files)
		}
	}
}

func TestBadOptions(t *testing.T) {
	dir := t.TempDir()
	for _, o := range []WriterOptions{
		{Dir: dir, Prefix: "p", Format: "orc"},
		{Dir: dir, Prefix: "p", Compression: "lz5"},
		{Dir: "", Prefix: "p"},
		{Dir: dir, Prefix: ""},
		{Dir: dir, Prefix: "../escape"},
	} {
		if _, err := NewWriter(o); err == nil {
			t.Errorf("NewWriter(%+v) succeeded", o)
		}
	}
}

func TestOpenRejectsNonShards(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]byte{
		"empty":     nil,
		"short":     []byte("AR"),
		"html":      []byte("<!doctype html><html><body>not arrow</body></html>"),
		"magicOnly": []byte("ARROW1\x00\x00"),
	}
	for name, b := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open(p)
		if err == nil {
			_, err = r.Next()
			r.Close()
		}
		if err == nil || errors.Is(err, io.EOF) {
			t.Errorf("%s: opened and read without error", name)
		}
	}
	if _, err := Open(filepath.Join(dir, "missing.arrow")); err == nil {
		t.Error("Open of a missing file succeeded")
	}
}

// TestTruncatedShards cuts real shards at many points, including every
// batch boundary: every cut must give an error, never a panic and never a
// silent short read (a stream cut after a whole batch lacks the
// end-of-stream marker; a cut file lacks its footer).
func TestTruncatedShards(t *testing.T) {
	docs := realDocs(t)[:30]
	for _, format := range []Format{FormatStream, FormatFile} {
		for _, comp := range []string{"", CompressionZstd} {
			dir := t.TempDir()
			files := writeAll(t, WriterOptions{Dir: dir, Prefix: "t", Format: format, BatchRows: 5, Compression: comp}, docs)
			full, err := os.ReadFile(files[0])
			if err != nil {
				t.Fatal(err)
			}
			if rows, err := countRows(files[0]); err != nil || rows != len(docs) {
				t.Fatalf("%s/%s: whole shard gave %d rows, %v", format, comp, rows, err)
			}
			cut := filepath.Join(dir, "cut.arrow")
			cuts := 0
			for n := 0; n < len(full); n++ {
				// every byte near the end (the EOS marker, the footer), a
				// spread of points elsewhere
				if n < len(full)-64 && n%(1+len(full)/200) != 0 {
					continue
				}
				if err := os.WriteFile(cut, full[:n], 0o644); err != nil {
					t.Fatal(err)
				}
				rows, err := countRows(cut)
				if err == nil {
					t.Errorf("%s/%s cut at %d/%d: read %d rows without error", format, comp, n, len(full), rows)
				}
				cuts++
			}
			if cuts < 200 {
				t.Errorf("only %d cuts tried", cuts)
			}
		}
	}
}

func countRows(path string) (int, error) {
	r, err := Open(path)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n := 0
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if _, err := DocumentsFrom(rec); err != nil {
			return n, err
		}
		n += int(rec.NumRows())
	}
}

// TestInvalidUTF8IsRepaired: utf8 columns must hold valid UTF-8, or
// pyarrow's to_pylist and datasets fail on the row; bad bytes (a Latin-1
// title taken as UTF-8) become U+FFFD and are counted.
func TestInvalidUTF8IsRepaired(t *testing.T) {
	d := pipeline.Document{ID: "latin1", Title: "Caf\xe9 cr\xe8me", Text: "ok \xff\xfe text", URL: "https://example.org/", TokenCount: -1}
	w, err := NewWriter(WriterOptions{Dir: t.TempDir(), Prefix: "u"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(&d); err != nil {
		t.Fatal(err)
	}
	files, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	if w.RepairedStrings() != 2 {
		t.Errorf("RepairedStrings = %d, want 2", w.RepairedStrings())
	}
	got := readAll(t, files)
	if got[0].Title != "Caf\uFFFD cr\uFFFDme" || got[0].Text != "ok \uFFFD text" {
		t.Errorf("read back %q / %q", got[0].Title, got[0].Text)
	}
}
