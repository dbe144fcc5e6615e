package extracteval

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestWordPRF(t *testing.T) {
	cases := []struct {
		got, want string
		p, r      float64
	}{
		{"", "", 1, 1},
		{"", "some words", 0, 0},
		{"some words", "", 0, 0},
		// Case and punctuation are ignored; counts are a multiset.
		{"The cat, the CAT!", "the cat", 0.5, 1},
		{"a b", "a b c d", 1, 0.5},
		// Han characters count one by one, Latin runs as one word.
		{"日本語 text", "日本 text", 3.0 / 4, 1},
		// Hangul syllables one by one too; combining marks stay in the word.
		{"한국", "한국어", 1, 2.0 / 3},
		{"café", "cafe\u0301", 0, 0},
	}
	for _, c := range cases {
		s := WordPRF(c.got, c.want)
		if !near(s.P, c.p) || !near(s.R, c.r) {
			t.Errorf("WordPRF(%q, %q) = %+v, want P=%v R=%v", c.got, c.want, s, c.p, c.r)
		}
		f := 0.0
		if c.p+c.r > 0 {
			f = 2 * c.p * c.r / (c.p + c.r)
		}
		if !near(s.F1, f) {
			t.Errorf("WordPRF(%q, %q).F1 = %v, want %v", c.got, c.want, s.F1, f)
		}
	}
}

func TestHTMLToPlainText(t *testing.T) {
	got := HTMLToPlainText([]byte("<div><p>One&nbsp;two</p><p>three\u200bfour</p>\n\n<br/>five\u00a0 </div>"))
	if want := "One two three four five"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestMean(t *testing.T) {
	m := Mean([]Score{{1, 0.5, 0.6}, {0, 0.5, 0.2}})
	if !near(m.P, 0.5) || !near(m.R, 0.5) || !near(m.F1, 0.4) {
		t.Errorf("Mean = %+v", m)
	}
	if m := Mean(nil); m != (Score{}) {
		t.Errorf("Mean(nil) = %+v", m)
	}
}

func TestEvaluate(t *testing.T) {
	a := Annotated{With: []string{"kept one", "kept two"}, Without: []string{"Impressum", "Share"}}
	c := Evaluate(a, "text with kept one and Share buttons")
	if c != (Counts{TP: 1, FN: 1, FP: 1, TN: 1}) {
		t.Errorf("counts %+v", c)
	}
	// An empty result finds nothing, even an empty snippet.
	a.With = append(a.With, "")
	if c := Evaluate(a, ""); c != (Counts{FN: 3, TN: 2}) {
		t.Errorf("empty result: counts %+v", c)
	}
	var sum Counts
	sum.Add(Counts{TP: 3, FN: 1, FP: 1, TN: 5})
	sum.Add(Counts{TP: 1, FN: 1, FP: 1, TN: 1})
	if sum != (Counts{4, 2, 2, 6}) {
		t.Fatalf("sum %+v", sum)
	}
	if !near(sum.Precision(), 4.0/6) || !near(sum.Recall(), 4.0/6) || !near(sum.Accuracy(), 10.0/14) || !near(sum.F1(), 8.0/12) {
		t.Errorf("P=%v R=%v A=%v F1=%v", sum.Precision(), sum.Recall(), sum.Accuracy(), sum.F1())
	}
	if z := (Counts{}); z.Precision() != 0 || z.F1() != 0 {
		t.Errorf("zero counts score %+v", z.Score())
	}
}

func TestParseComparisonData(t *testing.T) {
	dir := t.TempDir()
	src := "package main\n\nvar comparisonData = map[string]ComparisonEntry{\n" +
		"\t\"https://b.example/\": {File: \"b.html\", With: []string{\"x\", `y`}, Without: []string{\"z\"}},\n" +
		"\t\"https://a.example/\": {\n\t\tFile: \"a.html\",\n\t\tWith: []string{\"\\u00e9t\\u00e9\"},\n\t},\n" +
		"\t\"https://nofile.example/\": {With: []string{\"w\"}},\n" +
		"}\n"
	path := filepath.Join(dir, "data.go")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ParseComparisonData(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].File != "a.html" || got[0].URL != "https://a.example/" || got[0].With[0] != "été" ||
		got[1].File != "b.html" || strings.Join(got[1].With, "|") != "x|y" || strings.Join(got[1].Without, "|") != "z" {
		t.Errorf("parsed %+v", got)
	}

	bad := filepath.Join(dir, "bad.go")
	if err := os.WriteFile(bad, []byte("package main\nvar comparisonData = map[string]int{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseComparisonData(bad); err == nil || !strings.Contains(err.Error(), "bad.go:") {
		t.Errorf("syntax error not reported with file and line: %v", err)
	}
	empty := filepath.Join(dir, "empty.go")
	if err := os.WriteFile(empty, []byte("package main\nvar other = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseComparisonData(empty); err == nil || !strings.Contains(err.Error(), "no comparisonData") {
		t.Errorf("file without the map accepted: %v", err)
	}
}

func TestLoadReadabilityErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "page-a"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "page-a", "source.html"), []byte("<p>x</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadReadability(dir); err == nil || !strings.Contains(err.Error(), filepath.Join("page-a", "expected.html")) {
		t.Errorf("missing expected.html not named: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "page-a", "expected.html"), []byte("<p>x</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadReadability(dir); err == nil || !strings.Contains(err.Error(), "1 pages") {
		t.Errorf("a one-page set accepted: %v", err)
	}
}

// TestLoadReadability reads the real set: 130 pages, each with text.
func TestLoadReadability(t *testing.T) {
	pages, err := LoadReadability(testdata.Shared(t, "html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 130 {
		t.Errorf("%d pages, want 130", len(pages))
	}
	for _, p := range pages {
		if len(p.Source) == 0 || p.Expected == "" {
			t.Errorf("%s: empty source or expected text", p.Name)
		}
	}
}

// TestLoadComparison reads the real comparison set from the module cache
// (downloaded through the go command): all 983 annotated pages are there,
// and a text made of every "with" snippet scores perfectly.
func TestLoadComparison(t *testing.T) {
	dir, err := ModuleDir(TrafilaturaModule)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("comparison set unavailable under CI: %v", err)
		}
		t.Skipf("comparison set unavailable: %v", err)
	}
	pages, missing, err := LoadComparison(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 983 || missing != 0 {
		t.Errorf("%d pages, %d missing; want 983 and 0", len(pages), missing)
	}
	var total Counts
	for _, p := range pages {
		total.Add(Evaluate(p, strings.Join(p.With, "\n")))
	}
	if total.FN != 0 || total.TP < 2*len(pages) {
		t.Errorf("the wanted snippets themselves score %+v", total)
	}
	t.Logf("oracle: P=%.3f R=%.3f F1=%.3f (some unwanted snippets occur inside wanted ones)", total.Precision(), total.Recall(), total.F1())
}

func TestModuleDirError(t *testing.T) {
	// A malformed path fails in the go command itself, without network.
	if _, err := ModuleDir("no-such-module@v0.0.0-bad"); err == nil || !strings.Contains(err.Error(), "malformed module path") {
		t.Errorf("a malformed module path gave %v", err)
	}
}

// FuzzWordPRF: scores stay in [0,1], a text agrees with itself, and the
// plain-text conversion never panics on any input.
func FuzzWordPRF(f *testing.F) {
	f.Add("The cat sat.", "<p>the <b>cat</b></p>")
	f.Add("日本語のテキスト 한국어", "<div>日本語</div>")
	f.Add("", "<")
	f.Fuzz(func(t *testing.T, got, wantHTML string) {
		want := HTMLToPlainText([]byte(wantHTML))
		s := WordPRF(got, want)
		for _, v := range []float64{s.P, s.R, s.F1} {
			if v < 0 || v > 1 || math.IsNaN(v) {
				t.Fatalf("score out of range: %+v", s)
			}
		}
		if self := WordPRF(got, got); self != (Score{1, 1, 1}) {
			t.Fatalf("text against itself: %+v", self)
		}
	})
}
