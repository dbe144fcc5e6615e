// Command extract-score measures sieve's main-text extractor side by side
// with go-trafilatura (v1.12.2, fallback off) on sieve's two dev sets, in
// one process, one goroutine:
//
//   - the 130 mozilla/readability pages in ../shared/testdata/html, scored
//     by word-level precision/recall/F1 against expected.html (mean over
//     pages);
//   - trafilatura's 983-page annotated comparison set, read from the
//     go-trafilatura module in the module cache, scored the way its
//     comparison counts snippets (tp/fn/fp/tn summed over the set).
//
// The metrics and loaders are internal/extracteval, the package the
// regression tests in ingest/extract use, so the tool and the tests agree.
// Speed is pages per CPU-second of the process (getrusage around each
// extractor's loop over a set) and per wall-second; memory is bytes
// allocated per page (runtime.MemStats.TotalAlloc). It is its own module,
// so the sieve binary never links go-trafilatura. Usage:
//
//	cd tools/extract-score && go run . [-only sieve] [-worst 20] [-json out.json]
//
// See README.md for the flags and today's numbers.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	trafilatura "github.com/markusmobius/go-trafilatura"

	"github.com/sieve-data/sieve/ingest/extract"
	"github.com/sieve-data/sieve/internal/extracteval"
)

// The dev sets, in the order they are printed.
const (
	setReadability = "readability"
	setComparison  = "comparison"
)

// page is one page of either set with what it is scored against.
type page struct {
	set, name string
	source    []byte
	expected  string                 // readability: expected text
	annotated *extracteval.Annotated // comparison: snippets
}

// extractor turns a page into main text. err is a per-page failure (the
// page then scores as an empty result).
type extractor struct {
	name string
	run  func(raw []byte) (string, error)
}

// pageResult is one extractor's outcome on one page.
type pageResult struct {
	P      float64             `json:"p"`
	R      float64             `json:"r"`
	F1     float64             `json:"f1"`
	Counts *extracteval.Counts `json:"counts,omitempty"` // comparison set only
	Chars  int                 `json:"chars"`
	Error  string              `json:"error,omitempty"`
	text   string
}

// setRun is one extractor's pass over one set.
type setRun struct {
	extractor, set string
	pages          []pageResult
	score          extracteval.Score
	accuracy       float64 // comparison set only
	cpu, wall      time.Duration
	alloc          uint64
	errors         int
}

func main() {
	var (
		dir            = flag.String("dir", "", "go-trafilatura module directory (default: from `go mod download`)")
		htmlDir        = flag.String("html", "", "readability set directory (default: ../shared/testdata/html beside the repository)")
		only           = flag.String("only", "", "run one extractor only: sieve or trafilatura")
		verbose        = flag.Bool("v", false, "list every missed or unwanted snippet of the comparison set")
		worst          = flag.Int("worst", 0, "list the `N` pages where sieve's F1 is furthest below go-trafilatura's")
		pageName       = flag.String("page", "", "print both extractors' text for one page (readability folder, comparison file name or URL) and exit")
		jsonOut        = flag.String("json", "", "write per-page scores to `FILE` (JSON)")
		compare        = flag.String("compare", "", "list the pages whose sieve F1 changed against an earlier -json `FILE`")
		procs          = flag.Int("procs", 1, "GOMAXPROCS while measuring (1: GC work is counted on the one core it competes for)")
		trafNoDate     = flag.Bool("traf-no-date", false, "go-trafilatura: HtmlDateMode Disabled (skip its publish-date search, which sieve does not do)")
		trafNoComments = flag.Bool("traf-exclude-comments", false, "go-trafilatura: ExcludeComments (as its comparison script runs it; the CLI default extracts comments apart)")
		keepAll        = flag.Bool("keep-boilerplate", false, "sieve: score with boilerplate removal off (a baseline)")
	)
	d := extract.DefaultOptions()
	flag.IntVar(&d.ShortBlockChars, "short", d.ShortBlockChars, "sieve: Options.ShortBlockChars")
	flag.IntVar(&d.LongBlockChars, "long", d.LongBlockChars, "sieve: Options.LongBlockChars")
	flag.Float64Var(&d.MaxLinkDensity, "max-link-density", d.MaxLinkDensity, "sieve: Options.MaxLinkDensity")
	flag.Parse()
	d.KeepBoilerplate = *keepAll
	if *only != "" && *only != "sieve" && *only != "trafilatura" {
		fmt.Fprintln(os.Stderr, "extract-score: -only takes sieve or trafilatura")
		os.Exit(2)
	}
	runtime.GOMAXPROCS(*procs)

	var extractors []extractor
	if *only != "trafilatura" {
		extractors = append(extractors, sieveExtractor(d))
	}
	if *only != "sieve" {
		extractors = append(extractors, trafilaturaExtractor(*trafNoDate, *trafNoComments))
	}
	if err := run(*dir, *htmlDir, extractors, *pageName, *verbose, *worst, *jsonOut, *compare); err != nil {
		fmt.Fprintln(os.Stderr, "extract-score:", err)
		os.Exit(1)
	}
}

func sieveExtractor(opts extract.Options) extractor {
	return extractor{name: "sieve", run: func(raw []byte) (string, error) {
		res, err := extract.Extract(raw, "", opts)
		return res.Text, err
	}}
}

// trafilaturaExtractor runs go-trafilatura as its CLI does (its defaults:
// Balanced focus, comments extracted apart from the main text, tables
// kept, no dedup, no language filter) with the fallback to readability and
// dom-distiller off. Neither extractor is told the page's URL. A page it
// declines ("text and comments are not long enough") or panics on scores
// as an empty result.
func trafilaturaExtractor(noDate, excludeComments bool) extractor {
	opts := trafilatura.Options{EnableFallback: false, ExcludeComments: excludeComments}
	if noDate {
		opts.HtmlDateMode = trafilatura.Disabled
	}
	return extractor{name: "go-trafilatura", run: func(raw []byte) (text string, err error) {
		defer func() {
			if r := recover(); r != nil {
				text, err = "", fmt.Errorf("panic: %v", r)
			}
		}()
		res, err := trafilatura.Extract(bytes.NewReader(raw), opts)
		if err != nil {
			return "", err
		}
		return res.ContentText, nil
	}}
}

func run(modDir, htmlDir string, extractors []extractor, pageName string, verbose bool, worst int, jsonOut, compare string) error {
	sets, err := loadSets(modDir, htmlDir)
	if err != nil {
		return err
	}
	if pageName != "" {
		return showPage(sets, extractors, pageName)
	}
	var runs []*setRun
	for _, set := range []string{setReadability, setComparison} {
		for _, ex := range extractors {
			r := measure(ex, set, sets[set])
			runs = append(runs, r)
			if verbose && set == setComparison {
				listSnippets(r, sets[set])
			}
		}
	}
	printTable(os.Stdout, runs, extractors)
	if worst > 0 {
		printWorst(os.Stdout, runs, sets, worst)
	}
	if compare != "" {
		if err := printChanges(os.Stdout, compare, runs, sets); err != nil {
			return err
		}
	}
	if jsonOut != "" {
		if err := writeJSON(jsonOut, runs, sets); err != nil {
			return err
		}
	}
	return nil
}

// loadSets reads both dev sets into memory before anything is timed.
func loadSets(modDir, htmlDir string) (map[string][]page, error) {
	if htmlDir == "" {
		var err error
		if htmlDir, err = findSharedHTML(); err != nil {
			return nil, err
		}
	}
	rp, err := extracteval.LoadReadability(htmlDir)
	if err != nil {
		return nil, err
	}
	if modDir == "" {
		if modDir, err = extracteval.ModuleDir(extracteval.TrafilaturaModule); err != nil {
			return nil, err
		}
	}
	cp, missing, err := extracteval.LoadComparison(modDir)
	if err != nil {
		return nil, err
	}
	if missing > 0 {
		fmt.Fprintf(os.Stderr, "extract-score: %d annotated comparison pages have no HTML file and are left out\n", missing)
	}
	sets := map[string][]page{}
	for _, p := range rp {
		sets[setReadability] = append(sets[setReadability], page{set: setReadability, name: p.Name, source: p.Source, expected: p.Expected})
	}
	for i := range cp {
		a := &cp[i]
		sets[setComparison] = append(sets[setComparison], page{set: setComparison, name: a.File, source: a.Source, annotated: a})
	}
	return sets, nil
}

// findSharedHTML looks for ../shared/testdata/html beside the repository,
// walking up from the working directory.
func findSharedHTML() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		p := filepath.Join(dir, "..", "shared", "testdata", "html")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return filepath.Clean(p), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no ../shared/testdata/html above %s; pass -html DIR", wd)
		}
		dir = parent
	}
}

// measure runs ex over every page of a set in one goroutine, timing the
// loop alone (scoring comes after), then scores the texts. The extractor
// is warmed up on the first page first, so one-time initialisation is not
// charged to the set.
func measure(ex extractor, set string, pages []page) *setRun {
	r := &setRun{extractor: ex.name, set: set, pages: make([]pageResult, len(pages))}
	if len(pages) > 0 {
		_, _ = ex.run(pages[0].source)
	}
	texts := make([]string, len(pages))
	errs := make([]error, len(pages))
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	cpu0 := processCPU()
	wall0 := time.Now()
	for i, p := range pages {
		texts[i], errs[i] = ex.run(p.source)
	}
	r.wall = time.Since(wall0)
	r.cpu = processCPU() - cpu0
	runtime.ReadMemStats(&m1)
	r.alloc = m1.TotalAlloc - m0.TotalAlloc

	var scores []extracteval.Score
	var total extracteval.Counts
	for i, p := range pages {
		pr := pageResult{text: texts[i], Chars: len(texts[i])}
		if errs[i] != nil {
			pr.Error = errs[i].Error()
			pr.text = ""
			r.errors++
		}
		if p.annotated != nil {
			c := extracteval.Evaluate(*p.annotated, pr.text)
			total.Add(c)
			pr.Counts = &c
			pr.P, pr.R, pr.F1 = c.Precision(), c.Recall(), c.F1()
		} else {
			s := extracteval.WordPRF(pr.text, p.expected)
			scores = append(scores, s)
			pr.P, pr.R, pr.F1 = s.P, s.R, s.F1
		}
		r.pages[i] = pr
	}
	if set == setComparison {
		r.score, r.accuracy = total.Score(), total.Accuracy()
	} else {
		r.score = extracteval.Mean(scores)
	}
	return r
}

func printTable(w io.Writer, runs []*setRun, extractors []extractor) {
	fmt.Fprintf(w, "GOMAXPROCS=%d, %d CPUs, %s %s/%s; one goroutine per extractor loop\n\n",
		runtime.GOMAXPROCS(0), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "set\textractor\tpages\tP\tR\tF1\taccuracy\tpages/CPU-s\tpages/wall-s\tCPU s\tKB alloc/page\tfailed\t")
	for _, r := range runs {
		n := float64(len(r.pages))
		acc := "-"
		if r.set == setComparison {
			acc = fmt.Sprintf("%.3f", r.accuracy)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.3f\t%.3f\t%.3f\t%s\t%s\t%s\t%.2f\t%.1f\t%d\t\n",
			r.set, r.extractor, len(r.pages), r.score.P, r.score.R, r.score.F1, acc,
			rate(n, r.cpu), fmt.Sprintf("%.0f", n/r.wall.Seconds()), r.cpu.Seconds(), float64(r.alloc)/n/1024, r.errors)
	}
	tw.Flush()
	if len(extractors) < 2 {
		return
	}
	fmt.Fprintln(w)
	for _, set := range []string{setReadability, setComparison} {
		s, t := find(runs, "sieve", set), find(runs, "go-trafilatura", set)
		var below, sLow, tLow int
		for i := range s.pages {
			if s.pages[i].F1 < t.pages[i].F1 {
				below++
			}
			if s.pages[i].F1 < 0.5 {
				sLow++
			}
			if t.pages[i].F1 < 0.5 {
				tLow++
			}
		}
		speed := "n/a"
		if s.cpu > 0 && t.cpu > 0 {
			speed = fmt.Sprintf("%.1fx", t.cpu.Seconds()/s.cpu.Seconds())
		}
		fmt.Fprintf(w, "%s: sieve F1 %+.3f vs go-trafilatura, %s its pages/CPU-s; sieve lower on %d of %d pages; F1 < 0.5: sieve %d, go-trafilatura %d\n",
			set, s.score.F1-t.score.F1, speed, below, len(s.pages), sLow, tLow)
	}
}

func rate(n float64, cpu time.Duration) string {
	if cpu <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f", n/cpu.Seconds())
}

func find(runs []*setRun, extractor, set string) *setRun {
	for _, r := range runs {
		if r.extractor == extractor && r.set == set {
			return r
		}
	}
	return nil
}

// printWorst lists the n pages of both sets where sieve's F1 is furthest
// below go-trafilatura's (per-page F1: word-level on the readability set,
// from the page's own snippet counts on the comparison set).
func printWorst(w io.Writer, runs []*setRun, sets map[string][]page, n int) {
	type gap struct {
		set, name string
		s, t      pageResult
	}
	var gaps []gap
	for _, set := range []string{setReadability, setComparison} {
		s, t := find(runs, "sieve", set), find(runs, "go-trafilatura", set)
		if s == nil || t == nil {
			fmt.Fprintln(w, "\n-worst needs both extractors")
			return
		}
		for i, p := range sets[set] {
			if s.pages[i].F1 < t.pages[i].F1 {
				gaps = append(gaps, gap{set, p.name, s.pages[i], t.pages[i]})
			}
		}
	}
	// Ties (many comparison pages are 0 against 1) go to the page with
	// more snippets go-trafilatura gets right and sieve wrong: more
	// evidence of the difference.
	evidence := func(g gap) int {
		if g.s.Counts == nil || g.t.Counts == nil {
			return 0
		}
		return g.t.Counts.TP + g.t.Counts.TN - g.s.Counts.TP - g.s.Counts.TN
	}
	sort.SliceStable(gaps, func(i, j int) bool {
		di, dj := gaps[i].s.F1-gaps[i].t.F1, gaps[j].s.F1-gaps[j].t.F1
		if di != dj {
			return di < dj
		}
		return evidence(gaps[i]) > evidence(gaps[j])
	})
	fmt.Fprintf(w, "\n%d pages where sieve's F1 is furthest below go-trafilatura's (of %d below):\n", min(n, len(gaps)), len(gaps))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "set\tpage\tsieve P/R/F1\tgo-trafilatura P/R/F1\tF1 gap\tsieve chars\tgo-traf chars\t")
	for _, g := range gaps[:min(n, len(gaps))] {
		fmt.Fprintf(tw, "%s\t%s\t%.2f/%.2f/%.2f\t%.2f/%.2f/%.2f\t%+.2f\t%d\t%d\t\n", g.set, g.name,
			g.s.P, g.s.R, g.s.F1, g.t.P, g.t.R, g.t.F1, g.s.F1-g.t.F1, g.s.Chars, g.t.Chars)
	}
	tw.Flush()
}

// listSnippets prints the comparison snippets an extractor missed or kept
// against the annotation.
func listSnippets(r *setRun, pages []page) {
	for i, p := range pages {
		text := r.pages[i].text
		for _, s := range p.annotated.With {
			if text == "" || !strings.Contains(text, s) {
				fmt.Printf("%-14s MISSED   %-50.50s %q\n", r.extractor, p.name, s)
			}
		}
		for _, s := range p.annotated.Without {
			if text != "" && strings.Contains(text, s) {
				fmt.Printf("%-14s UNWANTED %-50.50s %q\n", r.extractor, p.name, s)
			}
		}
	}
}

// showPage prints every extractor's text for one page, with its score and,
// on the comparison set, the snippets missed and kept against the
// annotation.
func showPage(sets map[string][]page, extractors []extractor, name string) error {
	var found *page
	for _, set := range []string{setReadability, setComparison} {
		for i := range sets[set] {
			p := &sets[set][i]
			if p.name == name || p.annotated != nil && p.annotated.URL == name {
				found = p
			}
		}
	}
	if found == nil {
		return fmt.Errorf("no page %q in either set", name)
	}
	for _, ex := range extractors {
		r := measure(ex, found.set, []page{*found})
		pr := r.pages[0]
		fmt.Printf("===== %s on %s/%s: P=%.3f R=%.3f F1=%.3f, %d chars", ex.name, found.set, found.name, pr.P, pr.R, pr.F1, pr.Chars)
		if pr.Error != "" {
			fmt.Printf(", error: %s", pr.Error)
		}
		fmt.Printf("\n%s\n", pr.text)
		if found.annotated != nil {
			listSnippets(r, []page{*found})
		}
	}
	if found.annotated == nil {
		fmt.Printf("===== expected text (plain)\n%s\n", found.expected)
	}
	return nil
}

// jsonPage is one page of the -json output: both extractors' scores.
type jsonPage struct {
	Set    string                `json:"set"`
	Page   string                `json:"page"`
	URL    string                `json:"url,omitempty"`
	Scores map[string]pageResult `json:"scores"`
}

// writeJSON writes the per-page scores atomically (temp file, rename), so
// a before/after diff never reads a half-written file.
func writeJSON(path string, runs []*setRun, sets map[string][]page) error {
	var out []jsonPage
	for _, set := range []string{setReadability, setComparison} {
		for i, p := range sets[set] {
			jp := jsonPage{Set: set, Page: p.name, Scores: map[string]pageResult{}}
			if p.annotated != nil {
				jp.URL = p.annotated.URL
			}
			for _, r := range runs {
				if r.set == set {
					jp.Scores[r.extractor] = r.pages[i]
				}
			}
			out = append(out, jp)
		}
	}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("-json: %w", err)
	}
	_, werr := tmp.Write(append(b, '\n'))
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("-json %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("-json: %w", err)
	}
	return nil
}

// printChanges lists, per set, the pages whose sieve F1 differs from an
// earlier -json file (worse first), and the mean change.
func printChanges(w io.Writer, path string, runs []*setRun, sets map[string][]page) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("-compare: %w", err)
	}
	var before []jsonPage
	if err := json.Unmarshal(b, &before); err != nil {
		return fmt.Errorf("-compare %s: %w", path, err)
	}
	old := map[[2]string]pageResult{}
	for _, p := range before {
		if s, ok := p.Scores["sieve"]; ok {
			old[[2]string{p.Set, p.Page}] = s
		}
	}
	for _, set := range []string{setReadability, setComparison} {
		r := find(runs, "sieve", set)
		if r == nil {
			return fmt.Errorf("-compare needs sieve's scores")
		}
		type change struct {
			name        string
			before, now pageResult
		}
		var changes []change
		var matched int
		for i, p := range sets[set] {
			o, ok := old[[2]string{set, p.name}]
			if !ok {
				continue
			}
			matched++
			if o.F1 != r.pages[i].F1 {
				changes = append(changes, change{p.name, o, r.pages[i]})
			}
		}
		sort.SliceStable(changes, func(i, j int) bool {
			return changes[i].now.F1-changes[i].before.F1 < changes[j].now.F1-changes[j].before.F1
		})
		var worse, better int
		for _, c := range changes {
			if c.now.F1 < c.before.F1 {
				worse++
			} else {
				better++
			}
		}
		fmt.Fprintf(w, "\n%s against %s: %d of %d pages matched, %d better, %d worse\n", set, path, matched, len(sets[set]), better, worse)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, c := range changes {
			fmt.Fprintf(tw, "%+.3f\t%s\tF1 %.3f -> %.3f\tP %.3f -> %.3f\tR %.3f -> %.3f\tchars %d -> %d\t\n", c.now.F1-c.before.F1, c.name,
				c.before.F1, c.now.F1, c.before.P, c.now.P, c.before.R, c.now.R, c.before.Chars, c.now.Chars)
		}
		tw.Flush()
	}
	return nil
}
