package fasttext

import (
	"bytes"
	"fmt"
	"math/bits"
)

// dictionary is fastText's Dictionary as prediction needs it: the entries
// (words first, then labels), a hash table from word to index, each word's
// precomputed subword rows, and the pruned-bucket remapping of quantized
// models.
type dictionary struct {
	size, nwords, nlabels int32
	arena                 []byte  // all entries' bytes
	offs                  []int32 // entry i is arena[offs[i]:offs[i+1]]
	counts                []int64 // label counts (hierarchical softmax tree)
	table                 []int32 // open addressing on hash(word): entry index or -1
	mask                  uint32
	// pruneSize is fastText's pruneidx_size_: -1 for an unpruned
	// dictionary, otherwise the number of kept n-gram buckets.
	pruneSize int64
	prune     pruneMap
	// sub/subOffs hold each word's rows (the word, then its character
	// n-grams) when precomputed; nil means they are computed per token.
	sub     []int32
	subOffs []int32
}

// hash is fastText's FNV-1a variant: bytes are sign-extended first.
func hash(s []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range s {
		h ^= uint32(int32(int8(c)))
		h *= 16777619
	}
	return h
}

func hashString(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(int32(int8(s[i])))
		h *= 16777619
	}
	return h
}

func (d *dictionary) word(i int32) string { return string(d.arena[d.offs[i]:d.offs[i+1]]) }

func (d *dictionary) pruned() bool { return d.pruneSize >= 0 }

func (d *dictionary) read(r *reader) error {
	var err error
	if d.size, err = r.i32("dictionary size"); err != nil {
		return err
	}
	if d.nwords, err = r.i32("dictionary word count"); err != nil {
		return err
	}
	if d.nlabels, err = r.i32("dictionary label count"); err != nil {
		return err
	}
	if _, err = r.i64("dictionary token count"); err != nil {
		return err
	}
	if d.pruneSize, err = r.i64("dictionary pruned-bucket count"); err != nil {
		return err
	}
	if d.size < 0 || d.nwords < 0 || d.nlabels < 0 || int64(d.nwords)+int64(d.nlabels) != int64(d.size) {
		return fmt.Errorf("dictionary counts disagree: size %d, words %d, labels %d", d.size, d.nwords, d.nlabels)
	}
	// Each entry takes at least 10 bytes (NUL, count, type).
	if err := r.room(int64(d.size), 10, "dictionary entries"); err != nil {
		return err
	}
	d.offs = make([]int32, 0, d.size+1)
	d.offs = append(d.offs, 0)
	d.counts = make([]int64, 0, d.nlabels)
	for i := int32(0); i < d.size; i++ {
		what := fmt.Sprintf("dictionary entry %d", i)
		if d.arena, err = r.cstring(d.arena, what); err != nil {
			return err
		}
		if len(d.arena) > 1<<31-1 {
			return fmt.Errorf("dictionary larger than 2 GiB")
		}
		d.offs = append(d.offs, int32(len(d.arena)))
		cnt, err := r.i64(what + " count")
		if err != nil {
			return err
		}
		typ, err := r.u8(what + " type")
		if err != nil {
			return err
		}
		wantLabel := i >= d.nwords
		if typ > 1 || (typ == 1) != wantLabel {
			return fmt.Errorf("%s %q has type %d; words (0) must precede labels (1)", what, d.word(i), typ)
		}
		if wantLabel {
			d.counts = append(d.counts, cnt)
		}
	}
	d.arena = bytes.Clone(d.arena) // drop append's spare capacity
	if d.pruneSize >= 0 {
		if err := r.room(d.pruneSize, 8, "pruned-bucket table"); err != nil {
			return err
		}
		d.prune.init(int(d.pruneSize))
		for i := int64(0); i < d.pruneSize; i++ {
			k, err := r.i32("pruned-bucket key")
			if err != nil {
				return err
			}
			v, err := r.i32("pruned-bucket value")
			if err != nil {
				return err
			}
			if v < 0 {
				return fmt.Errorf("pruned-bucket table maps %d to negative row %d", k, v)
			}
			d.prune.set(k, v)
		}
	} else if d.pruneSize != -1 {
		return fmt.Errorf("pruned-bucket count %d is negative", d.pruneSize)
	}
	// The word table: fastText's word2int_, with a power-of-two size.
	n := uint32(1) << bits.Len32(uint32(float64(d.size)/0.7)+1)
	d.table = make([]int32, n)
	d.mask = n - 1
	for i := range d.table {
		d.table[i] = -1
	}
	for i := int32(0); i < d.size; i++ {
		w := d.arena[d.offs[i]:d.offs[i+1]]
		j := d.slot(w, hash(w))
		d.table[j] = i // a repeated word: the later entry wins, as in fastText
	}
	return nil
}

func (d *dictionary) slot(w []byte, h uint32) uint32 {
	j := h & d.mask
	for {
		e := d.table[j]
		if e < 0 || bytes.Equal(d.arena[d.offs[e]:d.offs[e+1]], w) {
			return j
		}
		j = (j + 1) & d.mask
	}
}

// idString is id for a string (no copy).
func (d *dictionary) idString(w string, h uint32) int32 {
	j := h & d.mask
	for {
		e := d.table[j]
		if e < 0 || string(d.arena[d.offs[e]:d.offs[e+1]]) == w {
			return e
		}
		j = (j + 1) & d.mask
	}
}

// id returns the entry index of w (hash h) or -1.
func (d *dictionary) id(w []byte, h uint32) int32 { return d.table[d.slot(w, h)] }

// initSubwords precomputes every word's rows when that costs little
// memory next to the model; otherwise they are computed per token (the
// same function, so the same rows).
func (d *dictionary) initSubwords(m *Model) {
	// An average word yields about (len+2)*(maxn-minn+1) n-grams; bound
	// the table at 32 MiB.
	est := int64(len(d.arena)) * int64(max(1, m.maxn-m.minn+1))
	if est*4 > 32<<20 {
		return
	}
	d.subOffs = make([]int32, d.nwords+1)
	var buf []byte
	for i := int32(0); i < d.nwords; i++ {
		d.sub = append(d.sub, i)
		w := d.arena[d.offs[i]:d.offs[i+1]]
		if string(w) != eos {
			buf = append(append(append(buf[:0], '<'), w...), '>')
			d.sub = m.charNgrams(buf, d.sub)
		}
		d.subOffs[i+1] = int32(len(d.sub))
	}
}

// pruneMap is fastText's pruneidx_ (n-gram bucket → kept row) as a
// bitset over the buckets with a rank index: a bucket that was pruned
// away (most of them) costs one bit test in a table small enough for the
// cache, instead of a hash probe.
type pruneMap struct {
	bits   []uint64
	ranks  []uint32 // set bits before each word
	vals   []int32  // rows in bucket order
	maxVal int64
	pairs  [][2]int32 // collected while reading
}

func (p *pruneMap) init(n int) {
	p.pairs = make([][2]int32, 0, n)
	p.maxVal = -1
}

func (p *pruneMap) set(k, v int32) {
	p.pairs = append(p.pairs, [2]int32{k, v})
	if int64(v) > p.maxVal {
		p.maxVal = int64(v)
	}
}

// build indexes the pairs over buckets [0, bucket); keys outside are
// never looked up. A repeated key keeps its last value, as in fastText.
func (p *pruneMap) build(bucket uint32) {
	p.bits = make([]uint64, (uint64(bucket)+63)/64)
	last := map[int32]int32{}
	for _, kv := range p.pairs {
		if kv[0] >= 0 && uint32(kv[0]) < bucket {
			p.bits[kv[0]>>6] |= 1 << (uint(kv[0]) & 63)
			last[kv[0]] = kv[1]
		}
	}
	p.ranks = make([]uint32, len(p.bits))
	var r uint32
	for i, w := range p.bits {
		p.ranks[i] = r
		r += uint32(bits.OnesCount64(w))
	}
	p.vals = make([]int32, r)
	for k, v := range last {
		p.vals[p.rank(k)] = v
	}
	p.pairs = nil
}

func (p *pruneMap) rank(k int32) uint32 {
	w := uint32(k) >> 6
	return p.ranks[w] + uint32(bits.OnesCount64(p.bits[w]&(1<<(uint(k)&63)-1)))
}

// get returns the row of bucket k (0 <= k < bucket).
func (p *pruneMap) get(k int32) (int32, bool) {
	if p.bits[uint32(k)>>6]&(1<<(uint(k)&63)) == 0 {
		return 0, false
	}
	return p.vals[p.rank(k)], true
}
