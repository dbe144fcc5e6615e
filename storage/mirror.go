package storage

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Mirror is a local copy of some objects under a remote prefix, for code
// that works on local folders: Fetch brings the wanted objects, Publish
// uploads the files that appeared locally since, and only those.
type Mirror struct {
	Remote, Local string
	fetched       map[string]bool // local paths that came from Remote
}

// NewMirror mirrors remote (an s3:// prefix) in the local folder local.
func NewMirror(remote, local string) *Mirror {
	return &Mirror{Remote: remote, Local: local, fetched: map[string]bool{}}
}

// Fetch downloads the objects under Remote whose slash-separated path
// relative to it want accepts.
func (m *Mirror) Fetch(ctx context.Context, want func(rel string) bool) error {
	prefix := strings.TrimSuffix(m.Remote, "/") + "/"
	es, err := List(ctx, prefix)
	if err != nil {
		return err
	}
	for _, e := range es {
		rel, ok := strings.CutPrefix(e.Loc, prefix)
		if !ok || !want(rel) {
			continue
		}
		dst := filepath.Join(m.Local, filepath.FromSlash(rel))
		if err := Download(ctx, e.Loc, dst); err != nil {
			return err
		}
		m.fetched[dst] = true
	}
	return os.MkdirAll(m.Local, 0o755)
}

// Publish uploads every local file that Fetch did not bring (temporary
// files left out) to the same relative path under Remote.
func (m *Mirror) Publish(ctx context.Context) error {
	return filepath.WalkDir(m.Local, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || m.fetched[p] || strings.Contains(d.Name(), ".tmp") {
			return err
		}
		rel, err := filepath.Rel(m.Local, p)
		if err != nil {
			return err
		}
		return Upload(ctx, p, Join(m.Remote, filepath.ToSlash(rel)))
	})
}
