package langid

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
)

// realPages returns the text of the shared real pages (Readability's
// expected output with the tags stripped), keyed by page folder.
func realPages(t testing.TB) map[string]string {
	t.Helper()
	dir := testdata.Shared(t, "html")
	matches, err := filepath.Glob(filepath.Join(dir, "*", "expected.html"))
	if err != nil || len(matches) == 0 {
		t.Fatalf("no pages under %s: %v", dir, err)
	}
	pages := map[string]string{}
	for _, m := range matches {
		f, err := os.Open(m)
		if err != nil {
			t.Fatal(err)
		}
		pages[filepath.Base(filepath.Dir(m))] = testdata.VisibleText(f)
		f.Close()
	}
	return pages
}

// sentences returns the labelled sentences of the shared test set
// (lingua's own test data, written by others), by ISO 639-1 code.
func sentences(t testing.TB) map[string][]string {
	t.Helper()
	dir := filepath.Join(testdata.Shared(t, "langid"), "sentences")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) != numLanguages {
		t.Fatalf("want %d sentence files in %s, got %d (%v)", numLanguages, dir, len(files), err)
	}
	out := map[string][]string{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" {
				out[strings.TrimSuffix(filepath.Base(f), ".txt")] = append(out[strings.TrimSuffix(filepath.Base(f), ".txt")], line)
			}
		}
		fh.Close()
	}
	return out
}

// sortedKeys returns m's keys in order, so tests run in a fixed order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// labelledDocs joins each language's sentences into documents of about
// size characters: real web text in all 75 languages, document-sized.
// perLang bounds the documents per language.
func labelledDocs(t testing.TB, size, perLang int) (docs, labels []string) {
	s := sentences(t)
	for _, code := range sortedKeys(s) {
		var b strings.Builder
		made := 0
		for _, line := range s[code] {
			if made == perLang {
				break
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(line)
			if len([]rune(b.String())) >= size {
				docs = append(docs, string([]rune(b.String())[:size]))
				labels = append(labels, code)
				b.Reset()
				made++
			}
		}
	}
	return docs, labels
}

// pageDocs cuts the real pages into documents of at most size characters
// (pages shorter than 200 characters are left out).
func pageDocs(t testing.TB, size int) (docs, names []string) {
	pages := realPages(t)
	for _, name := range sortedKeys(pages) {
		r := []rune(pages[name])
		if len(r) < 200 {
			continue
		}
		docs = append(docs, string(r[:min(size, len(r))]))
		names = append(names, name)
	}
	return docs, names
}
