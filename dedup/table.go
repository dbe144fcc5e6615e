package dedup

// keyTable maps a 64-bit key to the first document that had it. It is the
// in-memory LSH band table of the one-process mode, built to be small:
//
// A slot is one uint64: the key's high 32 bits (a fingerprint) and the
// document index + 1 (0 marks an empty slot). The home slot comes from the
// key's low 32 bits, so about 32 + log2(capacity) key bits take part in a
// match. Two different keys are confused only when their fingerprints are
// equal and they probe the same run of slots: about (probe length)/2^32 per
// lookup, about one false link per 10^8 documents with 14 bands - far below
// LSH's own false-positive rate.
//
// Segments are filled to 80%, so a slot costs 8 bytes and a key at most
// 10 bytes in a table sized from a document count hint. A full segment is
// not rehashed (the home bits are not stored); a new segment of twice the
// size takes further keys and lookups check every segment.
type keyTable struct {
	segs []tableSegment
}

type tableSegment struct {
	slots []uint64
	n     int
	limit int
}

const tableLoad = 0.8

func newKeyTable(hint int) *keyTable {
	t := &keyTable{}
	t.addSegment(max(hint, 1024))
	return t
}

func (t *keyTable) addSegment(keys int) {
	c := int(float64(keys)/tableLoad) + 1
	t.segs = append(t.segs, tableSegment{slots: make([]uint64, c), limit: keys})
}

// firstOrAdd returns the document that had key first, or records doc as
// its first holder and returns (doc, false).
func (t *keyTable) firstOrAdd(key uint64, doc uint32) (uint32, bool) {
	fp := key >> 32
	for i := range t.segs {
		s := &t.segs[i]
		c := uint64(len(s.slots))
		pos := (uint64(uint32(key)) * c) >> 32
		for {
			v := s.slots[pos]
			if v == 0 {
				break
			}
			if v>>32 == fp {
				return uint32(v) - 1, true
			}
			pos++
			if pos == c {
				pos = 0
			}
		}
	}
	last := &t.segs[len(t.segs)-1]
	if last.n >= last.limit {
		t.addSegment(2 * last.limit)
		last = &t.segs[len(t.segs)-1]
	}
	c := uint64(len(last.slots))
	pos := (uint64(uint32(key)) * c) >> 32
	for last.slots[pos] != 0 {
		pos++
		if pos == c {
			pos = 0
		}
	}
	last.slots[pos] = fp<<32 | uint64(doc+1)
	last.n++
	return doc, false
}

// bytes is the table's memory.
func (t *keyTable) bytes() int64 {
	var n int64
	for _, s := range t.segs {
		n += int64(len(s.slots)) * 8
	}
	return n
}
