package tokens

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/tiktoken-go/tokenizer"
)

// vocabulary maps every byte sequence of an encoding to its BPE rank: the
// tests' reference, built the way the counter once was.
type vocabulary map[string]uint32

var (
	refVocabOnce sync.Once
	refVocab     vocabulary
	refVocabErr  error
)

// vocab returns the reference vocabulary of cl100k (built once).
func (c *Counter) vocab() vocabulary {
	refVocabOnce.Do(func() { refVocab, refVocabErr = loadVocabulary(tokenizer.Cl100kBase, cl100kSize) })
	if refVocabErr != nil {
		panic(refVocabErr)
	}
	return refVocab
}

// loadVocabulary is the old loader: each id decoded into a map.
func loadVocabulary(enc tokenizer.Encoding, size int) (vocabulary, error) {
	codec, err := tokenizer.Get(enc)
	if err != nil {
		return nil, fmt.Errorf("tokens: loading %s: %w", enc, err)
	}
	v := make(vocabulary, size)
	ids := make([]uint, 1)
	for id := 0; id < size; id++ {
		ids[0] = uint(id)
		s, err := codec.Decode(ids)
		if err != nil {
			continue // a gap in the id space
		}
		v[s] = uint32(id)
	}
	return v, nil
}

// newPairTableFromMap is the old builder of the pair table: every split of
// every token probed in the map, in the map's order (the filters and the
// hash table are then filled by the same code).
func newPairTableFromMap(v vocabulary) *pairTable {
	t := &pairTable{bloom: make([]uint64, 1<<pairBloomBits)}
	for i := 0; i < 256; i++ {
		id, ok := v[string([]byte{byte(i)})]
		if !ok {
			id = noRank
		}
		t.byteID[i] = id
	}
	var entries []pairEntry
	for s, id := range v {
		for k := 1; k < len(s); k++ {
			a, ok1 := v[s[:k]]
			b, ok2 := v[s[k:]]
			if ok1 && ok2 {
				entries = t.add(entries, a, b, id)
			}
		}
	}
	t.fill(entries)
	return t
}

// TestTablesMatchTheMapBuild: the token table built from the id list holds
// exactly the reference vocabulary's entries, and the pair table built by
// probing it equals the one built from the map, entry by entry (the slots'
// order aside, which depends on insertion order).
func TestTablesMatchTheMapBuild(t *testing.T) {
	c := counter(t)
	v := c.vocab()
	n := 0
	for _, s := range c.tokens.slots {
		if s.meta != 0 {
			n++
		}
	}
	if n != len(v) || len(v) < cl100kSize-10 {
		t.Fatalf("token table has %d entries, vocabulary %d", n, len(v))
	}
	for s, id := range v {
		if got, ok := c.tokens.lookup(hashPiece(s), s); !ok || got != id {
			t.Fatalf("%q: table gives %d, %v; vocabulary %d", s, got, ok, id)
		}
	}
	old, cur := newPairTableFromMap(v), c.pairs
	if old.byteID != cur.byteID || old.left != cur.left || old.right != cur.right ||
		*old.bytePair != *cur.bytePair || !slices.Equal(old.bloom, cur.bloom) {
		t.Fatal("byte ids, bit sets, Bloom filter or byte pairs differ")
	}
	if old.shift != cur.shift || len(old.slots) != len(cur.slots) {
		t.Fatalf("pair table sizes differ: %d, %d slots", len(old.slots), len(cur.slots))
	}
	sorted := func(s []uint64) []uint64 {
		out := slices.DeleteFunc(slices.Clone(s), func(e uint64) bool { return e == 0 })
		slices.Sort(out)
		return out
	}
	a, b := sorted(old.slots), sorted(cur.slots)
	if len(a) < 100000 || !slices.Equal(a, b) {
		t.Fatalf("pair entries differ: %d old, %d new", len(a), len(b))
	}
}
