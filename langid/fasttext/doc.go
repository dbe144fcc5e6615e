// Package fasttext reads supervised fastText models (.bin, and quantized
// .ftz) and predicts their labels in pure Go, with the answers of
// fastText 0.9.2 itself: FineWeb's language identifier lid.176, GlotLID's
// model.bin, and the quality, topic and domain classifiers datatrove's
// FastTextClassifierFilter runs. lid.176.ftz is embedded (LID176).
//
// What is reproduced, from fastText's C++ sources (src/fasttext.cc,
// dictionary.cc, model.cc, loss.cc, densematrix.cc, quantmatrix.cc,
// productquantizer.cc, args.cc at v0.9.2):
//   - the file: magic and version (11 or 12; version 11 supervised models
//     use no character n-grams, as in fastText), the arguments, the
//     dictionary (words, then labels; pruned-bucket table of quantized
//     models), the input matrix (dense, or product-quantized with 256
//     centroids per sub-space and optionally quantized norms) and the
//     output matrix (dense, or quantized with -qout);
//   - tokenization: words are split at fastText's white-space bytes
//     (space, \n, \r, \t, \v, \f, NUL) and "</s>" follows the last word;
//     words in the dictionary bring their precomputed rows, unknown words
//     their character n-grams of minn..maxn UTF-8 characters of "<word>"
//     hashed with fastText's FNV-1a (bytes sign-extended) modulo bucket,
//     then word n-grams (hashes combined with 116049371 in 64 bits, with
//     fastText's sign extension), each mapped through the pruned-bucket
//     table when there is one;
//   - the hidden vector: rows added in that order in float32, times the
//     float32 of 1/n;
//   - the losses: softmax (max-shifted exp in double, float sums),
//     hierarchical softmax (the Huffman tree over label counts, the
//     depth-first search pruned by k and threshold), one-vs-all and
//     negative sampling (fastText's 512-entry sigmoid table); scores are
//     log(p + 1e-5) in float, kept in a heap run exactly as libstdc++'s
//     push_heap/pop_heap/sort_heap so that ties come out in the CLI's
//     order, and reported as exp(score), as predict-prob prints them.
//
// The oracle test (TestOracle) trains models of every loss with the
// fastText CLI, quantizes three (one pruned by -cutoff with quantized
// norms), and compares predict-prob's top 3 on about 15,600 real texts
// (held-out labelled sentences and the shared real pages cut to 2,000
// bytes): identical top-3 lists on every text for every trained model and
// for lid.176.ftz, probabilities equal to the CLI's six printed digits
// (max |Δp| 5e-7; 5e-6 for lid.176, whose sure answers come out above 1,
// e.g. 1.00006, hierarchical softmax adding log(p + 1e-5) per tree level,
// and are printed with five decimals). A separate run over all 74,141
// sentences with lid.176 gave identical top-3 lists too. Summation order
// is fastText's everywhere, so no float difference comes from
// reordering; exp and log are Go's (correctly rounded in all but rare
// cases, like glibc's), the only source of last-bit differences.
//
// Departures: a document is one line, its newlines are word separators
// (the CLI would end the line there; datatrove replaces them before
// predicting); k <= 0 means every label (the CLI's -1). Quantized output
// matrices (-qout) are read and used but have no oracle test: fastText
// quantizes an output matrix only with at least 256 labels, more than the
// shared labelled data has.
//
// Robustness: every size field is checked against the bytes the file
// still holds before anything is allocated, every index prediction can
// produce is checked against the matrices at load time, and the reader
// is fuzzed (FuzzRead). Errors name the file and the offset.
//
// Speed: no allocation per prediction (per-goroutine scratch from a
// pool); unknown buckets of pruned models are rejected by a bitset test
// (inlined for pruned models, without a branch on the bit: the kept
// buckets are collected first and turned into rows after); the character
// n-gram rows of words outside the dictionary are remembered per
// goroutine (wordCache: a fixed ~420 KB, exact because a hit compares the
// word's bytes); a document's
// input rows are collected in fastText's order and added in one pass
// (addRows), each element of the hidden vector receiving the same float32
// terms in the same order as fastText's addRowToVector.
// lid.176.ftz on one core: 11,400 texts of 2,000 characters per CPU-second
// against the CLI's 3,400 on the same texts in the same run, and 157,000
// short sentences per CPU-second against 54,000 (BenchmarkVersusCLI).
// Memory is about the file size (dense matrices as float32, codes as
// bytes; in-vocabulary words' rows precomputed while that stays under
// 32 MiB).
package fasttext
