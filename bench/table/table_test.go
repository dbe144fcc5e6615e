package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	print(&out, runs, 0.39, 0.01, 53_000_000)
	s := out.String()
	// 673 docs / 12.63 s = 53 docs/s; 12.63 / 0.39 = 32.38x; 984064 KiB = 961 MiB;
	// CPU 13.26 / 0.39 = 34.00x.
	for _, want := range []string{" 53 ", "32.38×", " 961 ", "34.00×", "langid", "outside steps"} {
		if !strings.Contains(s, want) {
			t.Errorf("table lacks %q:\n%s", want, s)
		}
	}
}

func TestMissingStats(t *testing.T) {
	tsv := filepath.Join(t.TempDir(), "runs.tsv")
	os.WriteFile(tsv, []byte("x\t1\t1\t1\t/nonexistent\n"), 0o644)
	if _, err := readRuns(tsv); err == nil {
		t.Fatal("no error for a missing stats.json")
	}
}
