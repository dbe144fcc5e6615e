package langid

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pemistahl/lingua-go"

	"github.com/sieve-data/sieve/internal/testdata"
)

// publishedSentenceAccuracy reads lingua-go's own accuracy report: percent
// of the 1,000 test sentences per language it gets right in high-accuracy
// mode, by ISO 639-1 code.
func publishedSentenceAccuracy(t *testing.T) map[string]float64 {
	t.Helper()
	path := filepath.Join(testdata.Shared(t, "langid"), "accuracy-reports-go", "aggregated-accuracy-values.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "sentences-lingua-high" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("%s: no sentences-lingua-high column", path)
	}
	names := map[string]string{}
	for _, l := range lingua.AllLanguages() {
		names[strings.ToLower(l.String())] = strings.ToLower(l.IsoCode639_1().String())
	}
	out := map[string]float64{}
	for _, r := range rows[1:] {
		code, ok := names[strings.ToLower(r[0])]
		v, err := strconv.ParseFloat(r[col], 64)
		if ok && err == nil {
			out[code] = v
		}
	}
	if len(out) != numLanguages {
		t.Fatalf("%s: read %d languages, want %d", path, len(out), numLanguages)
	}
	return out
}

// TestAccuracyPerLanguage scores the labelled sentences (real web text,
// written by others) and keeps every language's accuracy from falling below
// lingua-go's published figure for the same sentences, allowing for
// sampling error when only part of them is scored (-short, -race).
func TestAccuracyPerLanguage(t *testing.T) {
	perLang := 1000
	if testing.Short() || raceEnabled {
		perLang = 150
	}
	published := publishedSentenceAccuracy(t)
	d, err := NewDetector(linguaConfig())
	if err != nil {
		t.Fatal(err)
	}
	s := sentences(t)
	total, right, lowScore, lowScoreWrong := 0, 0, 0, 0
	for _, code := range sortedKeys(s) {
		// A subsample takes every k-th sentence: the files are not in
		// random order (the first sentences of some are harder).
		var lines []string
		stride := max(1, len(s[code])/perLang)
		for i := 0; i < len(s[code]) && len(lines) < perLang; i += stride {
			lines = append(lines, s[code][i])
		}
		ok := 0
		for _, line := range lines {
			got, score, _, _ := d.Detect(line)
			if got == code {
				ok++
			}
			if score < DefaultMinScore {
				lowScore++
				if got != code {
					lowScoreWrong++
				}
			}
		}
		total += len(lines)
		right += ok
		acc := 100 * float64(ok) / float64(len(lines))
		p := published[code] / 100
		// Three standard errors of a subsample (at least as wide as for
		// 97%), plus two points for rounding and the file's uneven order.
		slack := 100*3*math.Sqrt(max(p*(1-p), 0.03*0.97)/float64(len(lines))) + 2
		if len(lines) >= 1000 {
			slack = 1
		}
		t.Logf("%s: %.1f%% (lingua-go published %.0f%%)", code, acc, published[code])
		if acc < published[code]-slack {
			t.Errorf("%s: accuracy %.1f%% on %d sentences, below lingua-go's published %.0f%% by more than %.1f points", code, acc, len(lines), published[code], slack)
		}
	}
	mean := 100 * float64(right) / float64(total)
	t.Logf("all: %.2f%% of %d sentences", mean, total)
	if mean < 95 {
		t.Errorf("mean accuracy %.2f%%, want ≥ 95%% (lingua-go publishes 96.1%%)", mean)
	}
	// The language_filter default: the share of sentences it drops, and
	// how many of those were wrongly identified (NOTE.md: 3.9%, 30% of
	// the errors, on all 74,141 sentences).
	dropShare := float64(lowScore) / float64(total)
	t.Logf("min_score %v drops %.2f%% of sentences, %.1f%% of the wrongly identified ones", DefaultMinScore, 100*dropShare, 100*float64(lowScoreWrong)/float64(max(1, total-right)))
	if dropShare > 0.06 {
		t.Errorf("the default min_score drops %.2f%% of the labelled sentences, want ≤ 6%%", 100*dropShare)
	}
}

// TestPagesLanguage checks the real pages whose language is known (from
// the shared data's SOURCES.md: the non-English pages found by script and
// diacritics, and pages whose metadata says English).
func TestPagesLanguage(t *testing.T) {
	want := map[string]string{
		"aktualne": "cs", "heise": "de", "lemonde-1": "fr", "liberation-1": "fr", "videos-2": "fr",
		"cnet-svg-classes": "es", "la-nacion": "es", "nytimes-5": "es", "folha": "pt",
		"gmw": "zh", "qq": "zh", "youth": "zh", "pixnet": "zh", "hukumusume": "ja", "yahoo-4": "ja",
		"bbc-1": "en", "guardian-1": "en", "nytimes-1": "en", "wikipedia": "en", "medium-1": "en",
	}
	d, err := NewDetector(linguaConfig())
	if err != nil {
		t.Fatal(err)
	}
	pages := realPages(t)
	// The language_filter default keeps every real page; it drops only the
	// synthetic test cases of a few words ("Test", "abc def ghi", "Test
	// Case 1 Test Case 2").
	var dropped []string
	for _, name := range sortedKeys(pages) {
		if _, score, _, _ := d.Detect(pages[name]); score < DefaultMinScore {
			dropped = append(dropped, name)
		}
	}
	t.Logf("min_score %v drops %d of %d pages: %v", DefaultMinScore, len(dropped), len(pages), dropped)
	if len(dropped) > 3 {
		t.Errorf("the default min_score drops %d pages (%v), want ≤ 3", len(dropped), dropped)
	}
	for _, name := range sortedKeys(want) {
		text, ok := pages[name]
		if !ok {
			t.Errorf("page %s missing from the shared data", name)
			continue
		}
		got, score, _, _ := d.Detect(text)
		if got != want[name] || score < DefaultMinScore {
			t.Errorf("%s: got %s %.3f, want %s with score ≥ %v", name, got, score, want[name], DefaultMinScore)
		}
	}
}
