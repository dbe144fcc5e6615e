package tokens

// pairTable answers "which token do two adjacent tokens merge into": for
// every token t and every split of t into two tokens a+b, pairs holds
// a<<32|b → t. During BPE every part is a token, and tiktoken merges two
// parts exactly when their concatenation is a token, so looking the pair
// up by ids is the same test as looking the concatenated bytes up, without
// hashing and comparing strings (the counter's hottest operation).
type pairTable struct {
	pairs  map[uint64]uint32
	byteID [256]uint32
}

func newPairTable(v vocabulary) *pairTable {
	t := &pairTable{pairs: make(map[uint64]uint32, len(v)*3)}
	for i := 0; i < 256; i++ {
		id, ok := v[string([]byte{byte(i)})]
		if !ok {
			id = noRank
		}
		t.byteID[i] = id
	}
	for s, id := range v {
		for k := 1; k < len(s); k++ {
			a, ok := v[s[:k]]
			if !ok {
				continue
			}
			b, ok := v[s[k:]]
			if !ok {
				continue
			}
			t.pairs[uint64(a)<<32|uint64(b)] = id
		}
	}
	return t
}

// count returns the number of tokens BPE gives for piece (len ≤ 256):
// the lowest-ranked mergeable pair is merged first, leftmost on ties.
func (t *pairTable) count(piece string, ids []uint32, ranks []uint32, memo *pairMemo) int {
	n := len(piece)
	ids = ids[:n]
	for i := 0; i < n; i++ {
		ids[i] = t.byteID[piece[i]]
	}
	ranks = ranks[:n]
	for k := 0; k < n-1; k++ {
		ranks[k] = t.rankMemo(ids[k], ids[k+1], memo)
	}
	ranks[n-1] = noRank
	for len(ids) > 1 {
		best, at := uint32(noRank), -1
		for k, r := range ranks[:len(ids)-1] {
			if r < best {
				best, at = r, k
			}
		}
		if at < 0 {
			break
		}
		ids[at] = best // for tiktoken's encodings a token's rank is its id
		ids = append(ids[:at+1], ids[at+2:]...)
		ranks = append(ranks[:at+1], ranks[at+2:]...)
		if at+1 < len(ids) {
			ranks[at] = t.rankMemo(ids[at], ids[at+1], memo)
		} else {
			ranks[at] = noRank
		}
		if at > 0 {
			ranks[at-1] = t.rankMemo(ids[at-1], ids[at], memo)
		}
	}
	return len(ids)
}

func (t *pairTable) rank(a, b uint32) uint32 {
	if r, ok := t.pairs[uint64(a)<<32|uint64(b)]; ok {
		return r
	}
	return noRank
}

// pairMemo is a small direct-mapped cache of pair lookups (64 KB, so it
// stays in the core's cache): the pairs of a script's common letters and
// syllables repeat far more often than the big table can be kept warm.
type pairMemo struct {
	keys [pairMemoSize]uint64
	vals [pairMemoSize]uint32
}

const pairMemoSize = 1 << pairMemoBits

const pairMemoBits = 12

// rankMemo is rank through the memo. Key 0 (two "!" tokens) is never
// cached, so a zeroed memo holds nothing.
func (t *pairTable) rankMemo(a, b uint32, m *pairMemo) uint32 {
	key := uint64(a)<<32 | uint64(b)
	i := (key * 0x9E3779B97F4A7C15) >> (64 - pairMemoBits)
	if m.keys[i] == key && key != 0 {
		return m.vals[i]
	}
	r := t.rank(a, b)
	m.keys[i], m.vals[i] = key, r
	return r
}
