package dedup

import (
	"math/rand/v2"
	"testing"
)

func TestKeyTableGrowsAndFinds(t *testing.T) {
	tab := newKeyTable(10) // tiny hint: forces several segments
	rng := rand.New(rand.NewPCG(3, 4))
	keys := make([]uint64, 20000)
	for i := range keys {
		keys[i] = rng.Uint64()
		if first, found := tab.firstOrAdd(keys[i], uint32(i)); found || first != uint32(i) {
			t.Fatalf("fresh key %d reported as seen by %d", i, first)
		}
	}
	if len(tab.segs) < 3 {
		t.Fatalf("%d segments; want growth", len(tab.segs))
	}
	for i, k := range keys {
		if first, found := tab.firstOrAdd(k, uint32(i+100000)); !found || first != uint32(i) {
			t.Fatalf("key %d: got %d,%v", i, first, found)
		}
	}
	sized := newKeyTable(len(keys))
	for i, k := range keys {
		sized.firstOrAdd(k, uint32(i))
	}
	if per := float64(sized.bytes()) / float64(len(keys)); per > 10.01 {
		t.Errorf("%.2f bytes per key in a table sized for its keys; want <= 10", per)
	}
}

func TestUnionFindRootIsSmallest(t *testing.T) {
	var u unionFind
	u.grow(10)
	u.union(7, 3)
	u.union(9, 7)
	u.union(5, 9)
	for _, d := range []uint32{3, 5, 7, 9} {
		if r := u.find(d); r != 3 {
			t.Errorf("find(%d) = %d, want 3", d, r)
		}
	}
	if u.find(4) != 4 {
		t.Error("untouched document moved")
	}
}
