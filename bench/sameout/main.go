// Command sameout checks that two sieve output folders hold the same
// results (issue 17: a speed change must not change what sieve writes). It
// compares:
//
//   - every shard and dedup file (Arrow, Parquet, JSONL, dataset_info.json),
//     byte for byte;
//   - shards/state.json without its _fingerprint (a hash over the shards'
//     names, sizes and modification times, as datasets' save_to_disk makes
//     it: it changes with every run);
//   - stats.json and dedup/stats.json as JSON, without the timings
//     ("nanos" and every "*_secs": elapsed_secs, the "time" phases).
//
// The reports (report.html, .md, .json) are left out: they print rates.
// Counts, histograms, drop examples and every other number must be equal.
//
//	go run ./bench/sameout OUT_BEFORE OUT_AFTER
//
// Exit status 0 when the folders agree, 1 with one line per difference.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
)

// isTiming reports the JSON keys whose values are measured time, not
// results: a step's "nanos" and every "*_secs" (the run's elapsed time and
// the phases of stats.json's "time").
func isTiming(key string) bool { return key == "nanos" || strings.HasSuffix(key, "_secs") }

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: sameout OUT_BEFORE OUT_AFTER")
		os.Exit(2)
	}
	diffs, err := compare(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "sameout:", err)
		os.Exit(2)
	}
	for _, d := range diffs {
		fmt.Println(d)
	}
	if len(diffs) > 0 {
		os.Exit(1)
	}
}

// compare returns one line per difference between the output folders a and b.
func compare(a, b string) ([]string, error) {
	fa, err := resultFiles(a)
	if err != nil {
		return nil, err
	}
	fb, err := resultFiles(b)
	if err != nil {
		return nil, err
	}
	if len(fa) == 0 {
		return nil, fmt.Errorf("%s: no stats.json or shards: not a sieve output folder", a)
	}
	var diffs []string
	for _, rel := range union(fa, fb) {
		if !fa[rel] || !fb[rel] {
			where := b
			if !fa[rel] {
				where = a
			}
			diffs = append(diffs, fmt.Sprintf("%s: missing in %s", rel, where))
			continue
		}
		da, err := os.ReadFile(filepath.Join(a, rel))
		if err != nil {
			return nil, err
		}
		db, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			return nil, err
		}
		switch base := filepath.Base(rel); {
		case base == "stats.json" || base == "state.json":
			d, err := sameJSON(rel, da, db)
			if err != nil {
				return nil, err
			}
			diffs = append(diffs, d...)
		case !bytes.Equal(da, db):
			diffs = append(diffs, fmt.Sprintf("%s: bytes differ (%d vs %d bytes, first at offset %d)", rel, len(da), len(db), firstDiff(da, db)))
		}
	}
	return diffs, nil
}

// resultFiles lists the files of an output folder that hold results, as
// paths relative to it.
func resultFiles(dir string) (map[string]bool, error) {
	files := map[string]bool{}
	if _, err := os.Stat(filepath.Join(dir, "stats.json")); err == nil {
		files["stats.json"] = true
	}
	for _, sub := range []string{"shards", "dedup"} {
		root := filepath.Join(dir, sub)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) && p == root {
					return filepath.SkipDir
				}
				return err
			}
			if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
				rel, _ := filepath.Rel(dir, p)
				files[filepath.ToSlash(rel)] = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

func union(a, b map[string]bool) []string {
	var all []string
	for k := range a {
		all = append(all, k)
	}
	for k := range b {
		if !a[k] {
			all = append(all, k)
		}
	}
	sort.Strings(all)
	return all
}

func firstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// sameJSON compares two JSON documents without their timings (and a
// state.json without its _fingerprint), naming each differing path.
func sameJSON(rel string, a, b []byte) ([]string, error) {
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	skip := isTiming
	if filepath.Base(rel) == "state.json" {
		skip = func(key string) bool { return key == "_fingerprint" }
	}
	var diffs []string
	diffJSON(rel, va, vb, skip, &diffs)
	return diffs, nil
}

func diffJSON(path string, a, b any, skip func(string) bool, diffs *[]string) {
	if len(*diffs) >= 50 {
		return
	}
	if a == nil && onlyTimings(b, skip) || b == nil && onlyTimings(a, skip) {
		return // a section of timings one side does not have (an older base)
	}
	ma, okA := a.(map[string]any)
	mb, okB := b.(map[string]any)
	if okA && okB {
		keys := map[string]bool{}
		for k := range ma {
			keys[k] = true
		}
		for k := range mb {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			if skip(k) {
				continue
			}
			diffJSON(path+"."+k, ma[k], mb[k], skip, diffs)
		}
		return
	}
	la, okA := a.([]any)
	lb, okB := b.([]any)
	if okA && okB {
		if len(la) != len(lb) {
			*diffs = append(*diffs, fmt.Sprintf("%s: %d vs %d elements", path, len(la), len(lb)))
			return
		}
		for i := range la {
			diffJSON(fmt.Sprintf("%s[%d]", path, i), la[i], lb[i], skip, diffs)
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		*diffs = append(*diffs, fmt.Sprintf("%s: %s vs %s", path, short(a), short(b)))
	}
}

// onlyTimings reports an object all of whose keys are timings.
func onlyTimings(v any, skip func(string) bool) bool {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return false
	}
	for k := range m {
		if !skip(k) {
			return false
		}
	}
	return true
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}
