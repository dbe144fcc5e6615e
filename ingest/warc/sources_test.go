package warc

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sourceRow is one row of the per-file table in the shared SOURCES.md.
type sourceRow struct {
	file    string
	records int
	types   map[string]int
	html    int
}

// readSources parses the per-file table of SOURCES.md, so the tests check
// against the counts that document states rather than a copy of them.
func readSources(t *testing.T, dir string) map[string]sourceRow {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := map[string]sourceRow{}
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
		row := sourceRow{file: name, records: n, types: map[string]int{}}
		for _, tc := range strings.Split(cols[8], ",") {
			typ, cnt, ok := strings.Cut(strings.TrimSpace(tc), " ")
			if ok {
				row.types[typ], _ = strconv.Atoi(cnt)
			}
		}
		row.html, _ = strconv.Atoi(strings.TrimSpace(cols[9]))
		rows[name] = row
	}
	if len(rows) < 30 {
		t.Fatalf("SOURCES.md: parsed only %d rows", len(rows))
	}
	return rows
}
