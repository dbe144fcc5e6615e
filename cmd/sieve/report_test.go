package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/stats"
)

func readReport(t *testing.T, dir string) *stats.Report {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r stats.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// The default run's report compares with Common Crawl's shipped crawl,
// states the rates of the closing line, and has the filters × languages
// and site-category sections; sieve report takes --reference none and
// --min-language-docs.
func TestDefaultReportSections(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the language models")
	}
	root := testdata.RepoRoot(t)
	out := t.TempDir()
	run := sieveCmd(t, "run", "-q", "-o", out)
	run.Dir = root
	b, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("sieve run: %v\n%s", err, b)
	}
	r := readReport(t, out)
	if !strings.Contains(r.Reference, "CC-MAIN-2024-42") || !strings.Contains(r.ReferenceNote, "CLD2") {
		t.Errorf("reference %q, note %q", r.Reference, r.ReferenceNote)
	}
	for _, l := range r.Languages {
		if l.Language == "en" && (l.RefShare == nil || math.Abs(*l.RefShare-0.434241) > 1e-9 || l.Ratio == nil) {
			t.Errorf("English row %+v", l)
		}
	}
	m := regexp.MustCompile(`from (\d+) HTML pages .* \(([\d.]+) MB of WARC.* in ([\d.]+)s: (\d+) pages/s`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("no closing line:\n%s", b)
	}
	pages, _ := strconv.ParseFloat(m[1], 64)
	if r.Run.ElapsedSecs <= 0 || math.Abs(r.Run.PagesPerSec-pages/r.Run.ElapsedSecs) > 1e-6 || r.Run.WARCMBPerSec <= 0 {
		t.Errorf("report rates %+v, closing line %q", r.Run, m[0])
	}
	fl := r.FilterLanguages
	if len(fl.Steps) == 0 || fl.All.Read != int64(pages) || fl.MinDocs != 20 {
		t.Errorf("filters × languages: %d steps, %d read of %v pages, min %d", len(fl.Steps), fl.All.Read, pages, fl.MinDocs)
	}
	if r.Sites.LookedUp != r.Summary.DocsKept {
		t.Errorf("site categories looked up for %d of %d kept documents", r.Sites.LookedUp, r.Summary.DocsKept)
	}

	rep := filepath.Join(t.TempDir(), "rep")
	cmd := sieveCmd(t, "report", "-o", rep, "--reference", "none", "--min-language-docs", "5", filepath.Join(out, "stats.json"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sieve report: %v\n%s", err, b)
	}
	r2 := readReport(t, rep)
	if r2.Reference != "" || r2.FilterLanguages.MinDocs != 5 || len(r2.FilterLanguages.Rows) <= len(fl.Rows) {
		t.Errorf("--reference none / --min-language-docs 5: reference %q, min %d, %d rows (default %d)",
			r2.Reference, r2.FilterLanguages.MinDocs, len(r2.FilterLanguages.Rows), len(fl.Rows))
	}
	if b, err := sieveCmd(t, "report", "-o", rep, "--reference", filepath.Join(rep, "missing.csv"), filepath.Join(out, "stats.json")).CombinedOutput(); err == nil {
		t.Errorf("a missing reference file was accepted:\n%s", b)
	}
}
