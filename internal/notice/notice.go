// Package notice reads the repository's NOTICE file: the "Files:" lines that
// say which shipped files come from whom under which licence. Its test keeps
// NOTICE complete: every file under a testdata/ or data/ folder must match a
// "Files:" pattern, and every pattern must match a file, so a new fixture or
// data file cannot ship without its source and licence being stated.
package notice

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"strings"
)

// Patterns returns the patterns of the "Files:" lines of a NOTICE file, in
// order, each with its line number.
func Patterns(r io.Reader) ([]Pattern, error) {
	var out []Pattern
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		rest, ok := strings.CutPrefix(sc.Text(), "Files:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			return nil, fmt.Errorf("NOTICE:%d: Files: line without a path", line)
		}
		for _, f := range fields {
			if _, err := path.Match(strings.ReplaceAll(f, "**", "*"), ""); err != nil {
				return nil, fmt.Errorf("NOTICE:%d: bad pattern %q: %w", line, f, err)
			}
			out = append(out, Pattern{Glob: f, Line: line})
		}
	}
	return out, sc.Err()
}

// Pattern is one path or glob of a "Files:" line.
type Pattern struct {
	Glob string
	Line int
}

// Match reports whether the slash-separated path p matches glob, where "*"
// and the other path.Match forms match within one segment and a "**"
// segment matches any number of segments (none included).
func Match(glob, p string) bool {
	return matchSegs(strings.Split(glob, "/"), strings.Split(p, "/"))
}

func matchSegs(g, p []string) bool {
	for len(g) > 0 {
		if g[0] == "**" {
			for i := 0; i <= len(p); i++ {
				if matchSegs(g[1:], p[i:]) {
					return true
				}
			}
			return false
		}
		if len(p) == 0 {
			return false
		}
		if ok, _ := path.Match(g[0], p[0]); !ok {
			return false
		}
		g, p = g[1:], p[1:]
	}
	return len(p) == 0
}

// Guarded reports whether the repository path p must have a NOTICE entry:
// it lies under a folder named testdata or data and is not Go source (a Go
// file there is this project's code, such as the internal/testdata package).
func Guarded(p string) bool {
	if strings.HasSuffix(p, ".go") {
		return false
	}
	segs := strings.Split(p, "/")
	for _, s := range segs[:len(segs)-1] {
		if s == "testdata" || s == "data" {
			return true
		}
	}
	return false
}
