package main

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/sieve-data/sieve/ingest/warc"
	"github.com/sieve-data/sieve/internal/testdata"
)

// TestCorpusDeterministicAndReadable builds a small corpus twice from the real
// shared pages (trafilatura's set is skipped to stay offline) and checks that
// the bytes are equal and that sieve's WARC reader reads every record with
// the expected mix of record types and no damage.
func TestCorpusDeterministicAndReadable(t *testing.T) {
	shared := filepath.Dir(testdata.Shared(t, "warc"))
	sum := func(dir string) [32]byte {
		if err := run(dir, "3MB", 7, 1, shared, ""); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "CC-BENCH-00000.warc.gz"))
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(b)
	}
	a, b := t.TempDir(), t.TempDir()
	if sum(a) != sum(b) {
		t.Fatal("same seed gave different files")
	}
	f, err := os.Open(filepath.Join(a, "CC-BENCH-00000.warc.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := warc.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	for {
		rec, err := r.Next()
		if err != nil {
			break
		}
		types[rec.Header.Get("WARC-Type")]++
	}
	if r.DamageCount() != 0 {
		t.Fatalf("damages: %v", r.Damages())
	}
	if types["warcinfo"] != 1 || types["response"] < 20 || types["request"] != types["response"] || types["metadata"] != types["response"] {
		t.Fatalf("record mix %v", types)
	}
}

// TestNearDuplicateIsSmallEdit checks a near duplicate differs from, but stays
// close in length to, a real page.
func TestNearDuplicateIsSmallEdit(t *testing.T) {
	shared := filepath.Dir(testdata.Shared(t, "warc"))
	page, err := os.ReadFile(filepath.Join(shared, "html", "wikipedia", "source.html"))
	if err != nil {
		t.Fatal(err)
	}
	g := newFileGen(&bytes.Buffer{}, &pagePool{}, 1, 0, "x")
	nd := nearDuplicate(page, g.rng)
	if bytes.Equal(nd, page) {
		t.Fatal("near duplicate is identical")
	}
	if d := len(nd) - len(page); d < -len(page)/20 || d > len(page)/20 {
		t.Fatalf("near duplicate changed length by %d of %d", d, len(page))
	}
}

// FuzzMapText: the scanner never panics and, with the identity function,
// returns its input unchanged.
func FuzzMapText(f *testing.F) {
	f.Add([]byte("<p>hello <b>world</b></p><script>if(a<b){}</script><!-- c -->tail"))
	f.Add([]byte("<SCRIPT>x"))
	f.Add([]byte("\xff<\xc3"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if out := mapText(b, func(r []byte) []byte { return r }); !bytes.Equal(out, b) {
			t.Fatalf("identity changed %q to %q", b, out)
		}
	})
}
