// Command sievepeer runs one of sieve's stages over the inputs that
// bench/peers gives the Python peers, on one core (GOMAXPROCS=1), and
// prints the CPU seconds (user+system of the process, getrusage) spent in
// the loop, not in start-up, as one JSON line. It also scores the Python
// extractors' outputs with the metrics of tools/extract-score.
//
//	sievepeer warc FILE...                   read every record and its whole block
//	sievepeer langid IN.jsonl OUT.jsonl      {"text"} lines -> {"lang"} lines
//	sievepeer tokens IN.jsonl OUT.jsonl      {"text"} lines -> {"n"} lines
//	sievepeer texts OUT.jsonl SHARD...       the text column of Arrow shards as {"text"} lines
//	sievepeer devsets DIR                    both extraction dev sets as DIR/<set>/<i>.html + DIR/index.json
//	sievepeer score DIR OUT.json             F1 of DIR/<set>/<i>.txt (one extractor's outputs)
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/sieve-data/sieve/ingest/warc"
	"github.com/sieve-data/sieve/internal/extracteval"
	"github.com/sieve-data/sieve/langid"
	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/tokens"
)

func main() {
	runtime.GOMAXPROCS(1)
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: sievepeer warc|langid|tokens|texts|devsets|score ARGS"))
	}
	var err error
	args := os.Args[2:]
	switch os.Args[1] {
	case "warc":
		err = readWARCs(args)
	case "langid":
		err = perText(args, func() (func(string) any, error) {
			det, err := langid.NewDetector(langid.DefaultConfig())
			if err != nil {
				return nil, err
			}
			det.Detect("warm up the models")
			return func(s string) any {
				l, _, _, _ := det.Detect(s)
				return map[string]string{"lang": l}
			}, nil
		})
	case "tokens":
		err = perText(args, func() (func(string) any, error) {
			c, err := tokens.NewCounter("cl100k_base")
			if err != nil {
				return nil, err
			}
			c.Count("warm up")
			return func(s string) any { return map[string]int{"n": c.Count(s)} }, nil
		})
	case "texts":
		err = dumpTexts(args)
	case "devsets":
		err = devsets(args)
	case "score":
		err = score(args)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sievepeer:", err)
	os.Exit(1)
}

// cpu returns the process's user+system CPU seconds so far.
func cpu() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func emit(v any) error { return json.NewEncoder(os.Stdout).Encode(v) }

// readWARCs reads every record of every file and the whole of each block,
// as fastwarc and warcio are made to.
func readWARCs(files []string) error {
	var records, fileBytes, streamBytes int64
	buf := make([]byte, 64<<10)
	start := cpu()
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		r, err := warc.NewReader(bufio.NewReaderSize(f, 1<<20))
		if err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", path, err)
		}
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				f.Close()
				return fmt.Errorf("%s: %w", path, err)
			}
			records++
			if _, err := io.CopyBuffer(io.Discard, rec.Block, buf); err != nil {
				f.Close()
				return fmt.Errorf("%s record %d: %w", path, records, err)
			}
		}
		fb, sb := r.BytesRead()
		fileBytes += fb
		streamBytes += sb
		f.Close()
	}
	return emit(map[string]any{"records": records, "file_bytes": fileBytes, "stream_bytes": streamBytes, "cpu_s": cpu() - start})
}

// perText applies fn to the "text" of every line of IN and writes its
// results to OUT, timing the loop only (texts are read first).
func perText(args []string, build func() (func(string) any, error)) error {
	if len(args) != 2 {
		return fmt.Errorf("want IN.jsonl OUT.jsonl")
	}
	texts, err := readTexts(args[0])
	if err != nil {
		return err
	}
	fn, err := build()
	if err != nil {
		return err
	}
	res := make([]any, len(texts))
	var chars int64
	start := cpu()
	for i, t := range texts {
		res[i] = fn(t)
		chars += int64(len(t))
	}
	spent := cpu() - start
	out, err := os.Create(args[1])
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	for _, r := range res {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return emit(map[string]any{"docs": len(texts), "bytes": chars, "cpu_s": spent})
}

func readTexts(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		var v struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		texts = append(texts, v.Text)
	}
	return texts, sc.Err()
}

func dumpTexts(args []string) error {
	if len(args) < 1 {
		return fmt.Errorf("want OUT.jsonl SHARD...")
	}
	out, err := os.Create(args[0])
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	n := 0
	for _, s := range args[1:] {
		docs, err := shard.ReadDocuments(s)
		if err != nil {
			return err
		}
		for _, d := range docs {
			if err := enc.Encode(map[string]string{"id": d.ID, "text": d.Text, "lang": d.Language}); err != nil {
				return err
			}
			n++
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return out.Close()
}

// devPage is one page of index.json.
type devPage struct {
	Set     string   `json:"set"`  // readability or comparison
	File    string   `json:"file"` // <set>/<i>.html
	Name    string   `json:"name"` // folder name or URL
	URL     string   `json:"url,omitempty"`
	Want    string   `json:"-"`
	With    []string `json:"-"`
	Without []string `json:"-"`
}

func loadDevsets() ([]devPage, map[string]extracteval.Annotated, map[string]string, error) {
	root, err := sharedDir()
	if err != nil {
		return nil, nil, nil, err
	}
	rp, err := extracteval.LoadReadability(filepath.Join(root, "html"))
	if err != nil {
		return nil, nil, nil, err
	}
	modDir, err := extracteval.ModuleDir(extracteval.TrafilaturaModule)
	if err != nil {
		return nil, nil, nil, err
	}
	cp, _, err := extracteval.LoadComparison(modDir)
	if err != nil {
		return nil, nil, nil, err
	}
	var pages []devPage
	ann := map[string]extracteval.Annotated{}
	src := map[string]string{}
	for i, p := range rp {
		f := fmt.Sprintf("readability/%d.html", i)
		pages = append(pages, devPage{Set: "readability", File: f, Name: p.Name, Want: p.Expected})
		src[f] = string(p.Source)
	}
	for i, p := range cp {
		f := fmt.Sprintf("comparison/%d.html", i)
		pages = append(pages, devPage{Set: "comparison", File: f, Name: p.File, URL: p.URL})
		ann[f] = p
		src[f] = string(p.Source)
	}
	return pages, ann, src, nil
}

// sharedDir is ../shared/testdata beside the repository (bench/peers runs
// from the repository root).
func sharedDir() (string, error) {
	p, err := filepath.Abs(filepath.Join("..", "shared", "testdata"))
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("shared test data: %w", err)
	}
	return p, nil
}

func devsets(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("want DIR")
	}
	pages, _, src, err := loadDevsets()
	if err != nil {
		return err
	}
	for _, set := range []string{"readability", "comparison"} {
		if err := os.MkdirAll(filepath.Join(args[0], set), 0o755); err != nil {
			return err
		}
	}
	for _, p := range pages {
		if err := os.WriteFile(filepath.Join(args[0], p.File), []byte(src[p.File]), 0o644); err != nil {
			return err
		}
	}
	b, _ := json.Marshal(pages)
	return os.WriteFile(filepath.Join(args[0], "index.json"), b, 0o644)
}

// score reads DIR/<set>/<i>.txt (an extractor's output; missing = empty)
// and prints readability mean F1 and comparison F1 as tools/extract-score
// computes them.
func score(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("want DIR")
	}
	pages, ann, _, err := loadDevsets()
	if err != nil {
		return err
	}
	var rs []extracteval.Score
	var cc extracteval.Counts
	for _, p := range pages {
		b, _ := os.ReadFile(filepath.Join(args[0], p.File[:len(p.File)-len(".html")]+".txt"))
		if p.Set == "readability" {
			rs = append(rs, extracteval.WordPRF(string(b), p.Want))
		} else {
			cc.Add(extracteval.Evaluate(ann[p.File], string(b)))
		}
	}
	m := extracteval.Mean(rs)
	return emit(map[string]any{"readability_f1": m.F1, "readability_pages": len(rs),
		"comparison_f1": cc.F1(), "comparison_pages": len(pages) - len(rs)})
}
