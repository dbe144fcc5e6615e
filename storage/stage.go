package storage

import (
	"context"
	"os"
	"path/filepath"
)

// LocalCopy stages a location for readers that need a local file (Arrow
// and Parquet readers read by offset and bound lengths by the file's
// size): a local path is returned as it is, with a no-op done; an s3://
// object is downloaded into scratch (default: the system temp folder)
// under a unique name, and done removes the copy. It is the one way run,
// dedup and the dataset readers stage remote inputs.
func (s *Storage) LocalCopy(ctx context.Context, loc, scratch string) (path string, done func(), err error) {
	if !IsRemote(loc) {
		return loc, func() {}, nil
	}
	if scratch == "" {
		scratch = os.TempDir()
	}
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return "", nil, err
	}
	f, err := os.CreateTemp(scratch, "sieve-stage-*-"+filepath.Base(loc))
	if err != nil {
		return "", nil, err
	}
	f.Close()
	if err := s.Download(ctx, loc, f.Name()); err != nil {
		os.Remove(f.Name())
		return "", nil, err
	}
	return f.Name(), func() { os.Remove(f.Name()) }, nil
}

// LocalCopy stages a location with the default Storage.
func LocalCopy(ctx context.Context, loc, scratch string) (string, func(), error) {
	return Default().LocalCopy(ctx, loc, scratch)
}
