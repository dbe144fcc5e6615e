package filter

import (
	"hash/maphash"
	"sync"
)

// ngramScratch is reusable memory for the n-gram statistics of one
// document: token ids, rolling-hash prefixes and an open-addressing table.
// Hashing id sequences avoids building the joined n-gram strings that
// datatrove compares; two different n-grams colliding in 64 bits is
// negligible.
type ngramScratch struct {
	ids    []uint64 // per token: a hash of its text
	prefix []uint64 // prefix[i] = rolling hash of ids[:i]
	pow    []uint64 // pow[n] = base^n
	runes  []int64  // runes[i] = code points of tokens[:i]
	keys   []uint64
	vals   []int32
	counts []int32
	first  []int32
	posIdx []int32
	rep2   []bool // where the current n-grams repeat (2-grams first)
	rep5   []bool // scratch for the next n's candidates; at the end, 5-grams
	// rep2n and rep5n count the true entries of rep2 and rep5: bounds on
	// the keys of a table over the positions they allow.
	rep2n, rep5n int
	// elemSlots is duplicates' table of line or paragraph indexes.
	elemSlots []int32
}

var scratchPool = sync.Pool{New: func() any { return new(ngramScratch) }}

var tokenSeed = maphash.MakeSeed()

const rollBase = 0x9E3779B97F4A7C15 | 1

func (s *ngramScratch) load(tokens []string, tokenRunes []int32) {
	n := len(tokens)
	s.ids = s.ids[:0]
	s.prefix = append(s.prefix[:0], 0)
	s.runes = append(s.runes[:0], 0)
	for i, t := range tokens {
		id := maphash.String(tokenSeed, t) | 1
		s.ids = append(s.ids, id)
		s.prefix = append(s.prefix, s.prefix[i]*rollBase+id)
		s.runes = append(s.runes, s.runes[i]+int64(tokenRunes[i]))
	}
	if len(s.pow) == 0 {
		s.pow = append(s.pow, 1)
	}
	for len(s.pow) <= 16 {
		s.pow = append(s.pow, s.pow[len(s.pow)-1]*rollBase)
	}
	// Table for up to n keys at load factor <= 1/2.
	size := 16
	for size < 2*n+2 {
		size <<= 1
	}
	if cap(s.keys) < size {
		s.keys = make([]uint64, size)
		s.vals = make([]int32, size)
	}
	s.keys, s.vals = s.keys[:size], s.vals[:size]
}

// hash returns the hash of the n tokens starting at i, never 0.
func (s *ngramScratch) hash(i, n int) uint64 {
	h := s.prefix[i+n] - s.prefix[i]*s.pow[n]
	h ^= h >> 29
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 32
	return h | 1
}

// reset empties the table, sized for m keys at load factor <= 1/2: when
// a prefix filter leaves few positions, a small table is cheaper to clear
// than one for every token.
func (s *ngramScratch) reset(m int) {
	size := 16
	for size < 2*m+2 {
		size <<= 1
	}
	s.keys, s.vals = s.keys[:size], s.vals[:size]
	clear(s.keys)
	s.counts = s.counts[:0]
	s.first = s.first[:0]
}

// slot finds h's slot; inserted reports a new key.
func (s *ngramScratch) slot(h uint64) (int, bool) {
	mask := uint64(len(s.keys) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.keys[i] {
		case h:
			return int(i), false
		case 0:
			s.keys[i] = h
			return int(i), true
		}
	}
}

// countNGrams counts the n-grams at the positions include allows (all when
// nil; maxKeys bounds their number); afterwards s.counts/s.first hold them in first-seen order and
// s.posIdx[i] the entry of position i (-1 when left out).
func (s *ngramScratch) countNGrams(n int, include []bool, maxKeys int) {
	total := len(s.ids) - n + 1
	s.reset(maxKeys)
	s.posIdx = s.posIdx[:0]
	for i := 0; i < total; i++ {
		if include != nil && !include[i] {
			s.posIdx = append(s.posIdx, -1)
			continue
		}
		slot, fresh := s.slot(s.hash(i, n))
		if fresh {
			s.vals[slot] = int32(len(s.counts))
			s.counts = append(s.counts, 1)
			s.first = append(s.first, int32(i))
		} else {
			s.counts[s.vals[slot]]++
		}
		s.posIdx = append(s.posIdx, s.vals[slot])
	}
}

// repeatedAt marks the positions whose counted n-gram occurs twice or more.
// It returns dst and how many positions it marks.
func (s *ngramScratch) repeatedAt(dst []bool) ([]bool, int) {
	dst = dst[:0]
	marked := 0
	for _, k := range s.posIdx {
		r := k >= 0 && s.counts[k] > 1
		if r {
			marked++
		}
		dst = append(dst, r)
	}
	return dst, marked
}

// topNGramChars is datatrove's find_top_duplicate over " ".join n-grams:
// the length of the most frequent n-gram (first seen wins a tie, as
// Counter.most_common) times its count. It must follow countNGrams(n, ...)
// where include left out only n-grams that occur once.
func (s *ngramScratch) topNGramChars(n int) int64 {
	if len(s.ids)-n+1 <= 0 {
		return 0
	}
	best, at, count := -1, 0, int32(1)
	for k, c := range s.counts {
		if best < 0 || c > s.counts[best] {
			best = k
		}
	}
	if best >= 0 && s.counts[best] > 1 {
		at, count = int(s.first[best]), s.counts[best]
	}
	// Otherwise every n-gram occurs once and the first one wins.
	length := s.runes[at+n] - s.runes[at] + int64(n-1)
	return length * int64(count)
}

// duplicateNGramChars is datatrove's find_all_duplicate: walking the tokens,
// a repeated n-gram adds its "".join length and the walk jumps past it.
// repeated marks positions whose n-gram may occur again (nil: all;
// maxKeys bounds how many it marks); an
// n-gram that occurs once in the document never matches, so those
// positions skip the table.
func (s *ngramScratch) duplicateNGramChars(n int, repeated []bool, maxKeys int) int64 {
	s.reset(maxKeys)
	var total int64
	for i := 0; i < len(s.ids)-n+1; {
		if repeated != nil && !repeated[i] {
			i++
			continue
		}
		_, fresh := s.slot(s.hash(i, n))
		if fresh {
			i++
			continue
		}
		total += s.runes[i+n] - s.runes[i]
		i += n
	}
	return total
}

// repetitionStats computes the top n-gram (n = 2..4) and duplicated
// n-gram (n = 5..10) character counts. Whether an n-gram can repeat is
// known from its prefixes: a repeated 3- or 4-gram starts with a repeated
// 2-gram, a repeated 6..10-gram with a repeated 5-gram, so most positions
// of ordinary prose skip the hash table.
func (s *ngramScratch) repetitionStats(top *[maxTopN + 1]int64, dup *[maxDupN + 1]int64) {
	s.countNGrams(2, nil, len(s.ids))
	top[2] = s.topNGramChars(2)
	s.rep2, s.rep2n = s.repeatedAt(s.rep2)
	// An n-gram repeats only if both its (n-1)-grams do: each pass
	// counts just the positions the previous one left possible.
	for n := 3; n <= minDupN; n++ {
		s.rep5, s.rep5n = bothRepeated(s.rep5, s.rep2)
		s.countNGrams(n, s.rep5, s.rep5n)
		if n <= maxTopN {
			top[n] = s.topNGramChars(n)
		}
		s.rep2, s.rep2n = s.repeatedAt(s.rep2)
	}
	// rep2 now marks the repeated 5-grams; swap (not alias) the buffers.
	s.rep5, s.rep2 = s.rep2, s.rep5
	s.rep5n = s.rep2n
	for n := minDupN; n <= maxDupN; n++ {
		dup[n] = s.duplicateNGramChars(n, s.rep5, s.rep5n)
	}
}

// duplicates is datatrove's find_duplicates: how many elements repeat an
// earlier one, and their total length in code points. It uses a pooled
// open-addressing table of element indexes (compared by string, so exact)
// instead of a fresh map per document.
func duplicates(elems []string, runes func(i int) int) (dups int, chars int) {
	s := scratchPool.Get().(*ngramScratch)
	defer scratchPool.Put(s)
	size := 16
	for size < 2*len(elems)+2 {
		size <<= 1
	}
	if cap(s.elemSlots) < size {
		s.elemSlots = make([]int32, size)
	}
	slots := s.elemSlots[:size]
	clear(slots) // 0: empty; otherwise element index + 1
	mask := uint64(size - 1)
	for i, e := range elems {
		for k := maphash.String(tokenSeed, e) & mask; ; k = (k + 1) & mask {
			j := slots[k]
			if j == 0 {
				slots[k] = int32(i + 1)
				break
			}
			if elems[j-1] == e {
				dups++
				chars += runes(i)
				break
			}
		}
	}
	return
}

// bothRepeated sets dst[i] to rep[i] && rep[i+1]: whether the (n+1)-gram
// at i may repeat, given where the n-grams repeat. It returns dst and how
// many positions it marks.
func bothRepeated(dst, rep []bool) ([]bool, int) {
	dst = dst[:0]
	marked := 0
	for i := 0; i+1 < len(rep); i++ {
		r := rep[i] && rep[i+1]
		if r {
			marked++
		}
		dst = append(dst, r)
	}
	return dst, marked
}
