package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Mirror is a local folder standing in for a remote prefix, for code that
// works on local folders: sieve run with an s3:// OUT, sieve finalize on
// s3:// and the staged dedup all work through one. Paths are named
// relative to both roots (slash-separated "rel" paths); the mirror
// remembers which of them are on the remote as they are locally (fetched
// from it, or put there), so Publish uploads only what appeared or changed
// locally since. It is the one staging mechanism for folders, as
// LocalCopy is for single files.
//
// A Mirror is safe for concurrent use: run's file workers put their
// finished files through one Mirror.
type Mirror struct {
	Remote, Local string

	s      *Storage
	mu     sync.Mutex
	synced map[string]bool // rel paths with nothing left to upload
}

// NewMirror mirrors remote (an s3:// prefix) in the local folder local.
func (s *Storage) NewMirror(remote, local string) *Mirror {
	return &Mirror{Remote: strings.TrimSuffix(remote, "/"), Local: local, s: s, synced: map[string]bool{}}
}

// NewMirror mirrors remote in local through the default Storage.
func NewMirror(remote, local string) *Mirror { return Default().NewMirror(remote, local) }

// RemotePath is the remote location of rel.
func (m *Mirror) RemotePath(rel string) string { return Join(m.Remote, rel) }

// LocalPath is the local path of rel.
func (m *Mirror) LocalPath(rel string) string { return filepath.Join(m.Local, filepath.FromSlash(rel)) }

// Rel turns a local path inside Local into a rel path; a path outside is
// an error.
func (m *Mirror) Rel(p string) (string, error) {
	rel, err := filepath.Rel(m.Local, p)
	if err != nil || !filepath.IsLocal(rel) {
		return "", fmt.Errorf("%s is outside the mirrored folder %s", p, m.Local)
	}
	return filepath.ToSlash(rel), nil
}

// Synced reports whether rel has nothing left to upload: fetched, put, or
// marked by MarkSynced.
func (m *Mirror) Synced(rel string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.synced[rel]
}

// MarkSynced records that rels are on the remote as wanted, so Put and
// Publish leave them alone (for files checked as a group before they
// count, as run's restore does).
func (m *Mirror) MarkSynced(rels ...string) {
	m.mu.Lock()
	for _, rel := range rels {
		m.synced[rel] = true
	}
	m.mu.Unlock()
}

// List returns the rel paths of the objects under Remote/dir (every
// object below Remote when dir is ""); a prefix with nothing under it is
// an empty list.
func (m *Mirror) List(ctx context.Context, dir string) ([]string, error) {
	prefix := m.Remote + "/"
	if dir != "" {
		prefix = Join(m.Remote, strings.Trim(dir, "/")) + "/"
	}
	es, err := m.s.List(ctx, prefix)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rels := make([]string, 0, len(es))
	for _, e := range es {
		if rel, ok := strings.CutPrefix(e.Loc, m.Remote+"/"); ok && rel != "" {
			rels = append(rels, rel)
		}
	}
	return rels, nil
}

// Fetch downloads the objects under Remote whose rel path want accepts
// and marks them synced.
func (m *Mirror) Fetch(ctx context.Context, want func(rel string) bool) error {
	rels, err := m.List(ctx, "")
	if err != nil {
		return err
	}
	for _, rel := range rels {
		if !want(rel) {
			continue
		}
		if err := m.s.Download(ctx, m.RemotePath(rel), m.LocalPath(rel)); err != nil {
			return err
		}
		m.MarkSynced(rel)
	}
	return os.MkdirAll(m.Local, 0o755)
}

// Get brings rel from the remote into the local folder, unless a local
// copy of the same size is there already (a retry in the same folder),
// and returns its local path. It does not mark rel synced: the caller
// decides when a group of fetched files counts (MarkSynced).
func (m *Mirror) Get(ctx context.Context, rel string) (string, error) {
	p := m.LocalPath(rel)
	loc := m.RemotePath(rel)
	size, err := m.s.Stat(ctx, loc)
	if err != nil {
		return "", err
	}
	if st, err := os.Stat(p); err == nil && st.Size() == size {
		return p, nil
	}
	return p, m.s.Download(ctx, loc, p)
}

// Put uploads the local file rel to the same rel path under Remote,
// unless it is synced already, and marks it synced.
func (m *Mirror) Put(ctx context.Context, rel string) error {
	if m.Synced(rel) {
		return nil
	}
	if err := m.s.Upload(ctx, m.LocalPath(rel), m.RemotePath(rel)); err != nil {
		return err
	}
	m.MarkSynced(rel)
	return nil
}

// PutBytes writes b (atomically, as WriteFile does) to rel under Remote
// and marks rel synced: for an object whose remote form differs from the
// local file (a marker naming files by rel path on the remote and by
// local path locally).
func (m *Mirror) PutBytes(ctx context.Context, rel string, b []byte) error {
	if err := m.s.WriteFile(ctx, m.RemotePath(rel), b); err != nil {
		return err
	}
	m.MarkSynced(rel)
	return nil
}

// Publish uploads every local file that is not synced, not temporary (a
// shard writer's .tmp, a killed WriteFile's temporary) and not under a
// top-level folder in skipDirs, to the same rel path under Remote.
func (m *Mirror) Publish(ctx context.Context, skipDirs ...string) error {
	err := filepath.WalkDir(m.Local, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == m.Local {
			return nil
		}
		rel, err := m.Rel(p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			for _, s := range skipDirs {
				if rel == s {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if isTemporary(d.Name()) {
			return nil
		}
		return m.Put(ctx, rel)
	})
	if err != nil {
		return fmt.Errorf("uploading %s to %s: %w", m.Local, m.Remote, err)
	}
	return nil
}

// RemoveRemote deletes, best effort, the objects under Remote/dir whose
// rel path match accepts; errors are ignored (what is left is clutter,
// not a wrong result).
func (m *Mirror) RemoveRemote(ctx context.Context, dir string, match func(rel string) bool) {
	rels, err := m.List(ctx, dir)
	if err != nil {
		return
	}
	for _, rel := range rels {
		if match(rel) {
			m.s.Remove(ctx, m.RemotePath(rel))
		}
	}
}

// isTemporary reports a file name of a write in progress or killed: shard
// writers and stats end theirs in or put .tmp in them, WriteFile marks its
// own.
func isTemporary(name string) bool {
	return strings.Contains(name, ".tmp") || strings.Contains(name, tmpMarker)
}
