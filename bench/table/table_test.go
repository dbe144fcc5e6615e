package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTable formats a real stats.json (the fineweb run on the 50 MB bench
// corpus, trimmed to run and steps) and checks the derived numbers.
func TestTable(t *testing.T) {
	dir := t.TempDir()
	tsv := filepath.Join(dir, "runs.tsv")
	line := "fineweb\t1\t12.63\t984064\t" + filepath.Join("testdata", "fineweb-w1") + "\t13.26\n"
	if err := os.WriteFile(tsv, []byte(line+"bad line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runs, err := readRuns(tsv)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].st.Steps[0].In != 673 || runs[0].st.Run.Documents != 450 {
		t.Fatalf("runs %+v", runs)
	}
	var out bytes.Buffer
	print(&out, runs, 0.39, 0, 0.01, 53_000_000)
	s := out.String()
	// 673 docs / 12.63 s = 53 docs/s; 12.63 / 0.39 = 32.38x; 984064 KiB = 961 MiB;
	// CPU 13.26 / 0.39 = 34.00x.
	for _, want := range []string{" 53 ", "32.38×", " 961 ", "34.00×", "langid", "outside the steps"} {
		if !strings.Contains(s, want) {
			t.Errorf("table lacks %q:\n%s", want, s)
		}
	}
	// With gzip's CPU seconds, CPU/gzip is CPU over CPU: 13.26 / 0.34 = 39.00x;
	// the wall ratios stay over gzip's wall time.
	out.Reset()
	print(&out, runs, 0.39, 0.34, 0.01, 53_000_000)
	if s := out.String(); !strings.Contains(s, "39.00×") || !strings.Contains(s, "32.38×") || !strings.Contains(s, "0.34 CPU s") {
		t.Errorf("with gzip CPU seconds:\n%s", s)
	}
}

func TestMissingStats(t *testing.T) {
	tsv := filepath.Join(t.TempDir(), "runs.tsv")
	os.WriteFile(tsv, []byte("x\t1\t1\t1\t/nonexistent\n"), 0o644)
	if _, err := readRuns(tsv); err == nil {
		t.Fatal("no error for a missing stats.json")
	}
}

// TestPerStep checks the per-step table's numbers on the same stats.json
// against figures worked out by hand from its nanos, in and bytes.
func TestPerStep(t *testing.T) {
	tsv := filepath.Join(t.TempDir(), "runs.tsv")
	line := "fineweb\t1\t12.63\t984064\t" + filepath.Join("testdata", "fineweb-w1") + "\t13.26\n"
	if err := os.WriteFile(tsv, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	runs, err := readRuns(tsv)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	perStep(&out, runs[0])
	s := out.String()
	for _, want := range []string{
		// Σ nanos 10.92 s of 13.26 CPU s; the rest 2.34 s.
		"CPU 13.26 s = inside the steps 10.92 s (82.4%) + outside the steps 2.34 s (17.6%)",
		// langid: 9,122,564,629 ns / 666 docs = 13,697.5 µs; 4,258,011 bytes =
		// 4,158.2 KB, 6.2 KB/doc, 2,193.9 µs/KB; 9.12 / 13.26 = 68.8%.
		"langid      666  666   9.123  13697.5        6.2      2193.9         68.8%",
		// extract: 1,036,739,895 ns over the 4,158.2 KB of text it yields
		// (langid's input) = 249.3 µs/KB; 50,674,300 bytes of HTML / 673 docs.
		"extract      673  666   1.037   1540.5  73.5 HTML       249.3          7.8%",
		"outside the steps                 2.335",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("per-step table lacks %q:\n%s", want, s)
		}
	}
	// Without a CPU measurement the shares are of wall time.
	r := runs[0]
	r.cpu = 0
	out.Reset()
	perStep(&out, r)
	if !strings.Contains(out.String(), "wall 12.63 s") || !strings.Contains(out.String(), "share of wall") {
		t.Errorf("without CPU seconds:\n%s", out.String())
	}
}

// TestProfileAttribution reads testdata/traces-sample.txt: twelve real
// sample groups, as `go tool pprof -traces` printed them, from a profile of
// the fineweb pipeline on the docs corpus, one or two per kind of work.
func TestProfileAttribution(t *testing.T) {
	names := []string{"url_filter", "extract", "langid", "language_filter", "gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality", "pii", "tokens"}
	p, err := readTraces(filepath.Join("testdata", "traces-sample.txt"), names)
	if err != nil {
		t.Fatal(err)
	}
	ms := func(d time.Duration) int { return int(d.Milliseconds()) }
	if ms(p.total) != 130 {
		t.Errorf("total %v, want 130ms", p.total)
	}
	for name, want := range map[string]int{"extract": 20, "tokens": 10, "gopher_repetition": 10, "langid": 0} {
		if got := ms(p.steps[name]); got != want {
			t.Errorf("step %s: %dms, want %d", name, got, want)
		}
	}
	if ms(p.chain) != 10 { // time.Since in the chain itself
		t.Errorf("chain %v, want 10ms", p.chain)
	}
	for kind, want := range map[string]int{
		"start-up (models, tables, lists)":       20, // langid's table file under runner.Build; the site list under the report pass
		"dedup pass (MinHash over the shards)":   10,
		"stats and report (re-reads the shards)": 0,
		"writing shards (Arrow)":                 10,
		"gunzip":                                 20, // flate under the WARC reader
		"reading WARC, HTTP":                     0,
		"garbage collector (background)":         10,
		otherKind:                                10, // a futex wake-up in the scheduler
	} {
		if got := ms(p.outside[kind]); got != want {
			t.Errorf("%s: %dms, want %d", kind, got, want)
		}
	}

	// In the table: the steps' CPU from the profile beside their wall time.
	r := run{label: "fineweb", workers: 1, cpu: 0.2, prof: p}
	r.st.Steps = []step{{Name: "extract", In: 4, Out: 4, Nanos: 30e6, Bytes: 40 << 10}, {Name: "tokens", In: 4, Out: 4, Nanos: 15e6, Bytes: 8 << 10}}
	var out bytes.Buffer
	perStep(&out, r)
	s := out.String()
	for _, want := range []string{
		"CPU 0.20 s (user+system), profiled 0.13 s = inside the steps 0.03 s (23.1%) + outside the steps 0.10 s (76.9%)",
		// extract: 20 ms of CPU / 4 docs = 5000 µs; over the 8 KB of text it
		// yields (tokens' input), 2500 µs/KB; 20/130 = 15.4%.
		"extract        4    4           0.030            0.020  5000.0  10.0 HTML      2500.0         15.4%",
		"gunzip",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("per-step table lacks %q:\n%s", want, s)
		}
	}
}

func TestStepOf(t *testing.T) {
	names := []string{"url_filter", "extract", "langid", "c4_quality"}
	for fn, want := range map[string]string{
		"github.com/sieve-data/sieve/filter.(*URLFilter).Process":     "url_filter",
		"github.com/sieve-data/sieve/ingest/extract.(*Step).Process":  "extract",
		"github.com/sieve-data/sieve/langid.(*Step).Process":          "langid",
		"github.com/sieve-data/sieve/filter.(*C4Quality).Process":     "c4_quality",
		"github.com/sieve-data/sieve/filter.(*Unknown).Process":       "",
		"github.com/sieve-data/sieve/filter.(*C4Quality).processLine": "",
		"time.Since": "",
	} {
		if got := stepOf(fn, names); got != want {
			t.Errorf("stepOf(%s) = %q, want %q", fn, got, want)
		}
	}
}

func TestTracesBadValue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.traces")
	os.WriteFile(path, []byte("File: sieve\n-----------+----\n      10xs   main.main\n"), 0o644)
	if _, err := readTraces(path, nil); err == nil || !strings.Contains(err.Error(), "bad.traces:3") {
		t.Fatalf("error %v, want one naming bad.traces:3", err)
	}
	os.WriteFile(path, []byte("File: sieve\n"), 0o644)
	if _, err := readTraces(path, nil); err == nil {
		t.Fatal("no error for a profile without samples")
	}
}

// TestPerStepDocs: the fineweb run on the docs corpus (40 MB, 2,704 pages),
// measured on a busy machine: without a profile the steps' wall time (3.11 s)
// exceeds the process's CPU (2.30 s), and the table says so.
func TestPerStepDocs(t *testing.T) {
	tsv := filepath.Join(t.TempDir(), "runs.tsv")
	line := "fineweb\t1\t5.31\t472064\t" + filepath.Join("testdata", "docs-fineweb-w1") + "\t2.30\n"
	if err := os.WriteFile(tsv, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	runs, err := readRuns(tsv)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	perStep(&out, runs[0])
	s := out.String()
	for _, want := range []string{
		// extract: 921,841,966 ns / 2,704 docs = 340.9 µs; 36,550,328 bytes of
		// HTML = 13.2 KB/doc; over the 14,599,904 bytes of text it yields
		// (14,257.7 KB) 64.7 µs/KB; 0.922 / 2.30 = 40.1%.
		"extract     2704  2504   0.922   340.9  13.2 HTML        64.7         40.1%",
		// tokens: 405,938,648 ns / 1,664 docs = 244.0 µs; 8,365,704 bytes =
		// 4.9 KB/doc, 49.7 µs/KB.
		"tokens     1664  1664   0.406   244.0        4.9        49.7         17.6%",
		"inside the steps 3.11 s (135.3%) + outside the steps -0.81 s",
		"warning: the steps' wall time exceeds the process's CPU time",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("per-step table lacks %q:\n%s", want, s)
		}
	}
}

// FuzzParseTraces: any input gives a profile or an error, never a panic,
// and the attributed time adds up to the total.
func FuzzParseTraces(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "traces-sample.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("-----------+--\n      10ms   a.(*B).Process\n             x/pipeline.(*Chain).Process\n"))
	f.Add([]byte("-----------+--\n      10ms   a.(*B).Process\n             x/pipeline.(*Batch).Flush\n"))
	f.Add([]byte("-----------+--\n  1e99s   main.main\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		p, err := parseTraces(bytes.NewReader(in), "fuzz", []string{"b", "extract"})
		if err != nil {
			return
		}
		sum := p.chain
		for _, d := range p.steps {
			sum += d
		}
		for _, d := range p.outside {
			sum += d
		}
		var unmatched time.Duration
		for _, d := range p.unmatched {
			unmatched += d
		}
		if sum != p.total || unmatched > p.chain || p.total <= 0 {
			t.Fatalf("attributed %v of %v (unmatched %v, chain %v)", sum, p.total, unmatched, p.chain)
		}
	})
}

// TestProfileAttributionBatch reads testdata/traces-batch.txt: five real
// sample groups from profiles of the batched chain (the extract step under
// Batch.Add and Chain.step, gopher_repetition and tokens under Batch.Flush,
// a shard write the batch calls back) and of sieve's own gzip inflater.
func TestProfileAttributionBatch(t *testing.T) {
	names := []string{"extract", "gopher_repetition", "tokens"}
	p, err := readTraces(filepath.Join("testdata", "traces-batch.txt"), names)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]time.Duration{"extract": 10 * time.Millisecond, "gopher_repetition": 10 * time.Millisecond, "tokens": 10 * time.Millisecond} {
		if p.steps[name] != want {
			t.Errorf("step %s: %v, want %v", name, p.steps[name], want)
		}
	}
	if p.outside["gunzip"] != 10*time.Millisecond {
		t.Errorf("gunzip %v, want 10ms (the inflater)", p.outside["gunzip"])
	}
	if w := p.outside["writing shards (Arrow)"]; w != 10*time.Millisecond || p.chain != 0 {
		t.Errorf("writing shards %v, chain %v: want the write under Batch.Flush as writing", w, p.chain)
	}
}
