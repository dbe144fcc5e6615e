package tokens

import (
	"strconv"
	"strings"
	"testing"
)

// TestTokenTableHoldsTheVocabulary: every token of cl100k is found with its
// id, and byte strings that are not tokens (a token plus a byte that makes
// it none, the pages' multi-token words) are not.
func TestTokenTableHoldsTheVocabulary(t *testing.T) {
	c := counter(t)
	for s, id := range c.vocab() {
		got, ok := c.tokens.lookup(hashPiece(s), s)
		if !ok || got != id {
			t.Fatalf("%q: table gives %d, %v; vocabulary %d", s, got, ok, id)
		}
		if _, in := c.vocab()[s+"\x00"]; !in {
			if _, ok := c.tokens.lookup(hashPiece(s+"\x00"), s+"\x00"); ok {
				t.Fatalf("%q found, not a token", s+"\x00")
			}
		}
	}
	misses := 0
	for _, text := range pageTexts(t)[:20] {
		for _, w := range strings.Fields(text) {
			_, in := c.vocab()[w]
			_, ok := c.tokens.lookup(hashPiece(w), w)
			if in != ok {
				t.Fatalf("%q: in vocabulary %v, in table %v", w, in, ok)
			}
			if !ok {
				misses++
			}
		}
	}
	if misses == 0 {
		t.Fatal("no word outside the vocabulary checked")
	}
}

// TestPairFiltersHaveNoFalseNegatives: for every split of every token into
// two tokens, the bit sets, the Bloom filter, the memo and the table all
// give the merged token, and pairs that are not splits give none.
func TestPairFiltersHaveNoFalseNegatives(t *testing.T) {
	c := counter(t)
	var memo pairMemo
	checked := 0
	for s, id := range c.vocab() {
		for k := 1; k < len(s); k++ {
			a, ok1 := c.vocab()[s[:k]]
			b, ok2 := c.vocab()[s[k:]]
			if !ok1 || !ok2 {
				continue
			}
			if r := c.pairs.rankMemo(a, b, &memo); r != id {
				t.Fatalf("%q = %q+%q: rank %d, want %d", s, s[:k], s[k:], r, id)
			}
			if r := c.pairs.rankMemo(a, b, &memo); r != id { // now from the memo
				t.Fatalf("%q = %q+%q: memoized rank %d, want %d", s, s[:k], s[k:], r, id)
			}
			checked++
		}
	}
	if checked < 100000 {
		t.Fatalf("only %d pairs checked", checked)
	}
	byID := make([]string, cl100kSize)
	for s, id := range c.vocab() {
		byID[id] = s
	}
	// pairs of frequent tokens, most of which do not merge: the
	// concatenation looked up by bytes decides
	for a := uint32(0); a < 3000; a += 7 {
		for b := uint32(0); b < 3000; b += 11 {
			sa, sb := byID[a], byID[b]
			want := uint32(noRank)
			if id, ok := c.vocab()[sa+sb]; ok {
				want = id
			}
			if got := c.pairs.rankMemo(a, b, &memo); got != want {
				t.Fatalf("(%q, %q): rank %d, want %d", sa, sb, got, want)
			}
		}
	}
}

// TestPieceCacheStaysBoundedAndRight fills the cache with several times its
// capacity of distinct pieces: every hit returns the count stored for that
// piece, memory does not grow, and a piece looked up all along survives
// the generations turning over.
func TestPieceCacheStaysBoundedAndRight(t *testing.T) {
	pc := newPieceCache()
	slots, arena := len(pc.cur.slots), cap(pc.cur.arena)
	countOf := func(p string) int32 { return int32(len(p)%60 + 2) }
	hot := "a frequent piece"
	for i := 0; i < 5*maxCachedPieces; i++ {
		p := "piece-" + strconv.Itoa(i) + strings.Repeat("x", i%40)
		if k, ok := pc.lookup(hashPiece(p), p); ok {
			t.Fatalf("%q found before it was stored (count %d)", p, k)
		}
		pc.store(hashPiece(p), p, countOf(p))
		if k, ok := pc.lookup(hashPiece(p), p); !ok || k != countOf(p) {
			t.Fatalf("%q: got %d, %v just after storing %d", p, k, ok, countOf(p))
		}
		if i%1000 == 0 {
			if k, ok := pc.lookup(hashPiece(hot), hot); ok {
				if k != countOf(hot) {
					t.Fatalf("hot piece: count %d", k)
				}
			} else if i > 0 {
				t.Fatalf("hot piece lost at %d", i)
			} else {
				pc.store(hashPiece(hot), hot, countOf(hot))
			}
		}
	}
	// an older piece is either gone or right
	for i := 0; i < 5*maxCachedPieces; i += 97 {
		p := "piece-" + strconv.Itoa(i) + strings.Repeat("x", i%40)
		if k, ok := pc.lookup(hashPiece(p), p); ok && k != countOf(p) {
			t.Fatalf("%q: count %d, stored %d", p, k, countOf(p))
		}
	}
	for _, g := range []*pieceGen{pc.cur, pc.old} {
		if len(g.slots) != slots || cap(g.arena) != arena || g.n > maxCachedPieces {
			t.Fatalf("generation grew: %d slots, %d arena bytes, %d pieces", len(g.slots), cap(g.arena), g.n)
		}
	}
	// the longest cached piece (a run of CJK letters, say)
	longest := strings.Repeat("z", maxCachedPiece)
	pc.store(hashPiece(longest), longest, 77)
	if k, ok := pc.lookup(hashPiece(longest), longest); !ok || k != 77 {
		t.Fatalf("a piece of maxCachedPiece bytes: %d, %v", k, ok)
	}
	long := strings.Repeat("y", maxCachedPiece+1)
	pc.store(hashPiece(long), long, 9)
	if _, ok := pc.lookup(hashPiece(long), long); ok {
		t.Fatal("a piece longer than maxCachedPiece was cached")
	}
}

// TestBytePairTable: the merge of every two bytes is the token of the two
// bytes, looked up by bytes.
func TestBytePairTable(t *testing.T) {
	c := counter(t)
	merging := 0
	for x := 0; x < 256; x++ {
		for y := 0; y < 256; y++ {
			want := uint32(noRank)
			if id, ok := c.vocab()[string([]byte{byte(x), byte(y)})]; ok {
				want = id
				merging++
			}
			if got := c.pairs.bytePair[x<<8|y]; got != want {
				t.Fatalf("bytes %#x %#x: %d, want %d", x, y, got, want)
			}
		}
	}
	if merging < 1000 {
		t.Fatalf("only %d two-byte tokens", merging)
	}
}

// TestHeadWord: the packed first bytes of every length and alignment are
// those of a byte-by-byte loop (the lookups compare them, and short
// pieces are hashed from them).
func TestHeadWord(t *testing.T) {
	s := "abcdefghij\x00\xff\xe4\xb8\xadklmnop"
	for i := 0; i < len(s); i++ {
		for n := 0; i+n <= len(s); n++ {
			p := s[i : i+n]
			var w uint64
			for k := min(len(p), 8) - 1; k >= 0; k-- {
				w = w<<8 | uint64(p[k])
			}
			if got := headWord(p); got != w {
				t.Fatalf("%q: %#x, want %#x", p, got, w)
			}
		}
	}
	// pieces that pack to the same word differ in length, and so in hash
	if hashPiece("ab") == hashPiece("ab\x00") {
		t.Fatal(`"ab" and "ab\x00" hash alike`)
	}
}
