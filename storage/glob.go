package storage

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// HasGlob reports whether loc holds a glob metacharacter (* ? [).
func HasGlob(loc string) bool { return strings.ContainsAny(loc, "*?[") }

// Glob returns the files or objects matching pattern, sorted by Loc, with
// path.Match rules: '*' and '?' never cross a '/'. On S3 the listing starts
// at the pattern's longest literal folder, so
//
//	s3://commoncrawl/crawl-data/CC-MAIN-2024-22/segments/*/warc/*.warc.gz
//
// lists that crawl's segments once (~90,000 WARC among its WAT/WET files)
// and keeps only the WARC. Locally it is filepath.Glob, files only.
func (s *Storage) Glob(ctx context.Context, pattern string) ([]Entry, error) {
	if !IsRemote(pattern) {
		return globLocal(pattern)
	}
	o, err := parseS3(pattern)
	if err != nil {
		return nil, err
	}
	if _, err := path.Match(o.Key, ""); err != nil {
		return nil, fmt.Errorf("storage: bad pattern %q: %w", pattern, err)
	}
	if HasGlob(o.Bucket) {
		return nil, fmt.Errorf("storage: pattern %q: the bucket name cannot be a pattern", pattern)
	}
	literal := o.Key
	if i := strings.IndexAny(literal, "*?["); i >= 0 {
		literal = literal[:i]
	}
	// List from the last whole folder before the first metacharacter.
	dir := literal[:strings.LastIndex(literal, "/")+1]
	all, err := s.List(ctx, objectName{o.Bucket, dir}.String())
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, e := range all {
		key := strings.TrimPrefix(e.Loc, s3Scheme+o.Bucket+"/")
		if ok, _ := path.Match(o.Key, key); ok {
			out = append(out, e)
		}
	}
	return out, nil
}

func globLocal(pattern string) ([]Entry, error) {
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("storage: bad pattern %q: %w", pattern, err)
	}
	var out []Entry
	for _, m := range matches {
		st, err := os.Stat(m)
		if err != nil {
			return nil, err
		}
		if st.Mode().IsRegular() && !strings.Contains(filepath.Base(m), tmpMarker) {
			out = append(out, Entry{Loc: m, Size: st.Size()})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Loc < out[j].Loc })
	return out, nil
}

// Glob matches pattern with Default(); see Storage.Glob.
func Glob(ctx context.Context, pattern string) ([]Entry, error) { return Default().Glob(ctx, pattern) }
