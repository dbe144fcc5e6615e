//go:build linux || darwin || freebsd

package langid

import (
	"os"
	"syscall"
)

// mapFile maps a file read-only; the pages are shared with every other
// process mapping it.
func mapFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() < tableHeaderSize || info.Size() != int64(int(info.Size())) {
		return nil, errBadTableFile
	}
	return syscall.Mmap(int(f.Fd()), 0, int(info.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
}

func unmapFile(data []byte) { _ = syscall.Munmap(data) }
