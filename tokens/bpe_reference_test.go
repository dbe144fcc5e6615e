package tokens

// The string-keyed merge below is the textbook BPE loop; tests use it as an
// independent check of the pair-table merge the counter uses.

// bpeCount returns how many tokens byte-pair encoding turns piece into:
// starting from single bytes, the adjacent pair whose concatenation has
// the lowest rank is merged until no pair is in the vocabulary (ties go to
// the leftmost pair, as in tiktoken). Only the count is needed, so the
// parts are never materialised as strings.
//
// bounds is scratch space reused between calls; pieces are short (a word),
// so the quadratic scan beats a heap for all but long runs of CJK or Thai
// letters, which bpeCountLong handles.
func (v vocabulary) bpeCount(piece string, bounds []int32) (int, []int32) {
	n := len(piece)
	if n <= 1 {
		return n, bounds
	}
	if n > 256 {
		return v.bpeCountLong(piece), bounds
	}
	// bounds[k] is the start offset of part k; ranks[k] the rank of
	// merging part k with part k+1.
	bounds = bounds[:0]
	for i := 0; i <= n; i++ {
		bounds = append(bounds, int32(i))
	}
	var rankBuf [257]uint32
	ranks := rankBuf[:n]
	rankOf := func(k int) uint32 {
		if k+2 >= len(bounds) {
			return noRank
		}
		if r, ok := v[piece[bounds[k]:bounds[k+2]]]; ok {
			return r
		}
		return noRank
	}
	for k := 0; k < n-1; k++ {
		ranks[k] = rankOf(k)
	}
	ranks[n-1] = noRank
	for len(bounds) > 2 {
		best, at := uint32(noRank), -1
		for k, r := range ranks[:len(bounds)-1] {
			if r < best {
				best, at = r, k
			}
		}
		if at < 0 {
			break
		}
		// Merge part at with part at+1: drop boundary at+1.
		bounds = append(bounds[:at+1], bounds[at+2:]...)
		ranks = append(ranks[:at+1], ranks[at+2:]...)
		ranks[at] = rankOf(at)
		if at > 0 {
			ranks[at-1] = rankOf(at - 1)
		}
	}
	return len(bounds) - 1, bounds
}
