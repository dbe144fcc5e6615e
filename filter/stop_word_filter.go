package filter

// stopWordFilter rules out most tokens before the stop-word map lookup:
// stop words are few and short, so a token whose byte length or first
// byte no stop word has cannot be one. Counting stop words looks up every
// token of a document, which made this map the quality step's main cost.
type stopWordFilter struct {
	lengths uint64    // bit min(len, 63) set for each stop word's length
	first   [4]uint64 // bit b set for each stop word's first byte b
	empty   bool      // "" is a stop word
}

func newStopWordFilter(words []string) stopWordFilter {
	var f stopWordFilter
	for _, w := range words {
		if w == "" {
			f.empty = true
			continue
		}
		f.lengths |= 1 << min(len(w), 63)
		f.first[w[0]>>6] |= 1 << (w[0] & 63)
	}
	return f
}

// mayHold reports whether t may be a stop word (false: it is not).
func (f *stopWordFilter) mayHold(t string) bool {
	if t == "" {
		return f.empty
	}
	return f.lengths&(1<<min(len(t), 63)) != 0 && f.first[t[0]>>6]&(1<<(t[0]&63)) != 0
}
