package tokens

import "math/bits"

// pairTable answers "which token do two adjacent tokens merge into": for
// every token t and every split of t into two tokens a+b, it maps (a, b)
// to t. During BPE every part is a token, and tiktoken merges two parts
// exactly when their concatenation is a token, so looking the pair up by
// ids is the same test as looking the concatenated bytes up, without
// hashing and comparing strings (the counter's hottest operation).
//
// The table is open-addressing with the whole entry packed in one uint64
// (ids are below 2^17): a lookup is one multiply and, almost always, one
// cache line, where a Go map reads a control word and a slot group.
type pairTable struct {
	slots  []uint64 // 0 is empty; else pairOccupied | a<<34 | b<<17 | t
	shift  uint     // 64 - log2(len(slots))
	byteID [256]uint32
	// left and right are bit sets of the tokens that are the left
	// (right) part of some pair. Only a third of the tokens are, so most
	// pairs of two merged parts are known not to merge from 32 KB that
	// stay in the core's cache, without probing the table (megabytes).
	left, right [1 << pairIDBits / 64]uint64
	// bloom is a blocked Bloom filter of the pairs (one 64-bit word per
	// pair, four bits set in it, 256 KB): it answers "does not merge" for
	// almost all the remaining pairs that do not, again without the table.
	bloom []uint64
	// bytePair is the merge of every two bytes, indexed by the bytes
	// (256 KB): the first round of every merge, without hashing, and the
	// pairs of one script's bytes share a few cache lines.
	bytePair *[1 << 16]uint32
}

const pairBloomBits = 15

// bloomMask is the four bits of a pair's word in the Bloom filter, from
// bits of its hash that the word's index does not use.
func bloomMask(h uint64) uint64 {
	return 1<<(h>>20&63) | 1<<(h>>26&63) | 1<<(h>>32&63) | 1<<(h>>38&63)
}

const (
	pairIDBits   = 17
	pairIDMask   = 1<<pairIDBits - 1
	pairKeyShift = pairIDBits
	pairOccupied = uint64(1) << (3 * pairIDBits)
	pairKeyMask  = pairOccupied | (1<<(2*pairIDBits)-1)<<pairKeyShift
	// pairNone is the stored value of a pair that does not merge (memo).
	pairNone = pairIDMask
)

func pairKey(a, b uint32) uint64 { return uint64(a)<<pairIDBits | uint64(b) }

// pairHash spreads a pair key (Fibonacci hashing); tables index by its top
// bits.
func pairHash(key uint64) uint64 { return key * 0x9E3779B97F4A7C15 }

// newPairTable builds the table of the tokens byID ("" is a gap) from
// the token table of the same tokens. A split is probed in the token
// table, not a map of strings: its lookups are the counter's and cheaper,
// and the tokens are walked in id order (a slice, not a map's random
// order). The suffix is probed only when the prefix is a token.
func newPairTable(byID []string, tt *tokenTable) *pairTable {
	t := &pairTable{bloom: make([]uint64, 1<<pairBloomBits)}
	for i := 0; i < 256; i++ {
		b := string([]byte{byte(i)})
		id, ok := tt.lookup(hashPiece(b), b)
		if !ok {
			id = noRank
		}
		t.byteID[i] = id
	}
	// cl100k has 2.3 pairs a token: room for 3 spares growing a 4 MB
	// slice step by step (a sixth of the build).
	entries := make([]pairEntry, 0, 3*len(byID))
	for id, s := range byID {
		for k := 1; k < len(s); k++ {
			a, ok := tt.lookup(hashPiece(s[:k]), s[:k])
			if !ok {
				continue
			}
			b, ok := tt.lookup(hashPiece(s[k:]), s[k:])
			if !ok {
				continue
			}
			entries = t.add(entries, a, b, uint32(id))
		}
	}
	t.fill(entries)
	return t
}

// pairEntry is a split of token t into two tokens (key is pairKey).
type pairEntry struct{ key, t uint64 }

// add records that a and b merge into id in the filters and appends the
// entry for fill.
func (t *pairTable) add(entries []pairEntry, a, b, id uint32) []pairEntry {
	t.left[a/64] |= 1 << (a % 64)
	t.right[b/64] |= 1 << (b % 64)
	h := pairHash(pairKey(a, b))
	t.bloom[h>>(64-pairBloomBits)] |= bloomMask(h)
	return append(entries, pairEntry{pairKey(a, b), uint64(id)})
}

// fill builds the hash table of the entries and the byte pairs.
func (t *pairTable) fill(entries []pairEntry) {
	logSize := bits.Len(uint(len(entries)) * 2) // load ≤ 0.5
	t.slots = hugeSlice[uint64](1<<logSize, t)
	t.shift = uint(64 - logSize)
	mask := uint64(len(t.slots) - 1)
	for _, e := range entries {
		i := pairHash(e.key) >> t.shift
		for ; t.slots[i] != 0; i = (i + 1) & mask {
			if t.slots[i]&pairKeyMask == pairOccupied|e.key<<pairKeyShift {
				break // the same pair from another split: same token
			}
		}
		t.slots[i] = pairOccupied | e.key<<pairKeyShift | e.t
	}
	t.bytePair = new([1 << 16]uint32)
	for x := 0; x < 256; x++ {
		for y := 0; y < 256; y++ {
			r := uint32(noRank)
			if t.byteID[x] != noRank && t.byteID[y] != noRank {
				r = t.rank(t.byteID[x], t.byteID[y])
			}
			t.bytePair[x<<8|y] = r
		}
	}
}

// count returns the number of tokens BPE gives for piece (len ≤ 256):
// the lowest-ranked mergeable pair is merged first, leftmost on ties. It
// is countParts with a buffer of its own; ids and ranks, the scratch space
// of an earlier unpacked merge, are unused (tests call count).
func (t *pairTable) count(piece string, _, _ []uint32, memo *pairMemo) int {
	parts := make([]uint64, len(piece))
	return t.countParts(piece, parts, memo)
}

// countParts is count with the parts packed as id<<32 | rank of the
// merge with the next part: one array to scan and to close gaps in.
// parts has room for len(piece) entries.
func (t *pairTable) countParts(piece string, parts []uint64, memo *pairMemo) int {
	n := len(piece)
	if n == 0 {
		return 0
	}
	parts = parts[:n]
	prev := piece[0]
	for i := 1; i < n; i++ {
		b := piece[i]
		parts[i-1] = uint64(t.byteID[prev])<<32 | uint64(t.bytePair[uint16(prev)<<8|uint16(b)])
		prev = b
	}
	parts[n-1] = uint64(t.byteID[prev])<<32 | noRank
	for len(parts) > 1 {
		best, at := uint32(noRank), -1
		for k, p := range parts[:len(parts)-1] {
			if r := uint32(p); r < best {
				best, at = r, k
			}
		}
		if at < 0 {
			break
		}
		// for tiktoken's encodings a token's rank is its id
		parts = append(parts[:at+1], parts[at+2:]...)
		r := uint32(noRank)
		if at+1 < len(parts) {
			if next := uint32(parts[at+1] >> 32); t.mayMerge(best, next) {
				r = t.rankMemoSlow(best, next, memo)
			}
		}
		parts[at] = uint64(best)<<32 | uint64(r)
		if at > 0 {
			p := uint32(parts[at-1] >> 32)
			r := uint32(noRank)
			if t.mayMerge(p, best) {
				r = t.rankMemoSlow(p, best, memo)
			}
			parts[at-1] = uint64(p)<<32 | uint64(r)
		}
	}
	return len(parts)
}

// rank returns the token a and b merge into, or noRank.
func (t *pairTable) rank(a, b uint32) uint32 {
	key := pairKey(a, b)
	return t.rankHashed(key, pairHash(key))
}

func (t *pairTable) rankHashed(key, h uint64) uint32 {
	want := pairOccupied | key<<pairKeyShift
	mask := uint64(len(t.slots) - 1)
	for i := h >> t.shift; ; i = (i + 1) & mask {
		e := t.slots[i]
		if e&pairKeyMask == want {
			return uint32(e & pairIDMask)
		}
		if e == 0 {
			return noRank
		}
	}
}

// pairMemo is a small direct-mapped cache of pair lookups, entries packed
// like the table's (128 KB, so it stays in the core's cache): the pairs of
// a script's common letters and syllables repeat far more often than the
// big table can be kept warm. The zero value is empty.
type pairMemo struct {
	slots [pairMemoSize]uint64
}

const pairMemoSize = 1 << pairMemoBits

const pairMemoBits = 14

// rankMemo is rank through filters and the memo. Most pairs of adjacent
// parts do not merge, and the table is megabytes: the left/right bit sets
// and the Bloom filter (all in the core's caches) answer most of those,
// and the memo most of the pairs that do merge.
func (t *pairTable) rankMemo(a, b uint32, m *pairMemo) uint32 {
	if !t.mayMerge(a, b) {
		return noRank
	}
	return t.rankMemoSlow(a, b, m)
}

// mayMerge is false when a is no pair's left part or b no pair's right
// part (small enough to be inlined into the merge loop).
func (t *pairTable) mayMerge(a, b uint32) bool {
	const words = 1<<pairIDBits/64 - 1 // the mask drops bounds checks
	return (t.left[a/64&words]>>(a%64))&(t.right[b/64&words]>>(b%64))&1 != 0
}

// rankMemoSlow is rankMemo past the bit sets (kept apart so that the test
// of the bit sets is inlined into the merge loop).
func (t *pairTable) rankMemoSlow(a, b uint32, m *pairMemo) uint32 {
	key := pairKey(a, b)
	h := pairHash(key)
	want := pairOccupied | key<<pairKeyShift
	i := h >> (64 - pairMemoBits)
	if e := m.slots[i]; e&pairKeyMask == want {
		if r := uint32(e & pairIDMask); r != pairNone {
			return r
		}
		return noRank
	}
	if bm := bloomMask(h); t.bloom[h>>(64-pairBloomBits)]&bm != bm {
		return noRank
	}
	r := t.rankHashed(key, h)
	v := uint64(pairNone)
	if r != noRank {
		v = uint64(r)
	}
	m.slots[i] = want | v
	return r
}
