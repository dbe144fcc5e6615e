package dedup

import (
	"encoding/binary"
	"math"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sieve-data/sieve/shard"
)

// linkSet is the clustering state both modes build: union-find over dense
// positions plus, per document, the most specific method (url < exact <
// minhash) of any link that touches it. Both are independent of the order
// in which links arrive, which is what makes staged and one-process runs
// agree.
type linkSet struct {
	uf     unionFind
	method []byte
}

func (l *linkSet) grow(n int) {
	l.uf.grow(n)
	for len(l.method) < n {
		l.method = append(l.method, 0)
	}
}

func (l *linkSet) link(a, b uint32, code byte) {
	l.uf.union(a, b)
	for _, d := range [2]uint32{a, b} {
		if m := l.method[d]; m == 0 || code < m {
			l.method[d] = code
		}
	}
}

// removal is one removed document.
type removal struct {
	dense, survivor uint64
	method          byte
	jaccard         float32
	hasJaccard      bool
}

// resolution is the outcome of clustering.
type resolution struct {
	removed  []removal
	clusters int64 // clusters with more than one document
	largest  int64
	byMethod map[string]int64
}

// decision record: dense, cluster id, cluster size, removed flag.
const decisionSize = 8 + 8 + 4 + 4

// resolve picks the survivor of every cluster, writes the decisions file
// (one record per document of a non-singleton cluster, in canonical order)
// and removed.arrow.
func resolve(l *linkSet, stores *docStores, keepHighest bool, useSketch bool, decisionsPath, removedPath string) (*resolution, error) {
	n := len(l.uf.parent)
	size := make([]uint32, n)
	for d := range n {
		size[l.uf.find(uint32(d))]++
	}
	// Survivor per non-singleton cluster root.
	survivor := map[uint32]uint32{}
	res := &resolution{byMethod: map[string]int64{}}
	var buf []byte
	if keepHighest {
		best := map[uint32]float64{}
		for d := range n {
			r := l.uf.find(uint32(d))
			if size[r] < 2 {
				continue
			}
			var v float64
			var err error
			if _, v, err = stores.record(uint64(d), buf); err != nil {
				return nil, err
			}
			if bv, ok := best[r]; !ok || v > bv {
				best[r] = v
				survivor[r] = uint32(d)
			}
		}
	}
	dw, err := createChecked(decisionsPath, kindDecis, decisionSize)
	if err != nil {
		return nil, err
	}
	var rec [decisionSize]byte
	for d := range n {
		r := l.uf.find(uint32(d))
		s := size[r]
		if s < 2 {
			continue
		}
		if r == uint32(d) {
			res.clusters++
			res.largest = max(res.largest, int64(s))
		}
		surv, ok := survivor[r]
		if !ok {
			surv = r
		}
		gone := uint32(0)
		if uint32(d) != surv {
			gone = 1
			res.removed = append(res.removed, removal{dense: uint64(d), survivor: uint64(surv), method: l.method[d]})
			res.byMethod[methodName(l.method[d])]++
		}
		binary.LittleEndian.PutUint64(rec[0:], uint64(d))
		binary.LittleEndian.PutUint64(rec[8:], uint64(r))
		binary.LittleEndian.PutUint32(rec[16:], s)
		binary.LittleEndian.PutUint32(rec[20:], gone)
		if err := dw.record(rec[:]); err != nil {
			dw.abort()
			return nil, err
		}
	}
	if err := dw.close(); err != nil {
		return nil, err
	}

	// Jaccard estimates from the on-disk sketches.
	var other []byte
	for i := range res.removed {
		rm := &res.removed[i]
		switch {
		case useSketch:
			a, _, err := stores.record(rm.dense, buf)
			if err != nil {
				return nil, err
			}
			buf = a[:cap(a)]
			sa := append([]byte(nil), a...)
			b, _, err := stores.record(rm.survivor, other)
			if err != nil {
				return nil, err
			}
			other = b[:cap(b)]
			rm.jaccard, rm.hasJaccard = estimateJaccard(sa, b), true
		case rm.method == methodCode(MethodExact):
			rm.jaccard, rm.hasJaccard = 1, true
		}
	}
	want := make(map[uint64]string, 2*len(res.removed))
	for _, rm := range res.removed {
		want[rm.dense] = ""
		want[rm.survivor] = ""
	}
	if err := stores.collectIDs(want); err != nil {
		return nil, err
	}
	return res, writeRemoved(removedPath, res, want, l, size)
}

// RemovedSchema is the schema of dedup/removed.arrow.
var RemovedSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.BinaryTypes.String},
	{Name: "duplicate_of", Type: arrow.BinaryTypes.String},
	{Name: "jaccard", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	{Name: "method", Type: arrow.BinaryTypes.String},
	{Name: ColClusterID, Type: arrow.PrimitiveTypes.Int64},
	{Name: ColClusterSize, Type: arrow.PrimitiveTypes.Int32},
}, nil)

func writeRemoved(path string, res *resolution, ids map[uint64]string, l *linkSet, size []uint32) error {
	sort.Slice(res.removed, func(i, j int) bool { return res.removed[i].dense < res.removed[j].dense })
	w, err := newRecordWriter(path, RemovedSchema, shard.FormatStream, "")
	if err != nil {
		return err
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, RemovedSchema)
	defer b.Release()
	flush := func() error {
		rec := b.NewRecordBatch()
		defer rec.Release()
		return w.write(rec)
	}
	for i, rm := range res.removed {
		root := l.uf.find(uint32(rm.dense))
		b.Field(0).(*array.StringBuilder).Append(ids[rm.dense])
		b.Field(1).(*array.StringBuilder).Append(ids[rm.survivor])
		if rm.hasJaccard && !math.IsNaN(float64(rm.jaccard)) {
			b.Field(2).(*array.Float32Builder).Append(rm.jaccard)
		} else {
			b.Field(2).(*array.Float32Builder).AppendNull()
		}
		b.Field(3).(*array.StringBuilder).Append(methodName(rm.method))
		b.Field(4).(*array.Int64Builder).Append(int64(root))
		b.Field(5).(*array.Int32Builder).Append(int32(size[root]))
		if (i+1)%65536 == 0 {
			if err := flush(); err != nil {
				w.abort()
				return err
			}
		}
	}
	if err := flush(); err != nil {
		w.abort()
		return err
	}
	return w.close()
}
