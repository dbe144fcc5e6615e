package tokens

// pieceCache is one worker's cache of the token counts of pre-tokens that
// are not single tokens, and of pieces of minCacheFirst bytes or more
// whatever their count (see Counter.countBatch); only pieces of valid
// UTF-8 (see Counter.count). Word frequencies are Zipfian, so most multi-token
// words repeat and are merged once. It has two generations: when the
// current one fills up it becomes the older one and the old older one is
// cleared for reuse, and a piece found in the older generation moves to
// the current one, so frequent pieces survive while memory stays fixed
// (two generations of slots and arenas, allocated once).
type pieceCache struct {
	cur, old *pieceGen
}

// pieceGen is one generation: an open-addressing table of 8-byte slots
// and an arena holding the pieces' bytes (no allocation per piece).
type pieceGen struct {
	slots []uint64
	arena []byte
	n     int
}

// Slot layout, high bits to low: tag (26) | occupied (1) | arena offset
// (21) | length (8) | count (8). Cached pieces are at most maxCachedPiece
// bytes, so their counts fit in 8 bits.
const (
	pcCountBits = 8
	pcLenBits   = 8
	pcOffBits   = 21

	pcLenShift = pcCountBits
	pcOffShift = pcLenShift + pcLenBits
	pcOccupied = uint64(1) << (pcOffShift + pcOffBits)
	pcTagShift = pcOffShift + pcOffBits + 1

	pcKeyMask = (1<<(64-pcTagShift)-1)<<pcTagShift | pcOccupied | (1<<pcLenBits-1)<<pcLenShift
)

// maxCachedPiece is the longest piece cached, the most the length field
// holds. The longest pieces are runs of CJK or Thai letters (whole
// clauses, 60 to 250 bytes), the most expensive to merge (the pair merge
// is quadratic in the parts), and they repeat in boilerplate and in copies
// of a page.
const maxCachedPiece = 1<<pcLenBits - 1

// maxCachedPieces bounds each generation's number of pieces; its arena
// holds at most pieceArenaBytes (16 bytes a piece on average; the offset
// field's range). Per worker that is 2 × (2 MB of slots + 2 MB of arena).
// On the 43 MB of text of the 200 MB docs benchmark corpus (25 languages)
// generations of 2^16 turned over 7 times and merged twice as many pieces
// as there were distinct ones; 2^17 holds them.
const (
	maxCachedPieces = 1 << 17
	pieceArenaBytes = 1 << pcOffBits
)

func newPieceGen() *pieceGen {
	g := &pieceGen{}
	g.slots = hugeSlice[uint64](2*maxCachedPieces, g) // load ≤ 0.5
	g.arena = hugeSlice[byte](pieceArenaBytes, g)[:0]
	return g
}

func newPieceCache() pieceCache {
	return pieceCache{cur: newPieceGen(), old: newPieceGen()}
}

// touch loads the first slot of hash h (see Counter.countBatch).
func (g *pieceGen) touch(h uint64) uint64 { return g.slots[h&uint64(len(g.slots)-1)] }

func (g *pieceGen) lookup(h uint64, p string) (int32, bool) {
	if len(p) > maxCachedPiece {
		return 0, false // never stored
	}
	mask := uint64(len(g.slots) - 1)
	want := (h>>pcTagShift)<<pcTagShift | pcOccupied | uint64(len(p))<<pcLenShift
	for i := h & mask; ; i = (i + 1) & mask {
		e := g.slots[i]
		if e == 0 {
			return 0, false
		}
		if e&pcKeyMask == want {
			off := (e >> pcOffShift) & (1<<pcOffBits - 1)
			if string(g.arena[off:off+uint64(len(p))]) == p {
				return int32(e & (1<<pcCountBits - 1)), true
			}
		}
	}
}

// full reports whether the generation has no room for a piece of n bytes.
func (g *pieceGen) full(n int) bool {
	return g.n >= maxCachedPieces || len(g.arena)+n > cap(g.arena)
}

// insert adds a piece that is not in the generation and fits in it.
func (g *pieceGen) insert(h uint64, p string, k int32) {
	mask := uint64(len(g.slots) - 1)
	e := (h>>pcTagShift)<<pcTagShift | pcOccupied |
		uint64(len(g.arena))<<pcOffShift | uint64(len(p))<<pcLenShift | uint64(k)
	g.arena = append(g.arena, p...)
	for i := h & mask; ; i = (i + 1) & mask {
		if g.slots[i] == 0 {
			g.slots[i] = e
			break
		}
	}
	g.n++
}

func (g *pieceGen) reset() {
	clear(g.slots)
	g.arena = g.arena[:0]
	g.n = 0
}

// lookup finds the count of piece p (hash h), moving a piece found in the
// older generation into the current one.
func (c *pieceCache) lookup(h uint64, p string) (int32, bool) {
	if k, ok := c.cur.lookup(h, p); ok {
		return k, true
	}
	if k, ok := c.old.lookup(h, p); ok {
		c.store(h, p, k)
		return k, true
	}
	return 0, false
}

// store caches the count k of piece p (hash h), which is not in the
// current generation. Pieces longer than maxCachedPiece are not kept.
func (c *pieceCache) store(h uint64, p string, k int32) {
	if len(p) > maxCachedPiece || k >= 1<<pcCountBits {
		return
	}
	if c.cur.full(len(p)) {
		c.cur, c.old = c.old, c.cur
		c.cur.reset()
	}
	c.cur.insert(h, p, k)
}
