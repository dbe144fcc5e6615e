package stats

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/ingest/warc"
	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/pipeline"
)

// realFileStats reads the shared WARC files (good and malformed) the
// simple way: counts WARC-Type lines and records a gzip error as damage.
func realFileStats(t testing.TB) []FileStats {
	root := testdata.Shared(t, "warc")
	files, _ := filepath.Glob(filepath.Join(root, "*.warc*"))
	bad, _ := filepath.Glob(filepath.Join(root, "malformed", "*"))
	var out []FileStats
	for _, f := range append(files, bad...) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fs := FileStats{Path: f, CompressedBytes: int64(len(raw)), RecordsByType: map[string]int64{}, Skipped: map[string]int64{}}
		var data []byte
		if len(raw) > 2 && raw[0] == 0x1f && raw[1] == 0x8b {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err == nil {
				data, err = io.ReadAll(zr)
			}
			if err != nil {
				fs.DamagedCount++
				fs.Damaged = append(fs.Damaged, warc.Damage{Offset: int64(len(data)), Msg: "gzip: " + err.Error()})
			}
		} else {
			data = raw
		}
		fs.UncompressedBytes = int64(len(data))
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if typ, ok := strings.CutPrefix(sc.Text(), "WARC-Type: "); ok {
				typ = strings.TrimSpace(typ)
				fs.Records++
				fs.RecordsByType[typ]++
				if typ == "response" {
					fs.HTMLResponses++
				} else {
					fs.Skipped["not_response"]++
				}
			}
		}
		fs.Documents = fs.HTMLResponses
		out = append(out, fs)
	}
	return out
}

// fullCollector is a collector with every section filled from real data.
func fullCollector(t testing.TB) *Collector {
	c := collect(DefaultConfig(), realDocs(t))
	for _, f := range realFileStats(t) {
		c.AddFile(f)
	}
	c.AddDedup(DedupStats{DocsIn: c.Kept.Docs + 40, Removed: map[string]int64{"exact": 25, "minhash": 15},
		ClusterSizes: map[int64]int64{2: 20, 3: 5, 5: 2}})
	c.SetRun(RunInfo{Pipeline: "test", Inputs: len(c.Files), InputBytes: 1 << 20, Workers: 2, Tasks: 1, ElapsedSecs: 2.5, Documents: c.Kept.Docs})
	return c
}

func writeTestReport(t *testing.T) (string, *Report) {
	t.Helper()
	ref, err := LoadReference("testdata/reference-languages.csv")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if keep := os.Getenv("SIEVE_KEEP_REPORT"); keep != "" {
		dir = keep // to look at the report by hand
	}
	if err := WriteReport(dir, fullCollector(t), ref); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return dir, &r
}

func TestReportContents(t *testing.T) {
	dir, r := writeTestReport(t)
	if r.Summary.DocsKept == 0 || len(r.Languages) < 70 || r.Reference == "" {
		t.Fatalf("summary %+v, %d languages", r.Summary, len(r.Languages))
	}
	var docShare float64
	for _, l := range r.Languages {
		docShare += l.DocShare
		if l.RefShare == nil || l.Diff == nil {
			t.Fatalf("%s: no reference share", l.Language)
		}
	}
	if docShare < 0.999 || docShare > 1.001 {
		t.Errorf("document shares sum to %v", docShare)
	}
	if r.Files.WithDamage == 0 || len(r.Files.Rows) == 0 {
		t.Errorf("no damaged files reported: %+v", r.Files)
	}
	if len(r.Funnel) != 3 || r.Funnel[2].Step != "dedup" || r.Funnel[2].Dropped != 40 {
		t.Errorf("funnel %+v", r.Funnel)
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	// Self-contained: nothing is fetched.
	for _, bad := range []string{"<link", "src=", "@import", "url(", `href="http`} {
		if bytes.Contains(html, []byte(bad)) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	if n := bytes.Count(html, []byte("<svg")); n < 6 {
		t.Errorf("report.html has %d charts", n)
	}
}

var (
	mdRow      = regexp.MustCompile(`(?m)^\| ([^|]+?) \| (.*) \|$`)
	htmlLang   = regexp.MustCompile(`<tr data-lang="([^"]*)">(.*?)</tr>`)
	htmlKey    = regexp.MustCompile(`<tr data-key="([^"]*)">(.*?)</tr>`)
	htmlStep   = regexp.MustCompile(`<tr data-step="([^"]*)">(.*?)</tr>`)
	htmlCell   = regexp.MustCompile(`<td (?:class="n[^"]*" )?data-k="([a-z_0-9]+)">([^<]*)</td>`)
	htmlSite   = regexp.MustCompile(`<tr data-site="([^"]*)">(.*?)</tr>`)
	htmlHeat   = regexp.MustCompile(`<tr data-flang="([^"]*)">(.*?)</tr>`)
	htmlSumRow = regexp.MustCompile(`<div class="card"><div class="v">([^<]*)</div><div class="k">([^<]*)</div></div>`)
)

// TestReportNumbersAgree reads report.md and report.html back and checks
// every number of the language, domain, TLD, funnel and summary tables
// against report.json.
func TestReportNumbersAgree(t *testing.T) {
	dir, r := writeTestReport(t)
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	page, _ := os.ReadFile(filepath.Join(dir, "report.html"))

	// Markdown: rows are keyed by their first cell within each section.
	sections := map[string]map[string][]string{}
	cur := ""
	for _, line := range strings.Split(string(md), "\n") {
		if strings.HasPrefix(line, "## ") || strings.HasPrefix(line, "### ") {
			cur = strings.TrimLeft(line, "# ")
			sections[cur] = map[string][]string{}
			continue
		}
		if m := mdRow.FindStringSubmatch(line); m != nil && cur != "" {
			sections[cur][m[1]] = strings.Split(m[2], " | ")
		}
	}
	check := func(where, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %q, report.json says %q", where, got, want)
		}
	}
	langMD := sections["Languages"]
	for _, l := range r.Languages {
		row := langMD[l.Language]
		want := []string{l.Name, FormatInt(l.Docs), FormatShare(l.DocShare), FormatTail(l.LongTail), FormatShare(*l.RefShare), FormatDiff(*l.Diff), FormatRatio(l.Ratio), FormatInt(l.Chars),
			FormatShare(l.CharShare), FormatInt(l.Tokens), FormatShare(l.TokenShare), FormatFloat(l.TokensPer1000Chars), FormatRatio(l.RelTokens),
			FormatShare(l.TokenCoverage), FormatScore(l.MeanScore)}
		if len(row) != len(want) {
			t.Fatalf("report.md language %s: row %v", l.Language, row)
		}
		for i := range want {
			check("report.md "+l.Language, strings.TrimSpace(row[i]), want[i])
		}
	}
	// Filters × languages: Markdown and HTML against report.json.
	fl := r.FilterLanguages
	if len(fl.Steps) == 0 || len(fl.Rows) == 0 {
		t.Fatalf("no filters × languages table: %+v", fl)
	}
	flMD, reasonMD := sections["Filters by language"], sections["Filters by language and reason"]
	for _, row := range fl.AllRows() {
		want := []string{row.Name, FormatInt(row.Read), FormatShare(row.KeptShare)}
		for i, sh := range row.StepShares {
			w := FormatShare(sh)
			if row.flagged(fl.Steps[i]) {
				w += " ⚑"
			}
			want = append(want, w)
		}
		want = append(want, strings.Join(row.Flagged, ", "))
		check("report.md filters "+row.Language, strings.Join(flMD[row.Language], "|"), strings.Join(want, "|"))
		want = []string{row.Name, FormatInt(row.Read)}
		for _, sh := range row.ReasonShares {
			want = append(want, FormatShare(sh))
		}
		check("report.md reasons "+row.Language, strings.Join(reasonMD[row.Language], "|"), strings.Join(want, "|"))
	}
	for _, kt := range []struct {
		name string
		t    KeyTable
	}{{"Top registered domains", r.Domains}, {"Top-level domains", r.TLDs}} {
		for _, k := range kt.t.Rows {
			row := sections[kt.name][k.Key]
			if len(row) != 4 {
				t.Fatalf("report.md %s %s: %v", kt.name, k.Key, row)
			}
			check("report.md "+k.Key, strings.Join(row, "|"), strings.Join([]string{FormatInt(k.Docs), FormatInt(k.Err), FormatShare(k.DocShare), FormatInt(k.Chars)}, "|"))
		}
	}
	for _, f := range r.Funnel {
		row := sections["Filter funnel"][f.Step]
		if len(row) < 3 {
			t.Fatalf("report.md funnel %s: %v", f.Step, row)
		}
		check("report.md funnel "+f.Step, strings.Join(row[:3], "|"), strings.Join([]string{FormatInt(f.In), FormatInt(f.Out), FormatInt(f.Dropped)}, "|"))
	}
	sum := sections["Summary"]
	for _, kv := range summaryRows(r.Summary) {
		check("report.md summary "+kv[0], strings.Join(sum[kv[0]], ""), kv[1])
	}

	// HTML: rows carry data-lang / data-key / data-step, cells data-k.
	cells := func(row string) map[string]string {
		out := map[string]string{}
		for _, m := range htmlCell.FindAllStringSubmatch(row, -1) {
			out[m[1]] = html.UnescapeString(m[2])
		}
		return out
	}
	langHTML := map[string]map[string]string{}
	langRowHTML := map[string]string{}
	for _, m := range htmlLang.FindAllStringSubmatch(string(page), -1) {
		langHTML[html.UnescapeString(m[1])] = cells(m[2])
		langRowHTML[html.UnescapeString(m[1])] = m[2]
	}
	if len(langHTML) != len(r.Languages) {
		t.Fatalf("report.html has %d language rows, report.json %d", len(langHTML), len(r.Languages))
	}
	for _, l := range r.Languages {
		c := langHTML[l.Language]
		for k, want := range map[string]string{"name": l.Name, "docs": FormatInt(l.Docs), "doc_share": FormatShare(l.DocShare), "ref_share": FormatShare(*l.RefShare),
			"diff": FormatDiff(*l.Diff), "chars": FormatInt(l.Chars), "char_share": FormatShare(l.CharShare), "tokens": FormatInt(l.Tokens),
			"token_share": FormatShare(l.TokenShare), "tokens_per_1000_chars": FormatFloat(l.TokensPer1000Chars), "mean_score": FormatScore(l.MeanScore)} {
			check("report.html "+l.Language+" "+k, c[k], want)
		}
	}
	for _, l := range r.Languages {
		c := langHTML[l.Language]
		for k, want := range map[string]string{"ratio": FormatRatio(l.Ratio), "tokens_rel_english": FormatRatio(l.RelTokens), "token_coverage": FormatShare(l.TokenCoverage)} {
			check("report.html "+l.Language+" "+k, c[k], want)
		}
	}
	tails := 0
	for _, l := range r.Languages {
		if l.LongTail {
			tails++
			if !strings.Contains(langRowHTML[l.Language], `<td data-k="tail"><span class="tail">long tail</span></td>`) {
				t.Errorf("report.html %s: no long-tail mark", l.Language)
			}
		} else if strings.Contains(langRowHTML[l.Language], "long tail") {
			t.Errorf("report.html %s: long-tail mark on a language of %s", l.Language, FormatShare(l.DocShare))
		}
	}
	if tails == 0 {
		t.Error("the test corpus has no long-tail language: the check proves nothing")
	}
	heat := htmlHeat.FindAllStringSubmatch(string(page), -1)
	if len(heat) != len(fl.AllRows()) {
		t.Fatalf("report.html heat map has %d rows, report.json %d", len(heat), len(fl.AllRows()))
	}
	for i, m := range heat {
		row := fl.AllRows()[i]
		c := heatCells(m[2])
		check("report.html heat map language", m[1], row.Language)
		check("report.html heat map "+row.Language+" read", c["read"], FormatInt(row.Read))
		check("report.html heat map "+row.Language+" kept", c["kept"], FormatShare(row.KeptShare))
		for j, sh := range row.StepShares {
			check(fmt.Sprintf("report.html heat map %s step %s", row.Language, fl.Steps[j]), c[fmt.Sprintf("step_%d", j)], FormatShare(sh))
		}
	}
	// Site categories: Markdown and HTML against report.json.
	st := r.Sites
	if st.LookedUp != r.Summary.DocsKept || len(st.Rows) == 0 {
		t.Fatalf("site categories: %d looked up of %d kept, %d rows", st.LookedUp, r.Summary.DocsKept, len(st.Rows))
	}
	siteMD := sections["Site categories"]
	siteHTML := map[string]map[string]string{}
	for _, m := range htmlSite.FindAllStringSubmatch(string(page), -1) {
		siteHTML[m[1]] = cells(m[2])
	}
	if len(siteHTML) != len(st.Rows) {
		t.Fatalf("report.html has %d site rows, report.json %d", len(siteHTML), len(st.Rows))
	}
	for _, row := range st.Rows {
		want := []string{FormatInt(row.Docs), FormatShare(row.DocShare), FormatInt(row.Tokens), FormatShare(row.TokenShare)}
		hw := map[string]string{"docs": want[0], "doc_share": want[1], "tokens": want[2], "token_share": want[3]}
		for i, c := range row.ByLanguage {
			want = append(want, FormatInt(c.Docs), FormatShare(c.DocShare))
			hw[fmt.Sprintf("lang_%d_docs", i)] = FormatInt(c.Docs)
			hw[fmt.Sprintf("lang_%d_share", i)] = FormatShare(c.DocShare)
		}
		check("report.md site "+row.Category, strings.Join(siteMD[row.Category], "|"), strings.Join(want, "|"))
		for k, w := range hw {
			check("report.html site "+row.Category+" "+k, siteHTML[row.Category][k], w)
		}
	}
	keyHTML := htmlKey.FindAllStringSubmatch(string(page), -1)
	if len(keyHTML) != len(r.Domains.Rows)+len(r.TLDs.Rows) {
		t.Fatalf("report.html has %d domain+TLD rows, report.json %d", len(keyHTML), len(r.Domains.Rows)+len(r.TLDs.Rows))
	}
	for i, m := range keyHTML {
		k := append(append([]KeyRow{}, r.Domains.Rows...), r.TLDs.Rows...)[i]
		c := cells(m[2])
		check("report.html key", html.UnescapeString(m[1]), k.Key)
		check("report.html "+k.Key, fmt.Sprint(c["docs"], c["err"], c["doc_share"], c["chars"]),
			fmt.Sprint(FormatInt(k.Docs), FormatInt(k.Err), FormatShare(k.DocShare), FormatInt(k.Chars)))
	}
	steps := htmlStep.FindAllStringSubmatch(string(page), -1)
	if len(steps) != len(r.Funnel) {
		t.Fatalf("report.html has %d funnel rows, report.json %d", len(steps), len(r.Funnel))
	}
	for i, m := range steps {
		f := r.Funnel[i]
		c := cells(m[2])
		check("report.html funnel "+f.Step, fmt.Sprint(m[1], c["in"], c["out"], c["dropped"]), fmt.Sprint(f.Step, FormatInt(f.In), FormatInt(f.Out), FormatInt(f.Dropped)))
	}
	cards := htmlSumRow.FindAllStringSubmatch(string(page), -1)
	rows := summaryRows(r.Summary)
	if len(cards) != len(rows) {
		t.Fatalf("report.html has %d summary cards, want %d", len(cards), len(rows))
	}
	for i, m := range cards {
		check("report.html summary "+m[2], html.UnescapeString(m[2]+"="+m[1]), rows[i][0]+"="+rows[i][1])
	}
}

// heatCells reads the data-k cells of a heat-map row (they carry a class
// and a style).
func heatCells(row string) map[string]string {
	out := map[string]string{}
	for _, m := range heatCell.FindAllStringSubmatch(row, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

var heatCell = regexp.MustCompile(`<td class="n[^"]*" data-k="([a-z_0-9]+)"(?: style="[^"]*")?>([^<]*)</td>`)

func TestFilterLanguagesAddUp(t *testing.T) {
	c := fullCollector(t)
	r := BuildReport(c, nil)
	fl := r.FilterLanguages
	var read, passed int64
	for _, f := range c.Funnels {
		read += f.Read()
		passed += f.Passed
	}
	if fl.All.Read != read || fl.All.Passed != passed || fl.All.Read != c.Steps[0].In {
		t.Errorf("all row read %d passed %d; funnels read %d passed %d; first step in %d", fl.All.Read, fl.All.Passed, read, passed, c.Steps[0].In)
	}
	for _, row := range fl.AllRows() {
		sum := row.KeptShare
		for _, sh := range row.StepShares {
			sum += sh
		}
		if row.Read > 0 && (sum < 0.999999 || sum > 1.000001) {
			t.Errorf("%s: kept and step shares sum to %v", row.Language, sum)
		}
		if row.Language != "all" && row.Read < int64(fl.MinDocs) {
			t.Errorf("%s: %d read, under the minimum %d", row.Language, row.Read, fl.MinDocs)
		}
	}
	// Merging two halves gives the same table.
	docs := realDocs(t)
	a, b := collect(DefaultConfig(), docs[:len(docs)/2]), collect(DefaultConfig(), docs[len(docs)/2:])
	a.Merge(b)
	whole := collect(DefaultConfig(), docs)
	if got, want := mustJSON(t, BuildReport(a, nil).FilterLanguages), mustJSON(t, BuildReport(whole, nil).FilterLanguages); !bytes.Equal(got, want) {
		t.Errorf("merged halves differ from the whole:\n%s\n%s", got, want)
	}
}

// Site categories merge exactly and count real hosts of the shipped lists.
func TestSiteCategories(t *testing.T) {
	docs := realDocs(t)
	whole := collect(DefaultConfig(), docs)
	a, b := collect(DefaultConfig(), docs[:len(docs)/3]), collect(DefaultConfig(), docs[len(docs)/3:])
	a.Merge(b)
	if got, want := mustJSON(t, BuildReport(a, nil).Sites), mustJSON(t, BuildReport(whole, nil).Sites); !bytes.Equal(got, want) {
		t.Errorf("merged parts differ from the whole:\n%s\n%s", got, want)
	}
	c := NewCollector(DefaultConfig())
	for _, u := range []string{"https://www.bet365.com/", "https://www.lemonde.fr/a", "https://example.org/"} {
		d := pipeline.Document{URL: u, Text: "some text here", Language: "fr", TokenCount: 7}
		c.ObserveKept(&d)
	}
	r := BuildReport(c, nil)
	got := map[string]int64{}
	for _, row := range r.Sites.Rows {
		got[row.Category] = row.Docs
	}
	if r.Sites.LookedUp != 3 || r.Sites.Categorized != 2 || got["gambling"] != 1 || got["press"] != 1 {
		t.Errorf("site categories %+v", r.Sites)
	}
	off := DefaultConfig()
	off.NoSiteCategories = true
	c = NewCollector(off)
	d := pipeline.Document{URL: "https://www.bet365.com/", Text: "x", TokenCount: -1}
	c.ObserveKept(&d)
	if c.SitesLookedUp != 0 || len(c.Sites) != 0 {
		t.Errorf("no_site_categories: %d looked up", c.SitesLookedUp)
	}
}

func TestFarAbove(t *testing.T) {
	for _, c := range []struct {
		p, p0 float64
		n     int64
		want  bool
	}{
		{0.50, 0.10, 100, true},    // 5x, +40 pp, z = 13
		{0.15, 0.10, 1000, false},  // not twice
		{0.03, 0.01, 10000, false}, // twice but only +2 pp
		{0.35, 0.10, 20, true},     // z = 3.7
		{0.25, 0.10, 20, false},    // z = 2.2: a small sample
		{0.20, 0, 20, true},        // nothing dropped corpus-wide
		{1, 1, 50, false},
	} {
		if got := FarAbove(c.p, c.p0, c.n); got != c.want {
			t.Errorf("FarAbove(%v, %v, %d) = %v", c.p, c.p0, c.n, got)
		}
	}
}

func TestWriteReportWithoutData(t *testing.T) {
	dir := t.TempDir()
	if err := WriteReport(dir, NewCollector(DefaultConfig()), nil); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"report.json", "report.md", "report.html"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Stats written before pass counts existed: kept documents stand in for
// the passed ones, and the table says so.
func TestFilterLanguagesWithoutPassCounts(t *testing.T) {
	c := fullCollector(t)
	for _, f := range c.Funnels {
		f.Passed = 0
	}
	fl := BuildReport(c, nil).FilterLanguages
	if !fl.PassedFromKept || fl.All.Passed != c.Kept.Docs || !strings.Contains(fl.note(), "stand in") {
		t.Errorf("passed from kept %v, all passed %d, kept %d", fl.PassedFromKept, fl.All.Passed, c.Kept.Docs)
	}
}
