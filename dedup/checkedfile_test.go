package dedup

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func writeCheckedBytes(t testing.TB, path string, records [][]byte, size int) {
	w, err := createChecked(path, kindKeys, size)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range records {
		if size == 0 {
			err = w.writeBytesRecord(r)
		} else {
			err = w.record(r)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
}

func TestCheckedFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	recs := [][]byte{[]byte("0123456789abcdef"), []byte("fedcba9876543210")}
	writeCheckedBytes(t, p, recs, 16)
	n, err := verifyChecked(p, kindKeys, 16)
	if err != nil || n != 2 {
		t.Fatalf("verify: %d, %v", n, err)
	}
	if _, err := verifyChecked(p, kindKeys, 8); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("wrong record size accepted: %v", err)
	}
	if _, err := openChecked(p, kindPairs, 16); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("wrong kind accepted: %v", err)
	}
	raw, _ := os.ReadFile(p)
	for cut := 1; cut < len(raw); cut += 7 {
		os.WriteFile(p, raw[:cut], 0o644)
		if _, err := verifyChecked(p, kindKeys, 16); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("file cut at %d of %d accepted: %v", cut, len(raw), err)
		}
	}
}

// FuzzCheckedReader: arbitrary bytes never panic the reader, and whatever
// it accepts passes its checksum.
func FuzzCheckedReader(f *testing.F) {
	dir := f.TempDir()
	p := filepath.Join(dir, "seed")
	writeCheckedBytes(f, p, [][]byte{[]byte("abc"), []byte(""), []byte("hello world")}, 0)
	seed, _ := os.ReadFile(p)
	f.Add(seed)
	f.Add(seed[:len(seed)-3])
	f.Add([]byte("SIEVEDD1KEYS\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := openChecked(p, kindKeys, 0)
		if err != nil {
			return
		}
		defer r.close()
		var buf []byte
		for i := 0; ; i++ {
			buf, err = r.nextBytes(buf)
			if errors.Is(err, io.EOF) {
				if uint64(i) != r.count {
					t.Fatalf("accepted %d records, trailer says %d", i, r.count)
				}
				return
			}
			if err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("error not marked ErrCorrupt: %v", err)
				}
				return
			}
		}
	})
}
