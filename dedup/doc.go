// Package dedup removes exact and near duplicates from Arrow shards.
//
// Three methods share one engine:
//
//   - exact: a 128-bit xxh3 hash of the normalised text (NFKC, lower case,
//     punctuation removed, digits folded to 0, whitespace collapsed), folded
//     to the 64-bit key every space uses;
//   - url: a hash of the normalised URL;
//   - minhash: MinHash LSH over word 5-grams of the same normalised text,
//     with datatrove's defaults (14 bands × 8 rows = 112 permutations, 64-bit
//     hashes, fixed seed). Scripts written without spaces (Chinese, Japanese,
//     Thai, ...) are shingled one character per token, so a 5-gram is five
//     characters rather than the whole document.
//
// Every method turns a document into keys in one or more "spaces" (one per
// LSH band, one for exact, one for url). Two documents that share a key in
// any space are linked; links are merged by union-find into clusters and
// one document per cluster survives: the first in canonical order (input
// shards in the order given, rows in order), as datatrove keeps the smallest
// (file, document) id, or the one with the highest value of a chosen column.
//
// The one-process mode (DedupShards) streams the shards once through compact
// in-memory band tables (about 8-10 bytes per document per space, see
// keyTable) and a union-find array, then writes the survivors in a second
// pass. The staged mode splits the same work over many tasks in four stages
// (Signatures, Buckets, Clusters, Filter) that communicate through
// self-verifying files (record count and xxh3 checksum), and removes exactly
// the same documents.
//
// Speed without changing a bit of the result: the NFKC quick check runs
// inside the fold from a per-rune table built lazily from the norm
// package's own properties (nfkc.go), and only text it cannot prove
// normalised goes through norm; on amd64 with AVX-512 the 112 permutations
// run eight per instruction (mix_amd64.s), the Go loop elsewhere. Tests
// hold both to their references bit for bit (every rune against norm,
// fuzzing, the vector loop against the scalar one).
package dedup
