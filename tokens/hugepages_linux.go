package tokens

import (
	"syscall"
	"unsafe"
)

// mapHuge maps size bytes (a multiple of the element size) and returns the
// mapping and the 2 MB-aligned start of the table in it, or nil when the
// kernel refuses (then the caller allocates on the heap).
func mapHuge(size uintptr) ([]byte, unsafe.Pointer) {
	mem, err := syscall.Mmap(-1, 0, int(size+hugePageSize),
		syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil
	}
	off := (hugePageSize - uintptr(unsafe.Pointer(&mem[0]))%hugePageSize) % hugePageSize
	// An error (an old kernel, huge pages disabled) leaves ordinary pages.
	_ = syscall.Madvise(mem[off:off+size], 14) // MADV_HUGEPAGE
	return mem, unsafe.Pointer(&mem[off])
}

func unmapHuge(mem []byte) { _ = syscall.Munmap(mem) }
