package fasttext

// wordCache remembers, per goroutine (it lives in the prediction scratch),
// the input rows of recently seen words that are not in the dictionary:
// their character n-gram rows. Computing them costs a hash and a
// pruned-bucket probe per n-gram (about 18 per word for lid.176), while
// words recur (Zipf): on lingua's sentences, 5,000 texts of 1,000
// characters in turn, about 40% of such words were seen shortly before.
//
// Exact by construction: a word's rows are a function of its bytes and the
// model alone, a hit is confirmed by comparing the bytes, and the caller
// adds the rows in the order charNgrams returned them, so the hidden
// vector is summed exactly as without the cache.
//
// Memory is fixed: a direct-mapped slot table and two arenas; when an
// arena is full the whole cache is emptied and refilled.
type wordCache struct {
	slots []wcSlot
	toks  []byte  // words' bytes
	ids   []int32 // words' rows
}

type wcSlot struct {
	hash   uint32
	tokOff uint32
	idsOff uint32
	tokLen uint16 // 0: empty slot (words are never empty)
	idsLen uint16
}

const (
	wcSlotBits  = 13 // 8,192 slots
	wcMaxTok    = 64 // longer words are rare; they are computed each time
	wcTokArena  = 96 << 10
	wcIDsArena  = 48 << 10 // rows (int32)
	wcMaxIDs    = 1 << 10
	wcHashMulti = 0x9E3779B1
)

func (c *wordCache) slot(h uint32) *wcSlot {
	if c.slots == nil {
		c.slots = make([]wcSlot, 1<<wcSlotBits)
		c.toks = make([]byte, 0, wcTokArena)
		c.ids = make([]int32, 0, wcIDsArena)
	}
	return &c.slots[(h*wcHashMulti)>>(32-wcSlotBits)]
}

// get returns the rows cached for tok (FNV hash h).
func (c *wordCache) get(tok string, h uint32) ([]int32, bool) {
	e := c.slot(h)
	if e.tokLen == 0 || e.hash != h || int(e.tokLen) != len(tok) ||
		string(c.toks[e.tokOff:e.tokOff+uint32(e.tokLen)]) != tok {
		return nil, false
	}
	return c.ids[e.idsOff : e.idsOff+uint32(e.idsLen)], true
}

// put caches tok's rows (it is not in the dictionary and not a label).
func (c *wordCache) put(tok string, h uint32, ids []int32) {
	if len(tok) == 0 || len(tok) > wcMaxTok || len(ids) > wcMaxIDs {
		return
	}
	e := c.slot(h)
	if len(c.toks)+len(tok) > cap(c.toks) || len(c.ids)+len(ids) > cap(c.ids) {
		clear(c.slots)
		c.toks, c.ids = c.toks[:0], c.ids[:0]
	}
	*e = wcSlot{hash: h, tokOff: uint32(len(c.toks)), idsOff: uint32(len(c.ids)), tokLen: uint16(len(tok)), idsLen: uint16(len(ids))}
	c.toks = append(c.toks, tok...)
	c.ids = append(c.ids, ids...)
}
