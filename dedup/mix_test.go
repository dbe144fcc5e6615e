package dedup

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestMixVectorMatchesGeneric checks mix (AVX-512 where the CPU has it)
// against the scalar code bit for bit: random and extreme hashes and
// multipliers, every count of shingles up to 40 and signature lengths that
// are and are not multiples of eight.
func TestMixVectorMatchesGeneric(t *testing.T) {
	if !mixVector {
		t.Log("no vector mix on this CPU: mix is mixGeneric")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	extremes := []uint64{0, 1, 2, 1 << 63, 1<<63 - 1, ^uint64(0), ^uint64(0) - 1}
	val := func() uint64 {
		if rng.IntN(4) == 0 {
			return extremes[rng.IntN(len(extremes))]
		}
		return rng.Uint64()
	}
	for _, p := range []int{1, 7, 8, 9, 16, 112, 113, 127, 256} {
		a, b := make([]uint64, p), make([]uint64, p)
		for i := range a {
			a[i], b[i] = val()|1, val()
		}
		for n := range 41 {
			hs := make([]uint64, n)
			for i := range hs {
				hs[i] = val()
			}
			for _, start := range []uint64{^uint64(0), 0, 1 << 62} {
				want := make([]uint64, p)
				for i := range want {
					want[i] = start
				}
				got := slices.Clone(want)
				mixGeneric(hs, a, b, want)
				mix(hs, a, b, got)
				if !slices.Equal(got, want) {
					t.Fatalf("%d permutations, %d shingles, start %x: mix differs from mixGeneric", p, n, start)
				}
			}
		}
	}
	// The reference signatures of the default configuration go through
	// the same function; brute force once more on one real-size input.
	m := newMinHasher(DefaultConfig().MinHash)
	hs := make([]uint64, 1000)
	for i := range hs {
		hs[i] = rng.Uint64()
	}
	want := make([]uint64, len(m.a))
	for j := range want {
		want[j] = ^uint64(0)
		for _, h := range hs {
			want[j] = min(want[j], m.a[j]*h+m.b[j])
		}
	}
	got := make([]uint64, len(m.a))
	for j := range got {
		got[j] = ^uint64(0)
	}
	mix(hs, m.a, m.b, got)
	if !slices.Equal(got, want) {
		t.Fatal("mix differs from the brute-force minimum")
	}
}

// BenchmarkMix measures the permutation loop alone: 112 permutations over
// 1,000 shingle hashes (a ~6 KB document).
func BenchmarkMix(b *testing.B) {
	m := newMinHasher(DefaultConfig().MinHash)
	rng := rand.New(rand.NewPCG(1, 2))
	hs := make([]uint64, 1000)
	for i := range hs {
		hs[i] = rng.Uint64()
	}
	sig := make([]uint64, len(m.a))
	for _, name := range []string{"dispatch", "generic"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if name == "generic" {
					mixGeneric(hs, m.a, m.b, sig)
				} else {
					mix(hs, m.a, m.b, sig)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(hs)*len(sig)), "ns/hash")
		})
	}
}
