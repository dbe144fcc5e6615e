package extracteval

import (
	"fmt"
	"os"
	"path/filepath"
)

// ReadabilityMinPages is the fewest pages a complete copy of the
// readability set has (130 are laid out today); fewer means a broken copy.
const ReadabilityMinPages = 100

// Page is one readability test page.
type Page struct {
	Name     string // the folder name, e.g. "lemonde-1"
	Source   []byte // source.html as stored
	Expected string // expected.html as plain text (HTMLToPlainText)
}

// LoadReadability reads every <dir>/<name>/{source,expected}.html, sorted
// by name. A folder without both files is an error naming it, and so is a
// set smaller than ReadabilityMinPages.
func LoadReadability(dir string) ([]Page, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("readability set: %w", err)
	}
	var pages []Page
	for _, e := range entries { // os.ReadDir sorts by name
		if !e.IsDir() {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, e.Name(), "source.html"))
		if err != nil {
			return nil, fmt.Errorf("readability set: %w", err)
		}
		exp, err := os.ReadFile(filepath.Join(dir, e.Name(), "expected.html"))
		if err != nil {
			return nil, fmt.Errorf("readability set: %w", err)
		}
		pages = append(pages, Page{Name: e.Name(), Source: src, Expected: HTMLToPlainText(exp)})
	}
	if len(pages) < ReadabilityMinPages {
		return nil, fmt.Errorf("readability set: %d pages in %s, want at least %d", len(pages), dir, ReadabilityMinPages)
	}
	return pages, nil
}
