package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/shard"
)

// The shipped sample runs through the extract pipeline from the repository
// root (the README's first command, minus the models), and inspect shows
// every column of what it wrote.
func TestRunSampleThenInspect(t *testing.T) {
	root := testdata.RepoRoot(t)
	out := t.TempDir()
	run := sieveCmd(t, "run", "-q", "--pipeline", "extract", "-o", out)
	run.Dir = root
	if b, err := run.CombinedOutput(); err != nil {
		t.Fatalf("sieve run on the sample: %v\n%s", err, b)
	}
	shards, _ := filepath.Glob(filepath.Join(out, "shards", "*.arrow"))
	if len(shards) != 6 {
		t.Fatalf("%d shards for the 6 sample files", len(shards))
	}
	ins := sieveCmd(t, "inspect", "--json", "-n", "2", filepath.Join(out, "shards", "000005-00000.arrow"))
	b, err := ins.Output()
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	var sum struct {
		Rows    int64 `json:"rows"`
		Columns []struct {
			Name string `json:"name"`
		} `json:"schema"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatalf("inspect --json: %v\n%s", err, b)
	}
	var names []string
	for _, c := range sum.Columns {
		names = append(names, c.Name)
	}
	want := "id url domain host title text language language_score date warc_record_id warc_filename token_count quality_signals" // the extraction signals
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("columns %q, want %q", got, want)
	}
	// resiliparse's Common Crawl excerpt: 16 HTML responses, of which the
	// ones with HTTP 200 and text become rows.
	if sum.Rows < 10 || sum.Rows > 16 {
		t.Fatalf("resiliparse__warcfile: %d rows", sum.Rows)
	}
}

// sieve extract prints the main text of a real page (heise.de, German) with
// its umlauts intact and the article's sentences in it.
func TestExtractCommand(t *testing.T) {
	page := filepath.Join(testdata.Shared(t, "html"), "heise", "source.html")
	cmd := sieveCmd(t, "extract", "--json", page)
	b, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var res struct{ Title, Text string }
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"AgileBits hat Version 5.3 seines bekannten Passwortmanagers", "für OS X"} {
		if !strings.Contains(res.Text, want) {
			t.Fatalf("heise page: %q missing from %.300q", want, res.Text)
		}
	}
	bad := sieveCmd(t, "extract", "/no/such/page.html")
	if err := bad.Run(); err == nil {
		t.Fatal("a missing file must fail")
	}
}

// The README's main job: `sieve run -o out` from the repository root, with
// the default pipeline on the shipped sample. Every written document has a
// language, a score, a token count and the filters' signals.
func TestDefaultRunOnSample(t *testing.T) {
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
	m := regexp.MustCompile(`from (\d+) HTML pages in (\d+) records \(([\d.]+) MB of WARC, ([\d.]+) MB read\) in [\d.]+s: \d+ pages/s, [\d.]+ MB/s of WARC`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("no throughput line:\n%s", b)
	}
	html, _ := strconv.Atoi(m[1])
	recs, _ := strconv.Atoi(m[2])
	warcMB, _ := strconv.ParseFloat(m[3], 64)
	readMB, _ := strconv.ParseFloat(m[4], 64)
	if html == 0 || html > recs {
		t.Fatalf("%d HTML pages of %d records:\n%s", html, recs, b)
	}
	if warcMB <= readMB { // the sample files are gzipped
		t.Fatalf("%.1f MB of WARC from %.1f MB of gzipped files:\n%s", warcMB, readMB, b)
	}
	// Where the time went: every phase of this run, and the steps with the
	// costliest three named; the shares add up to about 100%.
	tm := regexp.MustCompile(`(?m)^sieve: time: start-up (\d+)%, reading (\d+)%, steps (\d+)% \((\w+) \d+%, \w+ \d+%, \w+ \d+%\), writing shards (\d+)%, dedup pass (\d+)%, statistics (\d+)%$`).FindStringSubmatch(string(b))
	if tm == nil {
		t.Fatalf("no time line:\n%s", b)
	}
	sum := 0
	for _, i := range []int{1, 2, 3, 5, 6, 7} {
		v, _ := strconv.Atoi(tm[i])
		sum += v
	}
	if sum < 97 || sum > 103 {
		t.Errorf("time shares add up to %d%%:\n%s", sum, b)
	}
	shards, _ := filepath.Glob(filepath.Join(out, "shards", "*.arrow"))
	langs := map[string]int{}
	n := 0
	for _, p := range shards {
		docs, err := shard.ReadDocuments(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			n++
			langs[d.Language]++
			if d.Language == "" || d.LanguageScore <= 0 || d.LanguageScore > 1 {
				t.Errorf("%s: language %q score %v", d.URL, d.Language, d.LanguageScore)
			}
			if d.TokenCount <= 0 {
				t.Errorf("%s: token_count %d", d.URL, d.TokenCount)
			}
			if _, ok := d.Signals["gopher_word_count"]; !ok {
				t.Errorf("%s: no gopher signals in %v", d.URL, d.Signals)
			}
		}
	}
	// The sample holds English, Japanese, Chinese, Russian and Dutch pages
	// that pass the FineWeb rules.
	for _, l := range []string{"en", "ja", "zh", "ru", "nl"} {
		if langs[l] == 0 {
			t.Errorf("no %s document kept; languages: %v", l, langs)
		}
	}
	for _, f := range []string{"report.html", "report.md", "stats.json", "dedup/removed.arrow", "shards/state.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	if n == 0 {
		t.Fatal("nothing written")
	}
}
