package tokens

// The string-keyed heap merge below is the textbook algorithm for long
// pieces; bpeCount (bpe_reference_test.go) uses it, so tests check the
// counter's id-keyed countLong against an independent implementation.

// bpeCountLong counts the BPE tokens of a long piece by bytes (a long run of CJK or
// Thai letters) in O(n log n) with a linked
// list of parts and a min-heap of candidate merges.
func (v vocabulary) bpeCountLong(piece string) int {
	n := int32(len(piece))
	next := make([]int32, n+1)
	prev := make([]int32, n+1)
	rank := make([]uint32, n+1)
	for i := range next {
		next[i], prev[i], rank[i] = int32(i)+1, int32(i)-1, noRank
	}
	next[n] = -1
	rankOf := func(i int32) uint32 {
		j := next[i]
		if j < 0 {
			return noRank
		}
		k := next[j]
		if k < 0 {
			return noRank
		}
		if r, ok := v[piece[i:k]]; ok {
			return r
		}
		return noRank
	}
	h := make(mergeHeap, 0, n)
	for i := int32(0); i < n-1; i++ {
		if r := rankOf(i); r != noRank {
			rank[i] = r
			h = append(h, candidate{r, i})
		}
	}
	h.init()
	parts := int(n)
	for len(h) > 0 {
		c := h.pop()
		i := c.at
		if rank[i] != c.rank || next[i] < 0 {
			continue // stale
		}
		j := next[i]
		k := next[j]
		rank[j] = noRank
		next[j] = -2 // removed
		next[i] = k
		if k >= 0 {
			prev[k] = i
		}
		parts--
		for _, b := range [2]int32{i, prev[i]} {
			if b < 0 {
				continue
			}
			rank[b] = rankOf(b)
			if rank[b] != noRank {
				h.push(candidate{rank[b], b})
			}
		}
	}
	return parts
}
