package langid

import "math/bits"

// ngramTable maps a packed n-gram key to the log-probabilities the n-gram
// has in every language whose model holds it. All languages share one
// open-addressing table, so scoring a text looks each n-gram up once
// instead of once per language, and nothing is allocated per look-up.
//
// Slot s holds keys[s]; its entries are langs/logps[start[s]:start[s+1]].
type ngramTable struct {
	keys  []uint64 // 0 = empty slot (real keys carry their length in the top bits)
	start []uint32 // len(keys)+1 prefix sums into langs/logps
	langs []uint8
	logps []float32
	shift uint
}

// langModel is one language's entries while a table is being built.
type langModel struct {
	keys  []uint64
	logps []float32
}

func hashSlot(key uint64, shift uint) uint64 {
	return (key * 0x9E3779B97F4A7C15) >> shift
}

// buildNgramTable packs per-language entries (perLang[lang]) into one
// table, releasing each language's entries as soon as they are copied.
func buildNgramTable(perLang []langModel) *ngramTable {
	total := 0
	for _, m := range perLang {
		total += len(m.keys)
	}
	// The distinct keys, collected in a growing set whose array becomes
	// the table's key array.
	set := newKeySet(1024)
	for _, m := range perLang {
		for _, k := range m.keys {
			set.add(k)
		}
	}
	size := len(set.keys)
	t := &ngramTable{
		keys:  set.keys,
		start: make([]uint32, size+1),
		langs: make([]uint8, total),
		logps: make([]float32, total),
		shift: set.shift,
	}
	count := make([]uint32, size)
	for _, m := range perLang {
		for _, k := range m.keys {
			count[t.slot(k)]++
		}
	}
	var sum uint32
	for s := range count {
		t.start[s] = sum
		sum += count[s]
		count[s] = 0
	}
	t.start[size] = sum
	for lang := range perLang {
		m := &perLang[lang]
		for j, k := range m.keys {
			s := t.slot(k)
			i := t.start[s] + count[s]
			count[s]++
			t.langs[i] = uint8(lang)
			t.logps[i] = m.logps[j]
		}
		*m = langModel{}
	}
	return t
}

// slot returns the slot holding key, or -1.
func (t *ngramTable) slot(key uint64) int {
	mask := uint64(len(t.keys) - 1)
	s := hashSlot(key, t.shift)
	for {
		k := t.keys[s]
		if k == key {
			return int(s)
		}
		if k == 0 {
			return -1
		}
		s = (s + 1) & mask
	}
}

// lookup returns the languages holding key and their log-probabilities.
func (t *ngramTable) lookup(key uint64) ([]uint8, []float32) {
	s := t.slot(key)
	if s < 0 {
		return nil, nil
	}
	a, b := t.start[s], t.start[s+1]
	return t.langs[a:b], t.logps[a:b]
}

func (t *ngramTable) bytes() int64 {
	return int64(len(t.keys))*8 + int64(len(t.start))*4 + int64(len(t.langs))*5
}

// keySet is a growing open-addressing set of non-zero keys, used once per
// table build to collect the distinct keys.
type keySet struct {
	keys  []uint64
	n     int
	shift uint
}

func newKeySet(size int) *keySet {
	return &keySet{keys: make([]uint64, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

func (k *keySet) add(key uint64) {
	if (k.n+1)*10 > len(k.keys)*7 { // keep the load under 0.7
		old := k.keys
		*k = *newKeySet(len(old) * 2)
		for _, o := range old {
			if o != 0 {
				k.add(o)
			}
		}
	}
	mask := uint64(len(k.keys) - 1)
	s := hashSlot(key, k.shift)
	for {
		switch k.keys[s] {
		case key:
			return
		case 0:
			k.keys[s] = key
			k.n++
			return
		}
		s = (s + 1) & mask
	}
}
