package dedup

import (
	"encoding/binary"
	"math/rand/v2"

	"github.com/zeebo/xxh3"
)

// minHasher computes MinHash signatures and LSH band keys.
//
// Each shingle (n consecutive tokens of the normalised text, as the bytes
// between them) is hashed once with 64-bit xxh3; the P permutations are then
// h -> a·h + b (mod 2^64) with odd a, which are bijections on 64-bit values.
// datatrove uses (a·h + b) mod (2^61 - 1); on inputs that xxh3 has already
// mixed, the multiply-add family estimates Jaccard as well (see the quality
// tests) and costs one multiply per permutation instead of a 128-bit
// product and a modular reduction, which is what makes ≥ 20,000 docs/s per
// core possible.
type minHasher struct {
	cfg  MinHashConfig
	a, b []uint64
	hs   []uint64 // shingle hashes of the current document (reused)
}

func newMinHasher(cfg MinHashConfig) *minHasher {
	p := cfg.Permutations()
	m := &minHasher{cfg: cfg, a: make([]uint64, p), b: make([]uint64, p)}
	// A fixed seed gives the same permutations on every machine and in
	// every task, which the staged mode relies on.
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed_dede_0000_0001))
	for i := range p {
		m.a[i] = rng.Uint64() | 1
		m.b[i] = rng.Uint64()
	}
	return m
}

// signature writes the P minimum permuted hashes of n's shingles into sig
// and reports whether the text had any token. A text shorter than n-gram
// tokens counts as one shingle (the whole text), so short documents still
// match their exact copies.
func (m *minHasher) signature(n *normalizer, sig []uint64) bool {
	k := n.tokens()
	if k == 0 {
		return false
	}
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	g := m.cfg.NGram
	hs := m.hs[:0]
	if k < g {
		hs = append(hs, xxh3.Hash(n.span(0, k)))
	} else {
		for i := 0; i+g <= k; i++ {
			hs = append(hs, xxh3.Hash(n.span(i, i+g)))
		}
	}
	m.hs = hs
	mix(hs, m.a, m.b, sig)
	return true
}

// mixGeneric folds the shingle hashes into the signature: sig[j] =
// min(sig[j], a[j]·h + b[j]) over every shingle hash h. Eight shingles go
// through each permutation together: sig[j], a[j] and b[j] are loaded once
// per eight shingles and the multiply-adds are independent, about twice as
// fast as one shingle at a time. mix (mix_amd64.go) uses it where no vector
// version runs, and for the permutations beyond the last multiple of eight.
func mixGeneric(hs, a, b, sig []uint64) {
	a, b = a[:len(sig)], b[:len(sig)]
	i := 0
	for ; i+8 <= len(hs); i += 8 {
		h := hs[i : i+8 : i+8]
		for j := range sig {
			aj, bj := a[j], b[j]
			v := min(sig[j], aj*h[0]+bj, aj*h[1]+bj)
			v = min(v, aj*h[2]+bj, aj*h[3]+bj)
			v = min(v, aj*h[4]+bj, aj*h[5]+bj)
			sig[j] = min(v, aj*h[6]+bj, aj*h[7]+bj)
		}
	}
	for ; i < len(hs); i++ {
		h := hs[i]
		for j := range sig {
			sig[j] = min(sig[j], a[j]*h+b[j])
		}
	}
}

// shingleHashes returns the set of xxh3 shingle hashes of n (for tests and
// brute-force Jaccard).
func shingleHashes(n *normalizer, g int) map[uint64]struct{} {
	k := n.tokens()
	set := map[uint64]struct{}{}
	if k == 0 {
		return set
	}
	if k < g {
		set[xxh3.Hash(n.span(0, k))] = struct{}{}
		return set
	}
	for i := 0; i+g <= k; i++ {
		set[xxh3.Hash(n.span(i, i+g))] = struct{}{}
	}
	return set
}

// bandKeys hashes each band's r signature values into one 64-bit key.
func (m *minHasher) bandKeys(sig []uint64, keys []uint64, buf []byte) {
	r := m.cfg.Rows
	for band := range m.cfg.Bands {
		buf = buf[:0]
		for _, v := range sig[band*r : (band+1)*r] {
			buf = binary.LittleEndian.AppendUint64(buf, v)
		}
		keys[band] = xxh3.Hash(buf)
	}
}

// sketchLen is the size of a document's b-bit sketch: one byte per
// permutation. It is kept on disk (not in the index) to estimate the
// Jaccard similarity of a removed document and its survivor.
func sketchBytes(sig []uint64, dst []byte) {
	for j, v := range sig {
		dst[j] = byte((v * 0x9E3779B97F4A7C15) >> 56)
	}
}

// estimateJaccard estimates Jaccard similarity from two one-byte-per-
// permutation sketches (b-bit minwise hashing, b = 8): equal bytes happen for
// equal minima and, by chance, 1 time in 256 otherwise.
func estimateJaccard(x, y []byte) float32 {
	if len(x) == 0 || len(x) != len(y) {
		return 0
	}
	eq := 0
	for i := range x {
		if x[i] == y[i] {
			eq++
		}
	}
	const c = 1.0 / 256
	j := (float64(eq)/float64(len(x)) - c) / (1 - c)
	return float32(max(0, min(1, j)))
}
