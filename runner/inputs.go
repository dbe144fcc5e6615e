package runner

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sieve-data/sieve/ingest"
	"github.com/sieve-data/sieve/storage"
)

// InputFile is one input of a run, with its place in the sorted list of all
// inputs. The index names the file's shards, so names do not depend on how
// the work is split into tasks.
type InputFile struct {
	Index int
	Path  string
	Size  int64
}

// ExpandInputs turns files, folders and glob patterns, local or s3://, into
// the sorted list of input files. Folders are walked recursively; hidden files and files
// that cannot be WARC data (by suffix: .md, .txt licences) are left out of
// folders, but a file named explicitly is always taken.
func ExpandInputs(args []string) ([]InputFile, error) { return ExpandInputsFor(args, "") }

// ExpandInputsFor is ExpandInputs for a reader type (ReaderConfig.Type):
// folders give the files that reader reads, by extension (see
// ingest.TypeOf); with no type, crawl files and Parquet and JSONL
// datasets (not .arrow, which a run's own output folder holds).
func ExpandInputsFor(args []string, readerType string) ([]InputFile, error) {
	looksLikeCrawlFile := func(name string) bool { return looksLikeInput(name, readerType) }
	seen := map[string]bool{}
	var paths []string
	sizes := map[string]int64{}
	add := func(p string) {
		if !storage.IsRemote(p) {
			p = filepath.Clean(p)
		}
		if !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	for _, a := range args {
		if storage.IsRemote(a) {
			list := storage.List
			if storage.HasGlob(a) {
				list = storage.Glob
			}
			entries, err := list(context.Background(), a)
			if err != nil {
				return nil, fmt.Errorf("input %q: %w", a, err)
			}
			if len(entries) == 0 {
				return nil, fmt.Errorf("no input under %q", a)
			}
			for _, e := range entries {
				// A listed prefix is a folder: keep its crawl files only.
				if e.Loc == a || looksLikeCrawlFile(path.Base(e.Loc)) {
					add(e.Loc)
					sizes[e.Loc] = e.Size
				}
			}
			continue
		}
		matches := []string{a}
		if strings.ContainsAny(a, "*?[") {
			m, err := filepath.Glob(a)
			if err != nil {
				return nil, fmt.Errorf("bad pattern %q: %w", a, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("no input matches %q", a)
			}
			matches = m
		}
		for _, p := range matches {
			st, err := os.Stat(p)
			if err != nil {
				return nil, fmt.Errorf("input %q: %w", p, err)
			}
			if !st.IsDir() {
				add(p)
				continue
			}
			err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				name := d.Name()
				if q != p && strings.HasPrefix(name, ".") {
					if d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				if !d.IsDir() && looksLikeCrawlFile(name) {
					add(q)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	sort.Strings(paths)
	out := make([]InputFile, 0, len(paths))
	for i, p := range paths {
		size, ok := sizes[p]
		if !ok {
			st, err := os.Stat(p)
			if err != nil {
				return nil, err
			}
			size = st.Size()
		}
		out = append(out, InputFile{Index: i, Path: p, Size: size})
	}
	return out, nil
}

// looksLikeInput keeps documentation and licence files of a data folder
// out of a run, and the files another reader would read; the WARC reader
// itself detects the real format by content.
func looksLikeInput(name, readerType string) bool {
	lower := strings.ToLower(name)
	for _, s := range []string{".md", ".txt", ".json", ".yaml", ".yml", ".tmp"} {
		if strings.HasSuffix(lower, s) {
			return false
		}
	}
	typ := ingest.TypeOf(name)
	switch readerType {
	case "":
		return typ != ingest.TypeArrow
	case ingest.TypeWARC, ingest.TypeWET:
		return typ == ingest.TypeWARC
	}
	return typ == readerType
}

// TaskSlice returns the inputs of task index of n: every n-th file of the
// sorted list, starting at index. Round-robin spreads large and small files
// (which sort together by crawl segment) evenly over the tasks.
func TaskSlice(all []InputFile, n, index int) []InputFile {
	if n <= 1 {
		return all
	}
	var out []InputFile
	for _, f := range all {
		if f.Index%n == index {
			out = append(out, f)
		}
	}
	return out
}
