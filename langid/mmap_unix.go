//go:build linux || darwin || freebsd

package langid

import (
	"os"
	"syscall"
)

// mapFile maps a file read-only; the pages are shared with every other
// process mapping it. The file's status is taken from the descriptor that
// is mapped, so it describes the mapped file even if the path is replaced.
func mapFile(path string) ([]byte, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if info.Size() < tableHeaderSize || info.Size() != int64(int(info.Size())) {
		return nil, nil, errBadTableFile
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(info.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	return data, info, err
}

func unmapFile(data []byte) { _ = syscall.Munmap(data) }
