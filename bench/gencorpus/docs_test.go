package main

import (
	"bytes"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/ingest/warc"
	"github.com/sieve-data/sieve/internal/testdata"
)

// docTree lays out real pages (readability's test pages) as a documentation
// package with translations, plus the cases the pool must leave out: a
// translation that is the English page with one word changed, a byte copy,
// a tiny page, and pages outside a language directory.
func docTree(t *testing.T) string {
	t.Helper()
	shared := filepath.Dir(testdata.Shared(t, "html"))
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(shared, "html", name, "source.html"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	root := t.TempDir()
	pkg := filepath.Join(root, "usr", "share", "doc", "manual", "html")
	put := func(rel string, b []byte) {
		p := filepath.Join(pkg, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	en := read("nytimes-1")
	put("en-US/a.html", read("wikipedia"))
	put("en-US/b.html", en)
	put("fr-FR/a.html", read("lemonde-1"))
	put("fr-FR/b.html", nearDuplicate(en, rand.New(rand.NewPCG(1, 2)))) // untranslated
	put("ja-JP/a.html", read("hukumusume"))
	put("ja-JP/c.html", read("qq"))
	put("de-DE/d.html", read("qq")) // the same bytes as ja-JP/c.html, which sorts after it
	put("de-DE/tiny.html", []byte("<p>kurz</p>"))
	put("Common_Content/x.html", read("heise"))
	put("en-US/style.css", []byte("body{}"))
	return root
}

func TestDocPool(t *testing.T) {
	root := docTree(t)
	pool, err := loadDocPool(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pool.pages {
		got = append(got, p.pkg+":"+p.lang+"/"+p.file)
	}
	want := "manual:de-DE/d.html manual:en-US/a.html manual:en-US/b.html manual:fr-FR/a.html manual:ja-JP/a.html"
	if strings.Join(got, " ") != want {
		t.Errorf("pool %v, want %s", got, want)
	}
	if pool.untranslated != 1 || pool.duplicate != 1 || pool.small != 1 {
		t.Errorf("left out: untranslated %d, duplicate %d, small %d; want 1 each", pool.untranslated, pool.duplicate, pool.small)
	}
	if _, err := loadDocPool(t.TempDir()); err == nil {
		t.Error("no error for a folder without pages")
	}
}

// TestShinglesCJK: text without spaces still gives shingles, and a page is
// fully similar to itself and dissimilar to another language's page.
func TestShinglesCJK(t *testing.T) {
	ja := shingles([]byte("<p>はじめに、再インストールについて述べておきます。</p>"))
	if len(ja) < 10 {
		t.Fatalf("%d shingles from a Japanese sentence", len(ja))
	}
	en := shingles([]byte("<p>First, a word about re-installations and what to do before them.</p>"))
	if jaccard(ja, ja) != 1 || jaccard(ja, en) != 0 {
		t.Fatalf("jaccard self %v, other %v", jaccard(ja, ja), jaccard(ja, en))
	}
}

// TestDocsCorpus builds the corpus twice with one seed and once with another
// and reads it back with sieve's WARC reader: the bytes are equal for a seed,
// every page appears exactly -copies times, each copy on its own URL.
func TestDocsCorpus(t *testing.T) {
	root := docTree(t)
	const copies = 4
	build := func(seed uint64) (string, [32]byte) {
		dir := t.TempDir()
		if err := runDocs(dir, 300<<10, seed, 2, copies, root); err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		for i := range 2 {
			b, err := os.ReadFile(filepath.Join(dir, "DOCS-BENCH-0000"+string(rune('0'+i))+".warc.gz"))
			if err != nil {
				t.Fatal(err)
			}
			h.Write(b)
		}
		var sum [32]byte
		copy(sum[:], h.Sum(nil))
		return dir, sum
	}
	dir, a := build(5)
	if _, b := build(5); a != b {
		t.Fatal("same seed gave different files")
	}
	if _, c := build(6); a == c {
		t.Fatal("another seed gave the same files")
	}

	bodies := map[string]int{}
	urls := map[string]bool{}
	responses := 0
	for i := range 2 {
		f, err := os.Open(filepath.Join(dir, "DOCS-BENCH-0000"+string(rune('0'+i))+".warc.gz"))
		if err != nil {
			t.Fatal(err)
		}
		r, err := warc.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if err != nil {
				break
			}
			if rec.Header.Get("WARC-Type") != "response" {
				continue
			}
			responses++
			block, err := io.ReadAll(rec.Block)
			if err != nil {
				t.Fatal(err)
			}
			_, body, _ := bytes.Cut(block, []byte("\r\n\r\n"))
			bodies[string(body)]++
			u := rec.Header.Get("WARC-Target-URI")
			if urls[u] {
				t.Errorf("URL %s used twice", u)
			}
			urls[u] = true
		}
		if r.DamageCount() != 0 {
			t.Fatalf("damages: %v", r.Damages())
		}
		f.Close()
	}
	if len(bodies) == 0 || responses != copies*len(bodies) {
		t.Fatalf("%d responses of %d distinct pages, want %d copies each", responses, len(bodies), copies)
	}
	for _, n := range bodies {
		if n != copies {
			t.Fatalf("a page appears %d times, want %d", n, copies)
		}
	}

	if err := runDocs(t.TempDir(), 1<<30, 5, 1, copies, root); err == nil || !strings.Contains(err.Error(), "more than the pool holds") {
		t.Fatalf("a size beyond the pool: %v", err)
	}
}
