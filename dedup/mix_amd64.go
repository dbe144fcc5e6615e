//go:build amd64 && !purego

package dedup

import "golang.org/x/sys/cpu"

// mixVector reports whether mix uses AVX-512: eight permutations per
// instruction (VPMULLQ, VPADDQ, VPMINUQ compute exactly the wrapping
// a·h + b and the unsigned minimum of the Go code, lane by lane), about
// four times the scalar code's rate, which is bound by one 64-bit multiply
// per cycle. The result is the same bits; TestMixVectorMatchesGeneric
// checks it.
var mixVector = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ

// mixAVX512 is mixGeneric for len(sig) a multiple of 8, with len(a) and
// len(b) at least len(sig).
//
//go:noescape
func mixAVX512(hs, a, b, sig []uint64)

// mix folds the shingle hashes hs into sig (see mixGeneric).
func mix(hs, a, b, sig []uint64) {
	if !mixVector || len(hs) == 0 {
		mixGeneric(hs, a, b, sig)
		return
	}
	k := len(sig) &^ 7
	a, b = a[:len(sig)], b[:len(sig)]
	mixAVX512(hs, a[:k], b[:k], sig[:k])
	if k < len(sig) {
		mixGeneric(hs, a[k:], b[k:], sig[k:])
	}
}
