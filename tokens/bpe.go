package tokens

import "math"

const noRank = math.MaxUint32

// countLong counts the BPE tokens of a long piece (a long run of CJK or
// Thai letters) in O(n log n) with a linked list of parts and a min-heap of
// candidate merges, looking pairs up by ids like count.
func (t *pairTable) countLong(piece string) int {
	n := int32(len(piece))
	next := make([]int32, n+1)
	prev := make([]int32, n+1)
	rank := make([]uint32, n+1)
	ids := make([]uint32, n+1)
	for i := range next {
		next[i], prev[i], rank[i] = int32(i)+1, int32(i)-1, noRank
	}
	next[n] = -1
	for i := int32(0); i < n; i++ {
		ids[i] = t.byteID[piece[i]]
	}
	// part i spans [i, next[i]); n is the end sentinel.
	rankOf := func(i int32) uint32 {
		j := next[i]
		if j < 0 || j >= n {
			return noRank
		}
		return t.rank(ids[i], ids[j])
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
		ids[i] = c.rank // a token's rank is its id
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

type candidate struct {
	rank uint32
	at   int32
}

// mergeHeap is a min-heap by rank, then by offset (leftmost first).
type mergeHeap []candidate

func (h mergeHeap) less(a, b int) bool {
	if h[a].rank != h[b].rank {
		return h[a].rank < h[b].rank
	}
	return h[a].at < h[b].at
}

func (h mergeHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *mergeHeap) push(c candidate) {
	*h = append(*h, c)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s.less(i, p) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *mergeHeap) pop() candidate {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	*h = s[:last]
	h.down(0)
	return top
}

func (h mergeHeap) down(i int) {
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if r := c + 1; r < len(h) && h.less(r, c) {
			c = r
		}
		if !h.less(c, i) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}
