package langid

import (
	"math"
	"math/bits"
)

// scores is per-document scratch for the n-gram scoring.
type scores struct {
	seenKeys  []uint64 // open-addressing set of n-grams already scored, per length
	seenGen   []uint32
	seenShift uint
	seenCount int
	gen       uint32
	val       [numLanguages]float32
	has       [numLanguages]bool
	hit       []int
	sum       [maxNgram + 1][numLanguages]float64
	acc       [256]float64 // one pass's sums, indexed by a uint8 language without bounds checks
	pending   []pendingNgram
	touched   uint32
	unigrams  [numLanguages]uint32 // distinct letters each language's unigram model holds
	total     [numLanguages]float64
	included  [numLanguages]bool
	langOrder []int
}

const initialSeenSetSize = 1 << 12

// firstVisit reports whether key has not been scored yet in this pass. The
// set is cleared by bumping a generation counter rather than by zeroing it,
// and doubles when half full, so a long text costs linear time.
func (s *scores) firstVisit(key uint64) bool {
	if (s.seenCount+1)*2 > len(s.seenKeys) {
		s.growSeen()
	}
	mask := uint64(len(s.seenKeys) - 1)
	i := hashSlot(key, s.seenShift)
	for {
		if s.seenGen[i] != s.gen {
			s.seenGen[i] = s.gen
			s.seenKeys[i] = key
			s.seenCount++
			return true
		}
		if s.seenKeys[i] == key {
			return false
		}
		i = (i + 1) & mask
	}
}

func (s *scores) growSeen() {
	oldKeys, oldGen := s.seenKeys, s.seenGen
	size := max(initialSeenSetSize, 2*len(oldKeys))
	s.seenKeys = make([]uint64, size)
	s.seenGen = make([]uint32, size)
	s.seenShift = uint(64 - bits.TrailingZeros(uint(size)))
	s.seenCount = 0
	gen := s.gen
	s.gen = 1
	mask := uint64(size - 1)
	for i, k := range oldKeys {
		if oldGen[i] == gen && gen != 0 {
			j := hashSlot(k, s.seenShift)
			for s.seenGen[j] == 1 {
				j = (j + 1) & mask
			}
			s.seenGen[j], s.seenKeys[j] = 1, k
			s.seenCount++
		}
	}
}

func (s *scores) newPass() {
	s.gen++
	s.seenCount = 0
	if s.gen == 0 { // wrapped: really clear
		clear(s.seenGen)
		s.gen = 1
	}
}

// tableSet is the tables one scoring pass reads.
type tableSet struct {
	plain   [maxNgram + 1]*ngramTable
	backoff [4]*ngramTable // [2], [3]
}

// lookupBackoff returns, for a bigram or trigram key, every language's
// log-probability of the longest prefix its models hold.
func (ts *tableSet) lookupBackoff(key uint64, n int, first rune) ([]uint8, []float32) {
	for k := n; k >= 2; k-- {
		if langs, logps := ts.backoff[k].lookup(prefixKey(key, k)); langs != nil {
			return langs, logps
		}
	}
	return ts.plain[1].lookup(unigramKey(first))
}

// scoreLength adds, for every distinct n-gram of length n in w, the
// log-probability of its longest prefix each language's models hold (lingua's
// back-off) to s.sum[n]. With n == 1 it also counts, per language, the
// distinct letters its unigram model holds.
func (s *scores) scoreLength(w *words, n int, ts *tableSet) {
	s.newPass()
	// The pass sums into acc, whose 256 entries any uint8 language
	// indexes without a bounds check, and copies the result to s.sum[n]
	// at the end: the same additions in the same order.
	sum := &s.acc
	*sum = [256]float64{}
	if n == 1 {
		s.unigrams = [numLanguages]uint32{}
	}
	for i := range w.count() {
		a, b := w.word(i)
		for j := a; j+n <= b; j++ {
			var key uint64
			if n == 1 {
				key = unigramKey(w.runes[j])
			} else {
				key = uint64(n) << lengthShift
				for k := range n {
					key |= uint64(w.index[j+k]) << charShift(k)
				}
			}
			if !s.firstVisit(key) {
				continue
			}
			switch n {
			case 1:
				langs, logps := ts.plain[1].lookup(key)
				for x, l := range langs {
					sum[l] += float64(logps[x])
					s.unigrams[l]++
				}
			case 2, 3:
				s.pending = append(s.pending, pendingNgram{key: key, first: w.runes[j]})
			default:
				// Longer n-grams only score short texts: start from the
				// trigram back-off and let longer prefixes overwrite.
				s.apply(ts.lookupBackoff(key, 3, w.runes[j]))
				for k := 4; k <= n; k++ {
					s.apply(ts.plain[k].lookup(prefixKey(key, k)))
				}
				for _, l := range s.hit {
					sum[l] += float64(s.val[l])
					s.has[l] = false
				}
				s.hit = s.hit[:0]
			}
		}
	}
	if n == 2 || n == 3 {
		s.sumBackoff(n, ts)
	}
	copy(s.sum[n][:], sum[:numLanguages])
}

// pendingNgram is a distinct bigram or trigram of the text waiting to be
// scored, with the span of its back-off table entries.
type pendingNgram struct {
	key   uint64
	first rune
	found bool   // the back-off table holds key: its entries are [a, b)
	a, b  uint32 // of the table's langs/logps
}

// touchBlock is how many n-grams sumBackoff touches before it sums them.
const touchBlock = 32

// sumBackoff scores the distinct n-grams collected in s.pending, in the
// order they were collected (the order a one-pass loop adds them, so every
// language's sum is the same sequence of additions). The n-grams' table
// slots and entry spans are found first; then, block by block, the first
// and last cache lines of each n-gram's entries are touched in a tight
// loop of independent loads before the block's entries are summed, so the
// processor overlaps a block's cache misses instead of waiting for each
// (touching one n-gram a few ahead inside the summing loop overlapped
// little: the summing fills the reorder buffer behind each miss).
func (s *scores) sumBackoff(n int, ts *tableSet) {
	sum := &s.acc
	t := ts.backoff[n]
	p := s.pending
	for i := range p {
		if sl := t.slot(p[i].key); sl >= 0 {
			p[i].found, p[i].a, p[i].b = true, t.start[sl], t.start[sl+1]
		}
	}
	var touch uint32
	for b0 := 0; b0 < len(p); b0 += touchBlock {
		blk := p[b0:min(b0+touchBlock, len(p))]
		for i := range blk {
			if a, b := blk[i].a, blk[i].b; a < b {
				touch |= uint32(t.langs[a]) | uint32(t.langs[b-1]) | math.Float32bits(t.logps[a]) | math.Float32bits(t.logps[b-1])
			}
		}
		for i := range blk {
			var langs []uint8
			var logps []float32
			if blk[i].found {
				langs, logps = t.langs[blk[i].a:blk[i].b], t.logps[blk[i].a:blk[i].b]
			} else {
				langs, logps = ts.lookupBackoff(blk[i].key, n-1, blk[i].first)
			}
			logps = logps[:len(langs)]
			for x, l := range langs {
				sum[l] += float64(logps[x])
			}
		}
	}
	s.touched = touch // keeps the touching loads
	s.pending = p[:0]
}

func (s *scores) apply(langs []uint8, logps []float32) {
	for i, l := range langs {
		if !s.has[l] {
			s.has[l] = true
			s.hit = append(s.hit, int(l))
		}
		s.val[l] = logps[i]
	}
}

// verdict turns the summed log-probabilities of the kept languages into
// lingua's confidence values (a softmax over exp(sum), computed in log space
// so that long texts do not underflow) and returns the best language, its
// confidence, the runner-up and its confidence. best is -1 when lingua would
// answer Unknown (no language scored, or a tie at the top).
func (s *scores) verdict(keep *[numLanguages]bool, lengths []int) (best int, bestConf float64, second int, secondConf float64) {
	withUnigrams := lengths[0] == 1
	// lingua's unigram counting quirk: a kept language whose unigram sum
	// is zero is counted under language 0 (Afrikaans) instead.
	var counts [numLanguages]uint32
	if withUnigrams {
		anyUnigram := false
		for l := range numLanguages {
			if keep[l] && s.sum[1][l] < 0 {
				anyUnigram = true
			}
		}
		for l := range numLanguages {
			if !keep[l] {
				continue
			}
			if !anyUnigram || s.sum[1][l] < 0 {
				counts[l] += s.unigrams[l]
			} else {
				counts[0] += s.unigrams[0]
			}
		}
	}
	maxTotal := math.Inf(-1)
	s.langOrder = s.langOrder[:0]
	for l := range numLanguages {
		s.included[l] = false
		if !keep[l] {
			continue
		}
		t := 0.0
		for _, n := range lengths {
			if v := s.sum[n][l]; v < 0 {
				t += v
			}
		}
		if withUnigrams && counts[l] > 0 {
			t /= float64(counts[l])
		}
		if t == 0 {
			continue
		}
		s.total[l] = t
		s.included[l] = true
		s.langOrder = append(s.langOrder, l)
		maxTotal = max(maxTotal, t)
	}
	if len(s.langOrder) == 0 {
		return -1, 0, -1, 0
	}
	denom := 0.0
	for _, l := range s.langOrder {
		denom += math.Exp(s.total[l] - maxTotal)
	}
	best, second = -1, -1
	var bestV, secondV float64
	for _, l := range s.langOrder { // ascending language order: ties keep the lower index, as lingua's sort
		v := math.Exp(s.total[l]-maxTotal) / denom
		switch {
		case best < 0 || v > bestV:
			second, secondV = best, bestV
			best, bestV = l, v
		case second < 0 || v > secondV:
			second, secondV = l, v
		}
	}
	if second >= 0 && secondV == bestV {
		return -1, bestV, second, secondV
	}
	return best, bestV, second, secondV
}
