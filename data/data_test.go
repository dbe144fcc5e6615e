package data

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestCommonCrawlLanguages(t *testing.T) {
	b := CommonCrawlLanguages()
	if !bytes.HasPrefix(b, []byte("crawl,primary_language,pages,urls,%pages/crawl\n")) {
		t.Fatalf("header: %q", b[:60])
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")[1:]
	for _, l := range lines {
		if !strings.HasPrefix(l, CommonCrawlCrawl+",") {
			t.Fatalf("row of another crawl: %q", l)
		}
	}
	if len(lines) != 162 || !strings.Contains(string(b), "\n"+CommonCrawlCrawl+",eng,1083513299,1077124596,43.4241\n") {
		t.Errorf("%d rows; English row missing", len(lines))
	}
}

func TestUT1(t *testing.T) {
	start := time.Now()
	s, err := UT1()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d domains in %d categories, loaded in %v", s.Len(), len(s.Names()), time.Since(start))
	if s.Len() != 368905 || len(s.Names()) != 64 {
		t.Errorf("%d domains, %d categories", s.Len(), len(s.Names()))
	}
	has := func(m uint64, name string) bool {
		b, ok := s.Bit(name)
		if !ok {
			t.Fatalf("no category %q", name)
		}
		return m&b != 0
	}
	// Entries of the shipped lists (UT1 at olbat/ut1-blacklists 804da92).
	if m := s.Lookup("lemonde.fr", "lemonde.fr", false); !has(m, "press") {
		t.Errorf("lemonde.fr: %b", m)
	}
	if m := s.Lookup("www.bet365.com", "bet365.com", false); !has(m, "gambling") {
		t.Errorf("www.bet365.com under the listed registered domain: %b", m)
	}
	if m := s.Lookup("example.org", "example.org", true); m != 0 {
		t.Errorf("example.org: %b", m)
	}
	if s.Description("fakenews") == "" {
		t.Error("no description for fakenews")
	}
	if _, ok := s.Bit("adult"); ok {
		t.Error("adult is not shipped")
	}
}

// TestUT1ListIsTheDocumentedOne: the shipped list decompresses to the file
// SOURCES.md describes (its SHA-256 is recorded there; the list was
// shipped gzip-compressed before, with the same content).
func TestUT1ListIsTheDocumentedOne(t *testing.T) {
	zs, err := ut1Files.ReadFile("ut1/domains.tsv.zst")
	if err != nil {
		t.Fatal(err)
	}
	tsv, err := decompress(zs)
	if err != nil {
		t.Fatal(err)
	}
	const want = "7625cd53ea8acbbaa7adef988e4bc6de6e144b7a86e613aa1ed7a6c18ba82446"
	if got := fmt.Sprintf("%x", sha256.Sum256(tsv)); got != want {
		t.Errorf("domains.tsv.zst decompresses to SHA-256 %s, want %s", got, want)
	}
}

// BenchmarkUT1Load: decompressing and parsing the shipped list, which
// every run does once (the domain report).
func BenchmarkUT1Load(b *testing.B) {
	zs, err := ut1Files.ReadFile("ut1/domains.tsv.zst")
	if err != nil {
		b.Fatal(err)
	}
	cat, _ := ut1Files.ReadFile("ut1/global_usage")
	for b.Loop() {
		tsv, err := decompress(zs)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := parseSiteCategories(tsv, cat); err != nil {
			b.Fatal(err)
		}
	}
}

// Lookup's two readings on a small table: exact (host or registered
// domain) and parents (every domain between them too).
func TestSiteCategoriesLookup(t *testing.T) {
	s, err := parseSiteCategories([]byte("blocked.com\tgambling\nsub.nice.com\tpress,blog\n"), []byte("NAME: press\nDESC EN: News.\n"))
	if err != nil {
		t.Fatal(err)
	}
	press, _ := s.Bit("press")
	gambling, _ := s.Bit("gambling")
	for _, c := range []struct {
		host, domain string
		parents      bool
		want         uint64
	}{
		{"www.blocked.com", "blocked.com", false, gambling},
		{"sub.nice.com", "nice.com", false, press | s.masks[1]},
		{"deep.sub.nice.com", "nice.com", false, 0},
		{"deep.sub.nice.com", "nice.com", true, s.masks[1]},
		{"nice.com", "nice.com", true, 0},
		{"deep.sub.nice.com", "", true, s.masks[1]},
	} {
		if got := s.Lookup(c.host, c.domain, c.parents); got != c.want {
			t.Errorf("Lookup(%q, %q, %v) = %b, want %b", c.host, c.domain, c.parents, got, c.want)
		}
	}
	if s.Description("press") != "News." {
		t.Errorf("description %q", s.Description("press"))
	}
	for _, bad := range []string{"b.com\tx\na.com\tx\n", "nocats\n", "a.com\t\n"} {
		if _, err := parseSiteCategories([]byte(bad), nil); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if _, err := decompress([]byte("not zstd")); err == nil {
		t.Error("not zstd: no error")
	}
}

// FuzzParseSiteCategories: any category file parses or fails with an
// error, and a parsed table answers look-ups without panicking.
func FuzzParseSiteCategories(f *testing.F) {
	f.Add([]byte("a.com\tpress\nb.a.com\tblog,press\n"), []byte("NAME: press\nDESC EN: News\n"))
	f.Add([]byte("\t\n"), []byte("DESC EN: x"))
	f.Fuzz(func(t *testing.T, tsv, catalogue []byte) {
		s, err := parseSiteCategories(tsv, catalogue)
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(tsv), "\n") {
			host, _, _ := strings.Cut(line, "\t")
			if m := s.Lookup(host, "", true); host != "" && strings.ToLower(host) == host && !strings.HasSuffix(host, ".") && m == 0 {
				t.Errorf("listed %q not found", host)
			}
		}
		for _, n := range s.Names() {
			if _, ok := s.Bit(n); !ok {
				t.Errorf("name %q has no bit", n)
			}
		}
	})
}
