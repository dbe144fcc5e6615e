package tokens

import (
	"runtime"
	"unsafe"
)

// The counter's tables (the vocabulary, the pair table, each worker's
// piece cache) are megabytes read at random, one or two lines per
// pre-token. With 4 KB pages nearly every such read also misses the TLB
// (a page walk, itself a chain of cache misses): a pipeline's other steps
// fill the TLB between documents. With 2 MB pages one entry covers a
// whole table, which took 5-8% off counting with the caches cold (the
// per-document cost in a run). hugeSlice maps such a table from the
// kernel, aligned to 2 MB, and asks for huge pages (Linux, transparent
// huge pages "always" or "madvise"; without them, or elsewhere, the pages
// are ordinary and nothing else changes). The Go heap cannot be asked:
// its pages have usually been touched already, and then a huge page comes
// only when the kernel's background thread gets round to it.

const hugePageSize = 2 << 20

// hugeSlice returns a zeroed slice of n elements of a type without
// pointers (the collector does not scan the memory). When owner becomes
// unreachable the memory is returned to the kernel, so the slice must be
// used only through owner (a field of it), never kept apart from it.
func hugeSlice[T, O any](n int, owner *O) []T {
	var zero T
	size := uintptr(n) * unsafe.Sizeof(zero)
	if size < hugePageSize {
		return make([]T, n)
	}
	mem, p := mapHuge(size)
	if mem == nil {
		return make([]T, n)
	}
	runtime.AddCleanup(owner, unmapHuge, mem)
	return unsafe.Slice((*T)(p), n)
}
