package storage

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Upload copies the local file from to the location to; the copy appears
// under its name only when complete (a local rename or a completed
// multipart upload).
func (s *Storage) Upload(ctx context.Context, from, to string) error {
	f, err := os.Open(from)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := s.Create(ctx, to)
	if err != nil {
		return err
	}
	defer w.Abort() // after Commit, a no-op
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("uploading %s: %w", to, err)
	}
	return w.Commit()
}

// Download copies the location from into the local file to, creating its
// folder; a failed copy leaves no file behind.
func (s *Storage) Download(ctx context.Context, from, to string) error {
	r, err := s.Open(ctx, from)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	f, err := os.Create(to)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(to)
		return fmt.Errorf("downloading %s: %w", from, err)
	}
	return nil
}

// Upload copies a local file to a location with the default Storage.
func Upload(ctx context.Context, from, to string) error { return Default().Upload(ctx, from, to) }

// Download copies a location to a local file with the default Storage.
func Download(ctx context.Context, from, to string) error {
	return Default().Download(ctx, from, to)
}
