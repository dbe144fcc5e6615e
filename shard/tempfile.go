package shard

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// tempSuffix marks a shard still being written. Readers never see a
// half-written shard under its final name: it is renamed only after fsync.
const tempSuffix = ".tmp"

// atomicFile is a file written under <final>.tmp and renamed into place
// by commit. Writes are buffered; n counts the bytes written so far.
type atomicFile struct {
	final string
	f     *os.File
	buf   *bufio.Writer
	n     int64
}

func createAtomic(final string) (*atomicFile, error) {
	f, err := os.OpenFile(final+tempSuffix, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("shard: %w", err)
	}
	return &atomicFile{final: final, f: f, buf: bufio.NewWriterSize(f, 1<<20)}, nil
}

func (a *atomicFile) Write(p []byte) (int, error) {
	n, err := a.buf.Write(p)
	a.n += int64(n)
	return n, err
}

// commit flushes, fsyncs, closes and renames the file to its final name,
// then fsyncs the folder so the rename survives a crash.
func (a *atomicFile) commit() error {
	err := a.buf.Flush()
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.final)
	}
	if err != nil {
		os.Remove(a.f.Name())
		return fmt.Errorf("shard: writing %s: %w", a.final, err)
	}
	syncDir(filepath.Dir(a.final))
	return nil
}

// abort closes and removes the temporary file.
func (a *atomicFile) abort() error {
	a.f.Close()
	if err := os.Remove(a.f.Name()); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("shard: %w", err)
	}
	return nil
}

// syncDir is best effort: some file systems refuse to fsync a folder, and
// the data itself is already on disk.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
