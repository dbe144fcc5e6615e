package langid

// Back-off tables fold lingua's per-language back-off into the table: the
// entry of a bigram or trigram lists, for every language, the probability
// of its longest prefix that language's models hold. Scoring a trigram is
// then one look-up and one pass over its entries instead of three look-ups
// and a merge. A text n-gram that no language holds falls back to the
// back-off entry of its prefix.

// buildBackoffTable returns a table with the same keys as tabs[n] whose
// entries include each language's back-off to shorter prefixes.
// letters maps a letter index back to its rune (for the unigram key).
func buildBackoffTable(n int, tabs *[maxNgram + 1]*ngramTable, letters []rune) *ngramTable {
	base := tabs[n]
	out := &ngramTable{keys: base.keys, start: make([]uint32, len(base.start)), shift: base.shift}
	var val [numLanguages]float32
	var has [numLanguages]bool
	hit := make([]int, 0, numLanguages)
	apply := func(t *ngramTable, key uint64) {
		langs, logps := t.lookup(key)
		for i, l := range langs {
			if !has[l] {
				has[l] = true
				hit = append(hit, int(l))
			}
			val[l] = logps[i]
		}
	}
	for s, key := range base.keys {
		out.start[s] = uint32(len(out.langs))
		if key == 0 {
			continue
		}
		first := (key >> charShift(0)) & maxCharIndex
		apply(tabs[1], unigramKey(letters[first]))
		for k := 2; k <= n; k++ {
			apply(tabs[k], prefixKey(key, k))
		}
		for _, l := range hit {
			out.langs = append(out.langs, uint8(l))
			out.logps = append(out.logps, val[l])
			has[l] = false
		}
		hit = hit[:0]
	}
	out.start[len(base.keys)] = uint32(len(out.langs))
	return out
}
