package storage

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// tmpMarker is part of the name of every unfinished local write, so that
// List can leave them out (and a human can recognise them after a crash).
const tmpMarker = ".sieve-tmp-"

func openLocal(loc string) (io.ReadCloser, error) {
	f, err := os.Open(loc)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("storage: %s is a folder, not a file", loc)
	}
	return f, nil
}

func statLocal(loc string) (int64, error) {
	st, err := os.Stat(loc)
	if err != nil {
		return 0, err
	}
	if st.IsDir() {
		return 0, fmt.Errorf("storage: %s is a folder, not a file", loc)
	}
	return st.Size(), nil
}

func listLocal(loc string) ([]Entry, error) {
	st, err := os.Stat(loc)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []Entry{{Loc: loc, Size: st.Size()}}, nil
	}
	var out []Entry
	err = filepath.WalkDir(loc, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.Contains(d.Name(), tmpMarker) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return nil // sockets, devices; symlinks are not followed
		}
		out = append(out, Entry{Loc: p, Size: info.Size()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Loc < out[j].Loc })
	return out, nil
}

func removeLocal(loc string) error {
	err := os.Remove(loc)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// localWriter writes to a temp file next to the destination: the rename on
// Commit is then atomic (same filesystem), and a crash leaves only a temp
// file that List ignores.
type localWriter struct {
	f    *os.File
	dest string
	done bool
}

func createLocal(loc string) (Writer, error) {
	dir, base := filepath.Split(loc)
	if base == "" {
		return nil, fmt.Errorf("storage: %q names a folder, not a file", loc)
	}
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "."+base+tmpMarker+"*")
	if err != nil {
		return nil, err
	}
	return &localWriter{f: f, dest: loc}, nil
}

func (w *localWriter) Write(p []byte) (int, error) {
	if w.done {
		return 0, fmt.Errorf("storage: write to %s after Commit or Abort", w.dest)
	}
	return w.f.Write(p)
}

func (w *localWriter) Commit() error {
	if w.done {
		return fmt.Errorf("storage: %s already committed or aborted", w.dest)
	}
	w.done = true
	tmp := w.f.Name()
	// 0644 like os.Create would give; CreateTemp makes 0600.
	err := w.f.Chmod(0o644)
	if err == nil {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, w.dest)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("storage: commit %s: %w", w.dest, err)
	}
	// The rename is durable only once the folder itself is synced.
	if d, err := os.Open(filepath.Dir(w.dest)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func (w *localWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.f.Close()
	return os.Remove(w.f.Name())
}
