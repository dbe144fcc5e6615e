package shard

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// cappedAllocator refuses single allocations above max. arrow-go sizes the
// buffer for a compressed column from an 8-byte length stored in the file
// and allocates it before decompressing; a damaged length would otherwise
// ask for terabytes. The panic is turned into an error by recoverInto.
type cappedAllocator struct {
	memory.Allocator
	max int
}

// readAllocator bounds one buffer by 64 times the file's size (zstd on web
// text compresses about 5:1), at least 16 MiB and at most 4 GiB.
func readAllocator(fileSize int64) memory.Allocator {
	limit := min(max(fileSize*64, 16<<20), 4<<30)
	return cappedAllocator{Allocator: memory.DefaultAllocator, max: int(limit)}
}

func (a cappedAllocator) check(size int) {
	if size < 0 || size > a.max {
		panic(fmt.Sprintf("buffer of %d bytes is beyond what this shard can hold (limit %d)", size, a.max))
	}
}

func (a cappedAllocator) Allocate(size int) []byte {
	a.check(size)
	return a.Allocator.Allocate(size)
}

func (a cappedAllocator) Reallocate(size int, b []byte) []byte {
	a.check(size)
	return a.Allocator.Reallocate(size, b)
}
