package shard

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
)

// checkLayout verifies that a column read from disk has buffers large
// enough for its declared length. arrow-go takes the row count from the
// batch metadata without comparing it with the buffers, so a damaged
// count would otherwise make DocumentsFrom allocate billions of documents
// or index past a buffer.
func checkLayout(name string, a arrow.Array) error {
	d := a.Data()
	n, off := int64(d.Len()), int64(d.Offset())
	if n < 0 || off < 0 {
		return fmt.Errorf("shard: column %s: negative length or offset", name)
	}
	bufs := d.Buffers()
	if len(bufs) > 0 && bufs[0] != nil && int64(bufs[0].Len()) < bitutil.BytesForBits(off+n) {
		return fmt.Errorf("shard: column %s: validity bitmap too short for %d rows", name, n)
	}
	need := func(i int, bytes int64) error {
		if n == 0 {
			return nil
		}
		if len(bufs) <= i || bufs[i] == nil || int64(bufs[i].Len()) < bytes {
			return fmt.Errorf("shard: column %s: buffer %d too short for %d rows", name, i, n)
		}
		return nil
	}
	switch c := a.(type) {
	case *array.String:
		// arrow-go checks the last offset against the data when it builds
		// the array; offsets out of order panic in Value, which
		// DocumentsFrom recovers.
		return need(1, (off+n+1)*4)
	case *array.LargeString:
		return need(1, (off+n+1)*8)
	case *array.StringView:
		return need(1, (off+n)*int64(arrow.ViewHeaderSizeBytes))
	case *array.Dictionary:
		return checkLayout(name, c.Indices())
	case *array.Int8, *array.Uint8:
		return need(1, off+n)
	case *array.Int16, *array.Uint16:
		return need(1, (off+n)*2)
	case *array.Int32, *array.Uint32:
		return need(1, (off+n)*4)
	case *array.Uint64:
		return need(1, (off+n)*8)
	case *array.Float32:
		return need(1, (off+n)*4)
	case *array.Float64, *array.Int64, *array.Timestamp:
		return need(1, (off+n)*8)
	case *array.Struct:
		for j := 0; j < c.NumField(); j++ {
			f := c.Field(j)
			if int64(f.Len()) < n {
				return fmt.Errorf("shard: column %s: field %d shorter than the struct", name, j)
			}
			if err := checkLayout(name, f); err != nil {
				return err
			}
		}
	}
	return nil
}
