// Command extract-score scores sieve's main-text extractor on trafilatura's
// annotated comparison set (about 1000 real pages, each with snippets the
// main text must contain and snippets it must not), the way trafilatura's
// own comparison script counts: a "with" snippet found is a true positive,
// missing a false negative; a "without" snippet found is a false positive,
// absent a true negative.
//
// The pages and annotations are read from the go-trafilatura module in the
// module cache (they are not copied into this repository):
//
//	go mod download -json github.com/markusmobius/go-trafilatura@v1.12.2
//	go run ./tools/extract-score [-v] [-keep-boilerplate] [-dir DIR]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sieve-data/sieve/ingest/extract"
)

const trafilaturaModule = "github.com/markusmobius/go-trafilatura@v1.12.2"

// entry is one annotated page of scripts/comparison/data.go.
type entry struct {
	URL, File     string
	With, Without []string
}

// counts are the confusion counts of trafilatura's evaluation.
type counts struct{ tp, fn, fp, tn int }

func (c *counts) add(o counts) { c.tp += o.tp; c.fn += o.fn; c.fp += o.fp; c.tn += o.tn }

func main() {
	dir := flag.String("dir", "", "go-trafilatura module directory (default: from `go mod download`)")
	verbose := flag.Bool("v", false, "list every missed or unwanted snippet")
	keepAll := flag.Bool("keep-boilerplate", false, "score with boilerplate removal off (a baseline)")
	d := extract.DefaultOptions()
	flag.IntVar(&d.ShortBlockChars, "short", d.ShortBlockChars, "Options.ShortBlockChars")
	flag.IntVar(&d.LongBlockChars, "long", d.LongBlockChars, "Options.LongBlockChars")
	flag.Float64Var(&d.MaxLinkDensity, "max-link-density", d.MaxLinkDensity, "Options.MaxLinkDensity")
	flag.Parse()
	d.KeepBoilerplate = *keepAll
	if err := run(*dir, *verbose, d); err != nil {
		fmt.Fprintln(os.Stderr, "extract-score:", err)
		os.Exit(1)
	}
}

func run(dir string, verbose bool, opts extract.Options) error {
	if dir == "" {
		var err error
		if dir, err = moduleDir(trafilaturaModule); err != nil {
			return err
		}
	}
	entries, err := parseComparisonData(filepath.Join(dir, "scripts", "comparison", "data.go"))
	if err != nil {
		return err
	}
	var total counts
	var pages, missing, bytesIn int
	var elapsed time.Duration
	for _, e := range entries {
		raw, err := readPage(dir, e.File)
		if err != nil {
			missing++
			continue
		}
		start := time.Now()
		res, err := extract.Extract(raw, "", opts)
		elapsed += time.Since(start)
		if err != nil {
			return fmt.Errorf("%s: %w", e.File, err)
		}
		pages++
		bytesIn += len(raw)
		c := evaluate(e, res.Text)
		total.add(c)
		if verbose && (c.fn > 0 || c.fp > 0) {
			for _, s := range e.With {
				if !strings.Contains(res.Text, s) {
					fmt.Printf("MISSED   %-50.50s %q\n", e.File, s)
				}
			}
			for _, s := range e.Without {
				if strings.Contains(res.Text, s) {
					fmt.Printf("UNWANTED %-50.50s %q\n", e.File, s)
				}
			}
		}
	}
	tp, fn, fp, tn := float64(total.tp), float64(total.fn), float64(total.fp), float64(total.tn)
	fmt.Printf("pages scored: %d (%d annotated, %d files missing)\n", pages, len(entries), missing)
	fmt.Printf("snippets: tp=%d fn=%d fp=%d tn=%d\n", total.tp, total.fn, total.fp, total.tn)
	fmt.Printf("precision %.3f  recall %.3f  accuracy %.3f  F1 %.3f\n",
		tp/(tp+fp), tp/(tp+fn), (tp+tn)/(tp+tn+fp+fn), 2*tp/(2*tp+fp+fn))
	fmt.Printf("time %.2fs (%.2f ms/page, %.1f MB/s, 1 goroutine)\n",
		elapsed.Seconds(), 1000*elapsed.Seconds()/float64(pages), float64(bytesIn)/1e6/elapsed.Seconds())
	return nil
}

// evaluate counts like trafilatura's comparison: an empty result finds
// nothing, so every "with" is missed and every "without" is avoided.
func evaluate(e entry, text string) counts {
	var c counts
	for _, s := range e.With {
		if text != "" && strings.Contains(text, s) {
			c.tp++
		} else {
			c.fn++
		}
	}
	for _, s := range e.Without {
		if text != "" && strings.Contains(text, s) {
			c.fp++
		} else {
			c.tn++
		}
	}
	return c
}

func readPage(dir, name string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, "test-files", "comparison", name))
	if err == nil {
		return b, nil
	}
	return os.ReadFile(filepath.Join(dir, "test-files", "mock", name))
}

// moduleDir asks the go command where a module version sits in the cache
// (downloading it through the module proxy if needed).
func moduleDir(modVersion string) (string, error) {
	out, err := exec.Command("go", "mod", "download", "-json", modVersion).Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s: %w", modVersion, err)
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil {
		return "", err
	}
	if info.Error != "" || info.Dir == "" {
		return "", fmt.Errorf("go mod download %s: %s", modVersion, info.Error)
	}
	return info.Dir, nil
}

// parseComparisonData reads the comparisonData map literal from data.go
// with go/parser, so the annotations are used as published, not copied.
func parseComparisonData(path string) ([]entry, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		return nil, err
	}
	var entries []entry
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "comparisonData" || len(vs.Values) != 1 {
			return true
		}
		lit, ok := vs.Values[0].(*ast.CompositeLit)
		if !ok {
			return false
		}
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			e := entry{URL: stringLit(kv.Key)}
			body, ok := kv.Value.(*ast.CompositeLit)
			if !ok {
				continue
			}
			for _, fe := range body.Elts {
				field, ok := fe.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				switch ident(field.Key) {
				case "File":
					e.File = stringLit(field.Value)
				case "With":
					e.With = stringList(field.Value)
				case "Without":
					e.Without = stringList(field.Value)
				}
			}
			if e.File != "" {
				entries = append(entries, e)
			}
		}
		return false
	})
	if len(entries) == 0 {
		return nil, fmt.Errorf("%s: no comparisonData entries found", path)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].File < entries[j].File })
	return entries, nil
}

func ident(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func stringLit(e ast.Expr) string {
	bl, ok := e.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(bl.Value)
	if err != nil {
		return ""
	}
	return s
}

func stringList(e ast.Expr) []string {
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	var out []string
	for _, elt := range cl.Elts {
		out = append(out, stringLit(elt))
	}
	return out
}
