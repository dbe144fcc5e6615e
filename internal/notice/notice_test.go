package notice

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const root = "../.."

// repoFiles lists the repository's files: tracked and untracked-but-not-
// ignored ones through git when the tree is a clone, else every file found.
func repoFiles(t *testing.T) []string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(root, ".git")); err == nil {
		if git, err := exec.LookPath("git"); err == nil {
			cmd := exec.Command(git, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
			cmd.Dir = root
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("git ls-files: %v", err)
			}
			var files []string
			for _, f := range strings.Split(string(out), "\x00") {
				if f == "" {
					continue
				}
				// A file deleted in the work tree but still in the index
				// is not shipped by this tree.
				if _, err := os.Lstat(filepath.Join(root, f)); err == nil {
					files = append(files, f)
				}
			}
			return files
		}
	}
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestNoticeCoversShippedData(t *testing.T) {
	for _, name := range []string{"LICENSE", "NOTICE"} {
		if _, err := os.Stat(filepath.Join(root, name)); err != nil {
			t.Fatalf("%s missing at the repository root: %v", name, err)
		}
	}
	lic, err := os.ReadFile(filepath.Join(root, "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(lic), "Apache License") || !strings.Contains(string(lic), "Version 2.0") {
		t.Errorf("LICENSE is not the Apache License 2.0 text")
	}
	f, err := os.Open(filepath.Join(root, "NOTICE"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pats, err := Patterns(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(pats) == 0 {
		t.Fatal("NOTICE has no Files: lines")
	}
	used := make([]bool, len(pats))
	guarded := 0
	for _, p := range repoFiles(t) {
		covered := false
		for i, pat := range pats {
			if Match(pat.Glob, p) {
				used[i] = true
				covered = true
			}
		}
		if Guarded(p) {
			guarded++
			if !covered {
				t.Errorf("%s is under a testdata/ or data/ folder but no NOTICE \"Files:\" line covers it: add its source and licence to NOTICE", p)
			}
		}
	}
	if guarded == 0 {
		t.Fatal("found no file under testdata/ or data/: is the test running in the repository?")
	}
	for i, pat := range pats {
		if !used[i] {
			t.Errorf("NOTICE:%d: %q matches no file in the repository (stale entry?)", pat.Line, pat.Glob)
		}
	}
}

func TestMatch(t *testing.T) {
	cases := []struct {
		glob, path string
		want       bool
	}{
		{"testdata/sample/*", "testdata/sample/a.warc.gz", true},
		{"testdata/sample/*", "testdata/sample/sub/a.warc.gz", false},
		{"testdata/sample/*", "testdata/other/a.warc.gz", false},
		{"**/testdata/fuzz/**", "dedup/testdata/fuzz/FuzzX/abc", true},
		{"**/testdata/fuzz/**", "testdata/fuzz/FuzzX/abc", true},
		{"**/testdata/fuzz/**", "dedup/testdata/fuzzy/abc", false},
		{"filter/data/languages.yaml", "filter/data/languages.yaml", true},
		{"filter/data/languages.yaml", "filter/data/languages.yml", false},
		{"data/**", "data/ut1/x/domains", true},
	}
	for _, c := range cases {
		if got := Match(c.glob, c.path); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.glob, c.path, got, c.want)
		}
	}
	for p, want := range map[string]bool{"testdata/sample/a": true, "filter/data/x.txt": true, "internal/testdata/sources.go": false, "filter/url_filter.go": false, "data": false, "mydata/x": false} {
		if Guarded(p) != want {
			t.Errorf("Guarded(%q) = %v", p, !want)
		}
	}
}
