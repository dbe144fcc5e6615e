package stats

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/sieve-data/sieve/data"
	"github.com/sieve-data/sieve/langid/langcode"
)

// Reference is a published language distribution to compare a corpus
// against, such as the share of each language in a Common Crawl crawl.
type Reference struct {
	Name string `json:"name"`
	// Note says what the figures are (shown under the language table).
	Note string `json:"note,omitempty"`
	// Shares maps a canonical language code (langcode.Canonical) to a
	// share of documents between 0 and 1.
	Shares map[string]float64 `json:"shares"`
}

// ReferenceNone is the --reference value that turns the comparison off.
const ReferenceNone = "none"

// CommonCrawlNote says what Common Crawl's language figures are.
const CommonCrawlNote = "Common Crawl's shares are CLD2's primary language of every fetched HTML page of the crawl, before any filtering or deduplication: the web as crawled, not a training corpus. A filtered corpus is expected to differ (filters were tuned on English; short pages, menus and duplicates are removed)."

// DefaultReference is the shipped Common Crawl language table of
// data.CommonCrawlCrawl.
func DefaultReference() *Reference {
	ref, err := parseReference(bytes.NewReader(data.CommonCrawlLanguages()), "data/commoncrawl")
	if err != nil {
		panic("stats: shipped Common Crawl table does not parse: " + err.Error())
	}
	ref.Name = "Common Crawl " + data.CommonCrawlCrawl + " (all fetched HTML pages, CLD2)"
	ref.Note = CommonCrawlNote
	return ref
}

// ResolveReference turns a --reference value into a reference: "" is the
// shipped Common Crawl table (DefaultReference), "none" is no reference
// (nil), anything else a CSV file for LoadReference.
func ResolveReference(arg string) (*Reference, error) {
	switch strings.TrimSpace(arg) {
	case "":
		return DefaultReference(), nil
	case ReferenceNone:
		return nil, nil
	}
	return LoadReference(arg)
}

// LoadReference reads a CSV of "language,share" rows. A header row is
// allowed; languages may be ISO 639-1 ("en") or 639-3 ("eng", as in Common
// Crawl's tables); shares may be fractions or percentages (a column that
// sums to more than 1.5 is taken as percent). Common Crawl's own file
// (plots/languages.csv: crawl,primary_language,pages,urls,%pages/crawl) is
// read as it is; when it holds several crawls, the last crawl's rows are
// used.
func LoadReference(csvPath string) (*Reference, error) {
	f, err := os.Open(csvPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ref, err := parseReference(f, csvPath)
	if err != nil {
		return nil, err
	}
	if ref.Name == "" {
		ref.Name = baseName(csvPath)
	}
	return ref, nil
}

// parseReference reads either format of LoadReference; name is used in
// error messages.
func parseReference(in io.Reader, name string) (*Reference, error) {
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1
	r.Comment = '#'
	r.TrimLeadingSpace = true
	ref := &Reference{Shares: make(map[string]float64)}
	var sum float64
	line := 0
	langCol, shareCol, crawlCol := 0, 1, -1
	crawl := ""
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if line == 1 && len(rec) >= 5 && strings.TrimSpace(rec[0]) == "crawl" && strings.TrimSpace(rec[1]) == "primary_language" {
			// Common Crawl's languages.csv.
			langCol, shareCol, crawlCol = 1, 4, 0
			continue
		}
		if len(rec) <= max(langCol, shareCol) {
			return nil, fmt.Errorf("%s: line %d: want language,share", name, line)
		}
		if crawlCol >= 0 && rec[crawlCol] != crawl {
			// A new crawl starts: keep only the last one.
			crawl = rec[crawlCol]
			clear(ref.Shares)
			sum = 0
		}
		share, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rec[shareCol]), "%"), 64)
		if err != nil {
			if line == 1 {
				continue // header
			}
			return nil, fmt.Errorf("%s: line %d: share %q is not a number", name, line, rec[shareCol])
		}
		if share < 0 || math.IsNaN(share) || math.IsInf(share, 0) {
			return nil, fmt.Errorf("%s: line %d: share %q is not a non-negative number", name, line, rec[shareCol])
		}
		code := NormalizeLanguage(rec[langCol])
		ref.Shares[code] += share
		sum += share
	}
	if len(ref.Shares) == 0 {
		return nil, fmt.Errorf("%s: no language,share rows", name)
	}
	if crawlCol >= 0 {
		ref.Name = "Common Crawl " + crawl
		ref.Note = CommonCrawlNote
	}
	if sum > 1.5 {
		for k := range ref.Shares {
			ref.Shares[k] /= 100
		}
	}
	return ref, nil
}

// Languages returns the reference's languages, largest share first.
func (r *Reference) Languages() []string {
	out := make([]string, 0, len(r.Shares))
	for k := range r.Shares {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if r.Shares[out[i]] != r.Shares[out[j]] {
			return r.Shares[out[i]] > r.Shares[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// NormalizeLanguage is langcode.Canonical: ISO 639-1 where one exists
// ("eng" → "en", "EN-us" → "en"), else ISO 639-3, lower-cased.
func NormalizeLanguage(code string) string { return langcode.Canonical(code) }

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// LanguageName is the English name of a language code ("my" → "Burmese"),
// or "" when the code is not a known language.
func LanguageName(code string) string { return langcode.DisplayName(code) }
