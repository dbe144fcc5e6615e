package testdata

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// WARCSource is one row of the per-file table in
// ../shared/testdata/warc/SOURCES.md: the counts its authors saw.
type WARCSource struct {
	File    string
	Records int
	Types   map[string]int // records by WARC-Type
	HTML    int            // HTML response records, any HTTP status
}

// WARCSources parses the per-file table of dir/SOURCES.md, so tests check
// against the counts that document states rather than a copy of them.
func WARCSources(t testing.TB, dir string) map[string]WARCSource {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := map[string]WARCSource{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cols := strings.Split(line, "|")
		if len(cols) < 10 {
			continue
		}
		name := strings.Trim(strings.TrimSpace(cols[1]), "`")
		n, err := strconv.Atoi(strings.TrimSpace(cols[7]))
		if err != nil {
			continue // "-": no count
		}
		row := WARCSource{File: name, Records: n, Types: map[string]int{}}
		for _, tc := range strings.Split(cols[8], ",") {
			typ, cnt, ok := strings.Cut(strings.TrimSpace(tc), " ")
			if ok {
				row.Types[typ], _ = strconv.Atoi(cnt)
			}
		}
		row.HTML, _ = strconv.Atoi(strings.TrimSpace(cols[9]))
		rows[name] = row
	}
	if len(rows) < 30 {
		t.Fatalf("SOURCES.md: parsed only %d rows", len(rows))
	}
	return rows
}
