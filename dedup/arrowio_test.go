package dedup

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpenShard: damaged shard bytes give an error, never a panic.
func FuzzOpenShard(f *testing.F) {
	dir := f.TempDir()
	for i, fileFormat := range []bool{false, true} {
		p := filepath.Join(dir, "seed"+string(rune('0'+i)))
		writeTestShard(f, p, []testDoc{{id: "a", text: "hello world", url: "https://x.example/"}, {id: "b", text: "東京"}}, fileFormat, 1)
		b, _ := os.ReadFile(p)
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "s.arrow")
		os.WriteFile(p, data, 0o644)
		r, err := openShard(p)
		if err != nil {
			return
		}
		defer r.Close()
		for range 100 {
			rec, err := r.Next()
			if err != nil {
				if errors.Is(err, io.EOF) {
					return
				}
				return
			}
			if c, err := columnsOf(rec, true, ""); err == nil {
				for i := 0; i < int(rec.NumRows()); i++ {
					_ = c.id.Value(i)
					_ = c.text.Value(i)
				}
			}
			rec.Release()
		}
	})
}
