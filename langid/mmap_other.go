//go:build !(linux || darwin || freebsd)

package langid

import "os"

// mapFile reads the file into memory where mmap is not used.
func mapFile(path string) ([]byte, os.FileInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	info, err := os.Stat(path)
	return data, info, err
}

func unmapFile([]byte) {}
