//go:build !(linux || darwin || freebsd)

package langid

import "os"

// mapFile reads the file into memory where mmap is not used.
func mapFile(path string) ([]byte, error) { return os.ReadFile(path) }

func unmapFile([]byte) {}
