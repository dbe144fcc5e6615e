package filter

import (
	"hash/maphash"
	"math"
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
	// tokenRunes is the analysis' TokenRunes, for the few n-grams whose
	// length is asked (summed when asked: a prefix sum over every token
	// cost more than the sums).
	tokenRunes []int32
	table      []ngramSlot
	grams      []ngram // the counted n-grams, in first-seen order
	entry      []int32 // entry[k]: the grams index of the k-th counted position
	rep        []int32 // positions whose current n-gram repeats (2-grams first)
	cand       []int32 // positions whose next n-gram may repeat
	// elemSlots is duplicates' table of line or paragraph indexes.
	elemSlots []int32
}

// ngramSlot is an entry of ngramScratch's table: a tag (the high half of
// the n-gram's hash, bit 0 set; 0: empty) and the n-gram's grams index.
// Eight bytes rather than the whole hash and the index (sixteen with
// padding) halve the table, which the probes reach at random: a tag match
// is confirmed against the full hash in grams, so the table tells the same
// n-grams apart as one keyed by the 64-bit hash.
type ngramSlot struct {
	tag uint32
	val int32
}

// ngram is a counted n-gram: its hash, count and first position.
type ngram struct {
	key   uint64
	count int32
	first int32
}

var scratchPool = sync.Pool{New: func() any { return new(ngramScratch) }}

var tokenSeed = maphash.MakeSeed()

const rollBase = 0x9E3779B97F4A7C15 | 1

func (s *ngramScratch) load(a *Analysis) {
	tokens, tokenRunes, text := a.Tokens, a.TokenRunes, a.text
	starts := a.tokenStarts
	if len(starts) != len(tokens) || len(text) > math.MaxInt32 {
		starts = nil
	}
	n := len(tokens)
	s.ids = reuse(s.ids, n)[:n]
	s.prefix = reuse(s.prefix, n+1)[:n+1]
	ids, prefix := s.ids, s.prefix[1:]
	s.tokenRunes = tokenRunes[:n]
	var p uint64
	for i, t := range tokens {
		var id uint64
		switch {
		case len(t) > 16:
			id = maphash.String(tokenSeed, t) | 1
		case len(t) > maxPackedLen:
			id = mediumTokenID(load8(t, 0), load8(t, len(t)-8), len(t))
		case starts != nil && int(starts[i])+8 <= len(text):
			id = shortTokenID(load8(text, int(starts[i])), len(t))
		default: // near the end of the text: the same id, byte by byte
			var w uint64
			for k := len(t) - 1; k >= 0; k-- {
				w = w<<8 | uint64(t[k])
			}
			id = shortTokenID(w, len(t))
		}
		ids[i] = id
		p = p*rollBase + id
		prefix[i] = p
	}
	s.prefix[0] = 0
	if len(s.pow) == 0 {
		s.pow = append(s.pow, 1)
	}
	for len(s.pow) <= 16 {
		s.pow = append(s.pow, s.pow[len(s.pow)-1]*rollBase)
	}
	// Table for up to n keys at load factor <= 1/4 (reset).
	size := 16
	for size < 4*n+4 {
		size <<= 1
	}
	if cap(s.table) < size {
		s.table = make([]ngramSlot, size)
	}
	s.table = s.table[:size]
}

// shortSeed randomises shortTokenID per process, as tokenSeed does
// maphash's.
var shortSeed = maphash.Comparable(maphash.MakeSeed(), 0)

// shortTokenID is the id of a token of n <= 7 bytes whose bytes are the
// low n bytes of w (loaded from the text, so without a per-byte loop):
// the bytes and the length packed into one integer, then mixed by a
// bijection. Two different short tokens get ids that differ beyond bit 0
// (which is set, as for the other ids); a short and a long token collide
// with maphash odds.
func shortTokenID(w uint64, n int) uint64 {
	x := w&(1<<(8*n)-1) | uint64(n)<<56
	x ^= shortSeed
	x *= 0x9E3779B97F4A7C15
	x ^= x >> 29
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 32
	return x | 1
}

// mediumSeeds randomise mediumTokenID per process.
var mediumSeeds = [2]uint64{maphash.Comparable(maphash.MakeSeed(), 1), maphash.Comparable(maphash.MakeSeed(), 2)}

// mediumTokenID is the id of a token of n = 8..16 bytes whose first and
// last eight bytes are lo and hi (which, with n, determine the token):
// maphash.String costs a call and a length dispatch for these common word
// lengths; two seeded bijective mixes combined by a multiply-add collide
// for two different tokens with odds of about 2^-64, as the other ids do.
func mediumTokenID(lo, hi uint64, n int) uint64 {
	a := mix64(lo ^ mediumSeeds[0])
	b := mix64(hi ^ mediumSeeds[1] + uint64(n))
	return mix64(a*0x9E3779B97F4A7C15+b) | 1
}

// mix64 is splitmix64's finaliser, a bijection of the 64-bit integers.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

// hash returns the hash of the n tokens starting at i, never 0.
func (s *ngramScratch) hash(i, n int) uint64 {
	var h uint64
	if n == 2 { // the same value, with one product and two loads
		h = s.ids[i]*rollBase + s.ids[i+1]
	} else {
		h = s.prefix[i+n] - s.prefix[i]*s.pow[n]
	}
	h ^= h >> 29
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 32
	return h | 1
}

// reset empties the table, sized for m keys at load factor <= 1/4 (a
// probe then rarely meets another n-gram, and the 8-byte slots keep the
// table as small as 16-byte ones at 1/2 were; 1/2 and 1/8 were slower):
// when a prefix filter leaves few positions, a small table is cheaper to
// clear than one for every token.
func (s *ngramScratch) reset(m int) {
	size := 16
	for size < 4*m+4 {
		size <<= 1
	}
	s.table = s.table[:size]
	clear(s.table)
	s.grams = reuse(s.grams, m) // at most m n-grams: append never grows it
}

// countNGrams counts the n-grams starting at the positions in at (all
// positions when at is nil; otherwise ascending); afterwards
// s.counts/s.first hold them in first-seen order and s.entry[k] the entry
// of the k-th counted position.
func (s *ngramScratch) countNGrams(n int, at []int32) {
	total := len(s.ids) - n + 1
	if at == nil {
		s.reset(total)
		s.entry = reuse(s.entry, total)[:max(total, 0)]
		for i := range s.entry {
			s.entry[i] = s.add(i, n)
		}
		return
	}
	s.reset(len(at))
	s.entry = reuse(s.entry, len(at))[:len(at)]
	for k, i := range at {
		s.entry[k] = s.add(int(i), n)
	}
}

// add counts the n-gram at i and returns its entry. (The probe starts
// from the hash's bits above bit 0, which hash always sets; the tag is
// its high half.)
func (s *ngramScratch) add(i, n int) int32 {
	h := s.hash(i, n)
	tag := uint32(h>>32) | 1
	mask := uint64(len(s.table) - 1)
	for j := h >> 1 & mask; ; j = (j + 1) & mask {
		sl := &s.table[j]
		if sl.tag == tag {
			if g := &s.grams[sl.val]; g.key == h {
				g.count++
				return sl.val
			}
		} else if sl.tag == 0 {
			k := int32(len(s.grams))
			*sl = ngramSlot{tag, k}
			s.grams = append(s.grams, ngram{h, 1, int32(i)})
			return k
		}
	}
}

// repeatedAt appends to dst the counted positions (at, or all when nil)
// whose n-gram occurs twice or more, in ascending order.
func (s *ngramScratch) repeatedAt(dst, at []int32) []int32 {
	// Written unconditionally and kept by advancing m: whether an n-gram
	// repeats follows no pattern the processor could predict.
	dst = reuse(dst, len(s.entry))[:len(s.entry)]
	m := 0
	grams := s.grams
	if at == nil {
		for k, e := range s.entry {
			dst[m] = int32(k)
			m += b2i(grams[e].count > 1)
		}
	} else {
		at = at[:len(s.entry)]
		for k, e := range s.entry {
			dst[m] = at[k]
			m += b2i(grams[e].count > 1)
		}
	}
	return dst[:m]
}

// b2i is 1 for true, 0 for false (compiled to a flag move, no branch).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// topNGramChars is datatrove's find_top_duplicate over " ".join n-grams:
// the length of the most frequent n-gram (first seen wins a tie, as
// Counter.most_common) times its count. It must follow countNGrams(n, ...)
// where the positions left out hold only n-grams that occur once.
func (s *ngramScratch) topNGramChars(n int) int64 {
	if len(s.ids)-n+1 <= 0 {
		return 0
	}
	best, at, count := -1, 0, int32(1)
	for k, g := range s.grams {
		if best < 0 || g.count > s.grams[best].count {
			best = k
		}
	}
	if best >= 0 && s.grams[best].count > 1 {
		at, count = int(s.grams[best].first), s.grams[best].count
	}
	// Otherwise every n-gram occurs once and the first one wins.
	length := s.runesOf(at, n) + int64(n-1)
	return length * int64(count)
}

// duplicateNGramChars is datatrove's find_all_duplicate: walking the tokens,
// a repeated n-gram adds its "".join length and the walk jumps past it.
// Only the positions in at (ascending; at least those whose n-gram
// occurs twice or more) are looked at: an n-gram that occurs once in the
// document never matches, so the walk steps over the other positions one
// by one, touching nothing.
func (s *ngramScratch) duplicateNGramChars(n int, at []int32) int64 {
	s.reset(len(at))
	var total int64
	last := len(s.ids) - n // the last position an n-gram starts at
	next := 0              // the walk's next position
	for _, p := range at {
		i := int(p)
		if i > last {
			break
		}
		if i < next {
			continue // inside a duplicate the walk jumped over
		}
		if s.grams[s.add(i, n)].count == 1 { // first seen
			next = i + 1
			continue
		}
		total += s.runesOf(i, n)
		next = i + n
	}
	return total
}

// runesOf is the code point length of the n tokens starting at i.
func (s *ngramScratch) runesOf(i, n int) int64 {
	var r int64
	for _, c := range s.tokenRunes[i : i+n] {
		r += int64(c)
	}
	return r
}

// repetitionStats computes the top n-gram (n = 2..4) and duplicated
// n-gram (n = 5..10) character counts. Whether an n-gram can repeat is
// known from its prefixes: a repeated 3- or 4-gram starts with a repeated
// 2-gram, a repeated 6..10-gram with a repeated 5-gram, so after the
// 2-grams only the (few) positions that can still repeat are visited.
func (s *ngramScratch) repetitionStats(top *[maxTopN + 1]int64, dup *[maxDupN + 1]int64) {
	s.countNGrams(2, nil)
	top[2] = s.topNGramChars(2)
	s.rep = s.repeatedAt(s.rep, nil)
	// An n-gram repeats only if both its (n-1)-grams do: each pass
	// counts just the positions the previous one left possible.
	for n := 3; n <= minDupN; n++ {
		s.cand = bothRepeated(s.cand, s.rep)
		s.countNGrams(n, s.cand)
		if n <= maxTopN {
			top[n] = s.topNGramChars(n)
		}
		s.rep = s.repeatedAt(s.rep, s.cand)
	}
	// s.rep now holds the positions of repeated 5-grams. Of them, only
	// those followed by the next one can start a repeated 6-gram, and so
	// on: the walks look at fewer positions as n grows.
	for n := minDupN; n <= maxDupN; n++ {
		if n > minDupN {
			s.cand = bothRepeated(s.cand, s.rep)
			s.rep, s.cand = s.cand, s.rep
		}
		dup[n] = s.duplicateNGramChars(n, s.rep)
	}
	s.tokenRunes = nil // the analysis' memory, not to be kept in the pool
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

// bothRepeated appends to dst the positions i of rep (ascending) with
// i+1 also in rep: where an (n+1)-gram may repeat, given where the n-grams
// repeat.
func bothRepeated(dst, rep []int32) []int32 {
	if len(rep) < 2 {
		return dst[:0]
	}
	dst = reuse(dst, len(rep)-1)[:len(rep)-1]
	m := 0
	for k := 0; k+1 < len(rep); k++ {
		dst[m] = rep[k] // kept by advancing m, without a branch (repeatedAt)
		m += b2i(rep[k+1] == rep[k]+1)
	}
	return dst[:m]
}
