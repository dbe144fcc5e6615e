// Command gencorpus builds a Common-Crawl-like benchmark corpus of .warc.gz
// files from real pages: readability's and trafilatura's test pages and the
// HTML in the shared WARC fixtures, with text rewritten into real sentences
// of many languages, request and metadata records around each response,
// non-HTML and redirect records, and planted exact and near duplicates.
// Output is deterministic for a seed. It is a benchmark input: never commit it.
//
//	go run ./bench/gencorpus -o /tmp/sieve-bench/corpus -size 500MB -seed 1 -files 8
//
// With -corpus docs it builds the text-dense corpus instead (docs.go): the
// HTML manuals of Debian documentation packages unpacked under -docs (bench/run
// downloads and unpacks them), each page -copies times on different URLs.
//
//	go run ./bench/gencorpus -corpus docs -docs /tmp/sieve-bench/docs-src/root -o DIR -size 200MB -copies 8
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

func main() {
	out := flag.String("o", "", "output directory (required)")
	size := flag.String("size", "500MB", "total uncompressed size, e.g. 50MB, 2GB")
	seed := flag.Uint64("seed", 1, "random seed")
	files := flag.Int("files", 8, "number of .warc.gz files")
	shared := flag.String("shared", defaultShared(), "shared test data directory")
	traf := flag.String("trafilatura", "github.com/markusmobius/go-trafilatura@v1.12.2", "module with trafilatura's comparison pages (\"\" to skip)")
	corpus := flag.String("corpus", "cc", "cc: the Common-Crawl-like corpus; docs: text-dense documentation pages from -docs, each -copies times")
	docs := flag.String("docs", "", "-corpus docs: folder with the unpacked documentation packages (bench/run fills it)")
	copies := flag.Int("copies", 8, "-corpus docs: copies of each page (dedup removes all but one)")
	flag.Parse()
	var err error
	switch *corpus {
	case "cc":
		err = run(*out, *size, *seed, *files, *shared, *traf)
	case "docs":
		err = docsCorpus(*out, *size, *seed, *files, *copies, *docs)
	default:
		err = fmt.Errorf("unknown -corpus %q (cc or docs)", *corpus)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

func docsCorpus(out, size string, seed uint64, files, copies int, docs string) error {
	if out == "" || docs == "" {
		return fmt.Errorf("-o and -docs are required")
	}
	total, err := parseSize(size)
	if err != nil {
		return err
	}
	if files < 1 {
		return fmt.Errorf("-files must be at least 1")
	}
	return runDocs(out, total, seed, files, copies, docs)
}

func run(out, size string, seed uint64, files int, shared, traf string) error {
	if out == "" {
		return fmt.Errorf("-o is required")
	}
	total, err := parseSize(size)
	if err != nil {
		return err
	}
	if files < 1 {
		return fmt.Errorf("-files must be at least 1")
	}
	trafDir := ""
	if traf != "" {
		trafDir = trafilaturaDir(traf)
		if trafDir == "" {
			fmt.Fprintln(os.Stderr, "gencorpus: warning: could not get", traf, "; using the shared pages only")
		}
	}
	pages, err := loadPages(shared, trafDir)
	if err != nil {
		return err
	}
	langs, err := loadSentences(shared)
	if err != nil {
		return err
	}
	pool := &pagePool{all: pages, utf8: utf8Pages(pages), langs: langs}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, files)
	stats := make([]fileStats, files)
	sem := make(chan struct{}, 2)
	for i := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			name := filepath.Join(out, fmt.Sprintf("CC-BENCH-%05d.warc.gz", i))
			stats[i], errs[i] = writeFile(name, pool, total/int64(files), seed, i)
		}()
	}
	wg.Wait()
	var sum fileStats
	for i, e := range errs {
		if e != nil {
			return e
		}
		sum.add(stats[i])
	}
	fmt.Printf("gencorpus: %d files, %d pages in pool (%d UTF-8 templates), %d languages\n", files, len(pages), len(pool.utf8), len(langs))
	fmt.Printf("gencorpus: %s\n", sum)
	return nil
}

// defaultShared is ../shared/testdata relative to the repository root (found
// by walking up to go.mod from the working directory).
func defaultShared() string {
	dir, _ := os.Getwd()
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "..", "shared", "testdata")
		}
	}
	return filepath.Join("..", "shared", "testdata")
}

func parseSize(s string) (int64, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, suf := range []struct {
		s string
		m int64
	}{{"GB", 1 << 30}, {"G", 1 << 30}, {"MB", 1 << 20}, {"M", 1 << 20}, {"KB", 1 << 10}, {"K", 1 << 10}} {
		if strings.HasSuffix(u, suf.s) {
			u, mult = strings.TrimSuffix(u, suf.s), suf.m
			break
		}
	}
	n, err := strconv.ParseFloat(u, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad -size %q", s)
	}
	return int64(n * float64(mult)), nil
}

func writeFile(name string, pool *pagePool, target int64, seed uint64, index int) (fileStats, error) {
	var st fileStats
	err := writeAtomic(name, func(w io.Writer) error {
		g := newFileGen(w, pool, seed, index, filepath.Base(name))
		err := g.run(target)
		st = g.stats
		return err
	})
	if err != nil {
		return fileStats{}, err
	}
	return st, nil
}
