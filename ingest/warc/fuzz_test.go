package warc

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
)

// FuzzReader feeds arbitrary bytes to the reader. It must never panic or
// loop, must keep its invariants, and, for input it reads without damage,
// must read the same records from a gzip-compressed copy cut into two
// members at an arbitrary place.
func FuzzReader(f *testing.F) {
	for _, sub := range []string{"warc", "warc/malformed", "warc/arc"} {
		dir := testdata.Shared(f, sub)
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, path := range files {
			if fi, err := os.Stat(path); err != nil || fi.IsDir() || fi.Size() > 64<<10 || filepath.Ext(path) == ".md" {
				continue
			}
			data, _ := os.ReadFile(path)
			f.Add(data)
		}
	}
	f.Add([]byte(record("resource", "x") + "junk" + record("response", "y")))
	f.Add([]byte("WARC/1.0\nContent-Length: 5\nWARC-Type: a\n\nabc"))
	f.Add([]byte("WARC/1.0\r\nWARC-Type: x\r\nContent-Length: 9223372036854775807\r\n\r\nabc"))
	f.Add([]byte("WARC/1.0\r\nWARC-Type: x\r\nContent-Length: 1099511627776\r\n\r\nabc"))
	f.Fuzz(func(t *testing.T, data []byte) {
		plain := fuzzRead(t, data)
		if len(plain.damages) == 0 && len(data) > 0 && data[0] != 0x1f {
			half := len(data) / 2
			zipped := fuzzRead(t, gzipMembers(data[:half], data[half:]))
			if len(zipped.damages) != 0 || len(zipped.blocks) != len(plain.blocks) {
				t.Fatalf("gzip copy: %d records, damages %v; plain: %d records", len(zipped.blocks), zipped.damages, len(plain.blocks))
			}
			for i := range plain.blocks {
				if !bytes.Equal(plain.blocks[i], zipped.blocks[i]) {
					t.Fatalf("gzip copy: block %d differs", i)
				}
			}
		}
	})
}

func fuzzRead(t *testing.T, data []byte) result {
	rd, err := NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var res result
	for i := 0; ; i++ {
		if i > 10_000_000 {
			t.Fatal("reader does not end")
		}
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rec.Block)
		if !rec.Truncated && (err != nil || int64(len(b)) != rec.ContentLength) {
			t.Fatalf("record at %d: %d bytes of %d, %v", rec.Offset, len(b), rec.ContentLength, err)
		}
		if rec.Version == "" || rec.Type() == "" {
			t.Fatalf("record without version or type: %+v", rec)
		}
		res.blocks = append(res.blocks, b)
	}
	res.damages = rd.Damages()
	if len(res.damages) > maxKeptDamages || int64(len(res.damages)) > rd.DamageCount() {
		t.Fatalf("damages: %d kept of %d", len(res.damages), rd.DamageCount())
	}
	if file, _ := rd.BytesRead(); file != int64(len(data)) {
		t.Fatalf("read %d of %d bytes", file, len(data))
	}
	return res
}
