package extracteval

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// TrafilaturaModule is the go-trafilatura release whose comparison set
// (scripts/comparison/data.go and test-files/) is scored.
const TrafilaturaModule = "github.com/markusmobius/go-trafilatura@v1.12.2"

// ComparisonMinPages is the fewest annotated pages with their HTML file a
// complete module holds (983 in v1.12.2).
const ComparisonMinPages = 950

// Annotated is one page of trafilatura's comparison set.
type Annotated struct {
	URL, File string   // the page's URL (the map key) and its file name
	With      []string // snippets the main text must contain
	Without   []string // snippets it must not contain
	Source    []byte   // the stored HTML
}

// Counts are the confusion counts of trafilatura's evaluation.
type Counts struct{ TP, FN, FP, TN int }

// Add sums o into c.
func (c *Counts) Add(o Counts) { c.TP += o.TP; c.FN += o.FN; c.FP += o.FP; c.TN += o.TN }

// Precision is TP/(TP+FP), 0 when nothing was found.
func (c Counts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN).
func (c Counts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// Accuracy is (TP+TN) over all snippets.
func (c Counts) Accuracy() float64 { return ratio(c.TP+c.TN, c.TP+c.TN+c.FP+c.FN) }

// F1 is 2TP/(2TP+FP+FN), the harmonic mean of precision and recall.
func (c Counts) F1() float64 { return ratio(2*c.TP, 2*c.TP+c.FP+c.FN) }

// Score is precision, recall and F1 of the counts.
func (c Counts) Score() Score { return Score{c.Precision(), c.Recall(), c.F1()} }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Evaluate counts like trafilatura's comparison (evaluateEntry in
// scripts/comparison/content.go): snippets are matched as exact
// substrings, and an empty result finds nothing, so every "with" is missed
// and every "without" avoided.
func Evaluate(a Annotated, text string) Counts {
	var c Counts
	for _, s := range a.With {
		if text != "" && strings.Contains(text, s) {
			c.TP++
		} else {
			c.FN++
		}
	}
	for _, s := range a.Without {
		if text != "" && strings.Contains(text, s) {
			c.FP++
		} else {
			c.TN++
		}
	}
	return c
}

// ModuleDir asks the go command where a module version sits in the module
// cache, downloading it through the module proxy if needed.
func ModuleDir(modVersion string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", modVersion)
	out, err := cmd.Output()
	// On failure go mod download -json still prints the JSON with Error.
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &info); jerr == nil && info.Error != "" {
		return "", fmt.Errorf("go mod download %s: %s", modVersion, info.Error)
	}
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && len(ee.Stderr) > 0 {
			return "", fmt.Errorf("go mod download %s: %w: %s", modVersion, err, strings.TrimSpace(string(ee.Stderr)))
		}
		return "", fmt.Errorf("go mod download %s: %w", modVersion, err)
	}
	if info.Dir == "" {
		return "", fmt.Errorf("go mod download %s: no directory in its answer %q", modVersion, out)
	}
	return info.Dir, nil
}

// LoadComparison reads the annotations from <dir>/scripts/comparison/data.go
// and each page from test-files/comparison or test-files/mock (where the
// comparison script looks), sorted by file name. Annotated pages whose file
// is absent are counted in missing and left out, as the comparison script
// does; fewer than ComparisonMinPages loaded pages is an error.
func LoadComparison(dir string) (pages []Annotated, missing int, err error) {
	entries, err := ParseComparisonData(filepath.Join(dir, "scripts", "comparison", "data.go"))
	if err != nil {
		return nil, 0, err
	}
	for _, e := range entries {
		src, err := readComparisonPage(dir, e.File)
		if errors.Is(err, fs.ErrNotExist) {
			missing++
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		e.Source = src
		pages = append(pages, e)
	}
	if len(pages) < ComparisonMinPages {
		return nil, missing, fmt.Errorf("comparison set in %s: %d pages found (%d missing), want at least %d",
			dir, len(pages), missing, ComparisonMinPages)
	}
	return pages, missing, nil
}

func readComparisonPage(dir, name string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, "test-files", "comparison", name))
	if errors.Is(err, fs.ErrNotExist) {
		return os.ReadFile(filepath.Join(dir, "test-files", "mock", name))
	}
	return b, err
}

// ParseComparisonData reads the comparisonData map literal of data.go with
// go/parser, so the annotations are used as published, not copied. Entries
// come back sorted by file name (then URL), without Source.
func ParseComparisonData(path string) ([]Annotated, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("comparison set: %w", err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		return nil, fmt.Errorf("comparison set: %w", err)
	}
	var entries []Annotated
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
			e := Annotated{URL: stringLit(kv.Key)}
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
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].File != entries[j].File {
			return entries[i].File < entries[j].File
		}
		return entries[i].URL < entries[j].URL
	})
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
