package shard

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sieve-data/sieve/pipeline"
)

// FuzzOpen feeds arbitrary bytes to Open, Next and DocumentsFrom: a damaged
// shard must give an error, never a panic, hang or huge allocation. The
// seeds are real shards in both formats, with and without zstd.
func FuzzOpen(f *testing.F) {
	docs := []pipeline.Document{
		{ID: "a", URL: "https://example.org/", Text: "Hello, world.\n\nSecond block.", Language: "en", TokenCount: 5,
			Signals: map[string]float64{"gopher_word_count": 4}},
		{ID: "b", Title: "日本語のタイトル", Text: "本文です。", Language: "ja", TokenCount: -1},
	}
	dir := f.TempDir()
	for i, c := range []struct {
		format Format
		comp   string
		rm     bool
	}{{FormatStream, "", false}, {FormatFile, "", false}, {FormatStream, CompressionZstd, false}, {FormatFile, CompressionZstd, true},
		{FormatParquet, "", false}, {FormatParquet, "none", false}} {
		w, err := NewWriter(WriterOptions{Dir: dir, Prefix: string(rune('a' + i)), Format: c.format, Compression: c.comp,
			BatchRows: 1, SignalNames: []string{"gopher_word_count"}, Removed: c.rm})
		if err != nil {
			f.Fatal(err)
		}
		for j := range docs {
			if c.rm {
				err = w.WriteRemoved(&docs[j], "s", "r")
			} else {
				err = w.Write(&docs[j])
			}
			if err != nil {
				f.Fatal(err)
			}
		}
		files, err := w.Close()
		if err != nil {
			f.Fatal(err)
		}
		b, err := os.ReadFile(files[0])
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("ARROW1\x00\x00"))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})

	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "fuzz.arrow")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open(p)
		if err != nil {
			return
		}
		defer r.Close()
		for range 1000 {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) || err != nil {
				return
			}
			if _, err := DocumentsFrom(rec); err != nil {
				return
			}
		}
	})
}
