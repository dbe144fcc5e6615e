package stats

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/sieve-data/sieve/langid/langcode"
)

// Reference is a published language distribution to compare a corpus
// against, such as the share of each language in a Common Crawl crawl.
type Reference struct {
	Name string `json:"name"`
	// Shares maps an ISO 639-1 code (or the code as given when it has
	// none) to a share of documents between 0 and 1.
	Shares map[string]float64 `json:"shares"`
}

// LoadReference reads a CSV of "language,share" rows. A header row is
// allowed; languages may be ISO 639-1 ("en") or 639-3 ("eng", as in Common
// Crawl's tables); shares may be fractions or percentages (a column that
// sums to more than 1.5 is taken as percent).
func LoadReference(csvPath string) (*Reference, error) {
	f, err := os.Open(csvPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.Comment = '#'
	r.TrimLeadingSpace = true
	ref := &Reference{Name: baseName(csvPath), Shares: make(map[string]float64)}
	var sum float64
	line := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("%s: %w", csvPath, err)
		}
		if len(rec) < 2 {
			return nil, fmt.Errorf("%s: line %d: want language,share", csvPath, line)
		}
		share, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rec[1]), "%"), 64)
		if err != nil {
			if line == 1 {
				continue // header
			}
			return nil, fmt.Errorf("%s: line %d: share %q is not a number", csvPath, line, rec[1])
		}
		if share < 0 {
			return nil, fmt.Errorf("%s: line %d: negative share", csvPath, line)
		}
		code := NormalizeLanguage(rec[0])
		ref.Shares[code] += share
		sum += share
	}
	if len(ref.Shares) == 0 {
		return nil, fmt.Errorf("%s: no language,share rows", csvPath)
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
