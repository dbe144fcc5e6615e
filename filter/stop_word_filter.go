package filter

// stopWordFilter answers stop-word lookups for the token loop of the
// quality step, which asks once per token of every document (a map lookup
// per token was the step's main cost). Stop words are few and short: a
// token whose byte length or first byte no stop word has is ruled out at
// once, and words of up to 7 bytes are then compared as packed integers in
// a small open-addressing set; longer ones go to the map.
type stopWordFilter struct {
	lengths uint64    // bit min(len, 63) set for each stop word's length
	first   [4]uint64 // bit b set for each stop word's first byte b
	empty   bool      // "" is a stop word
	short   []uint64  // packed words of 1..7 bytes (see packShort); 0: empty slot
	shift   uint      // 64 - log2(len(short))
}

func newStopWordFilter(words []string) stopWordFilter {
	var f stopWordFilter
	n := 0
	for _, w := range words {
		if w == "" {
			f.empty = true
			continue
		}
		f.lengths |= 1 << min(len(w), 63)
		f.first[w[0]>>6] |= 1 << (w[0] & 63)
		if len(w) <= maxPackedLen {
			n++
		}
	}
	size, bits := 8, uint(3)
	for size < 4*n {
		size, bits = size*2, bits+1
	}
	f.short, f.shift = make([]uint64, size), 64-bits
	for _, w := range words {
		if w != "" && len(w) <= maxPackedLen {
			x := packShort(w)
			i := f.slot(x)
			f.short[i] = x
		}
	}
	return f
}

// maxPackedLen is the longest word packShort takes.
const maxPackedLen = 7

// packShort packs a word of 1..7 bytes and its length into a non-zero
// integer; different words give different integers.
func packShort(w string) uint64 {
	x := uint64(len(w)) << 56
	for i := 0; i < len(w); i++ {
		x |= uint64(w[i]) << (8 * i)
	}
	return x
}

// slot returns x's slot in short, or the empty slot where it would go.
func (f *stopWordFilter) slot(x uint64) uint64 {
	mask := uint64(len(f.short) - 1)
	for i := (x * 0x9E3779B97F4A7C15) >> f.shift; ; i = (i + 1) & mask {
		if k := f.short[i]; k == x || k == 0 {
			return i
		}
	}
}

// mayHold reports whether t may be a stop word (false: it is not).
func (f *stopWordFilter) mayHold(t string) bool {
	if t == "" {
		return f.empty
	}
	// One branch on both tests: which tokens pass is random, and a
	// mispredicted branch costs more than the second lookup.
	return f.lengths>>min(len(t), 63)&(f.first[t[0]>>6]>>(t[0]&63))&1 != 0
}

// has reports whether t is a stop word; words is the whole list as a set
// (consulted for words longer than maxPackedLen).
func (f *stopWordFilter) has(t string, words map[string]struct{}) bool {
	if !f.mayHold(t) {
		return false
	}
	if t == "" || len(t) > maxPackedLen || len(f.short) == 0 {
		_, ok := words[t]
		return ok
	}
	x := packShort(t)
	return f.short[f.slot(x)] == x
}
