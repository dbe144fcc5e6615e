//go:build !amd64 || purego

package dedup

// mix folds the shingle hashes hs into sig (see mixGeneric).
func mix(hs, a, b, sig []uint64) { mixGeneric(hs, a, b, sig) }

// mixVector reports whether mix uses vector instructions.
const mixVector = false
