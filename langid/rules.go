package langid

// ruleData is lingua-go's rule engine restricted to a detector's candidate
// languages: letters or alphabets that name a language outright, and letters
// that narrow the candidates to a few languages. It is computed once per
// detector and read-only afterwards.
type ruleData struct {
	candidate       [numLanguages]bool
	oneLanguage     [numScripts]int   // language an alphabet belongs to alone (if a candidate), else -1
	uniqueLetters   map[rune][]int    // letter -> candidate languages it proves
	sharedLetters   map[rune][]int    // letter -> languages it narrows to (all languages; filtered at use)
	scriptLanguages [numScripts][]int // candidate languages written in an alphabet
}

func newRuleData(candidate [numLanguages]bool) *ruleData {
	rd := &ruleData{candidate: candidate, uniqueLetters: map[rune][]int{}, sharedLetters: map[rune][]int{}}
	// Alphabets used by exactly one of all 75 languages (not just of the
	// candidates), as lingua computes them.
	var users [numScripts][]int
	for l := range numLanguages {
		for _, s := range languageScripts[l] {
			users[s] = append(users[s], l)
			if candidate[l] {
				rd.scriptLanguages[s] = append(rd.scriptLanguages[s], l)
			}
		}
	}
	for s := range numScripts {
		rd.oneLanguage[s] = -1
		if len(users[s]) == 1 && candidate[users[s][0]] {
			rd.oneLanguage[s] = users[s][0]
		}
	}
	for l, letters := range uniqueCharacters {
		if !candidate[l] {
			continue
		}
		for _, r := range letters {
			rd.uniqueLetters[r] = append(rd.uniqueLetters[r], int(l))
		}
	}
	for letters, langs := range charsToLanguages {
		for _, r := range letters {
			for _, l := range langs {
				rd.sharedLetters[r] = append(rd.sharedLetters[r], int(l))
			}
		}
	}
	return rd
}

// ruleCounts is per-document scratch for the rule engine.
type ruleCounts struct {
	word    [numLanguages + 1]uint32
	touched []int
	total   [numLanguages + 1]uint32
	scripts [numScripts]uint32
	narrow  [numLanguages]uint32
	seen    []rune
}

// detectByRules is lingua's detectLanguageWithRules: each word votes for the
// language its letters prove (a one-language alphabet, Han, kana, or a
// letter unique to one language); the language with the most votes wins
// when the undecided words are fewer than half. Returns unknownLang when the
// rules decide nothing.
func (rd *ruleData) detectByRules(w *words, rc *ruleCounts) int {
	rc.total = [numLanguages + 1]uint32{}
	n := w.count()
	for i := range n {
		a, b := w.word(i)
		for j := a; j < b; j++ {
			sc := w.scripts[j]
			switch {
			case sc < numScripts && rd.oneLanguage[sc] >= 0:
				rc.bump(rd.oneLanguage[sc])
			case sc == scriptHan:
				rc.bump(langChinese)
			case sc == scriptHiragana || sc == scriptKatakana:
				rc.bump(langJapanese)
			case (sc == scriptLatin || sc == scriptCyrillic || sc == scriptDevanagari) && w.runes[j] >= 0x80:
				for _, l := range rd.uniqueLetters[w.runes[j]] {
					rc.bump(l)
				}
			}
		}
		rc.total[rd.wordVerdict(rc)]++
		for _, l := range rc.touched {
			rc.word[l] = 0
		}
		rc.touched = rc.touched[:0]
	}
	if float64(rc.total[unknownLang]) < float64(n)*0.5 {
		rc.total[unknownLang] = 0
	}
	present := 0
	for _, c := range rc.total {
		if c > 0 {
			present++
		}
	}
	if present == 0 {
		return unknownLang
	}
	if present == 2 && rc.total[langChinese] > 0 && rc.total[langJapanese] > 0 {
		return langJapanese
	}
	best, second := top2(rc.total[:])
	if present > 1 && rc.total[best] == rc.total[second] {
		return unknownLang
	}
	return best
}

func (rc *ruleCounts) bump(l int) {
	if rc.word[l] == 0 {
		rc.touched = append(rc.touched, l)
	}
	rc.word[l]++
}

// wordVerdict decides one word from its letter votes.
func (rd *ruleData) wordVerdict(rc *ruleCounts) int {
	switch len(rc.touched) {
	case 0:
		return unknownLang
	case 1:
		if l := rc.touched[0]; rd.candidate[l] {
			return l
		}
		return unknownLang
	}
	if rc.word[langChinese] > 0 && rc.word[langJapanese] > 0 {
		return langJapanese // as lingua, even when Japanese is no candidate
	}
	best, second := -1, -1
	for _, l := range rc.touched {
		switch {
		case best < 0 || rc.word[l] > rc.word[best]:
			best, second = l, best
		case second < 0 || rc.word[l] > rc.word[second]:
			second = l
		}
	}
	if rc.word[best] > rc.word[second] && rd.candidate[best] {
		return best
	}
	return unknownLang
}

// top2 returns the indexes of the largest and second largest counts.
func top2(c []uint32) (int, int) {
	best, second := -1, -1
	for i, v := range c {
		if v == 0 {
			continue
		}
		switch {
		case best < 0 || v > c[best]:
			best, second = i, best
		case second < 0 || v > c[second]:
			second = i
		}
	}
	return best, second
}

// filterByRules is lingua's filterLanguagesByRules: keep the candidates
// written in the alphabet most words are written in, then, if at least half
// the words hold letters shared by only a few languages, those languages.
// It writes the kept languages to keep and returns how many there are.
func (rd *ruleData) filterByRules(w *words, rc *ruleCounts, keep *[numLanguages]bool) int {
	rc.scripts = [numScripts]uint32{}
	n := w.count()
	for i := range n {
		a, b := w.word(i)
		sc := w.scripts[a]
		for j := a + 1; j < b && sc != scriptNone; j++ {
			if w.scripts[j] != sc {
				sc = scriptNone
			}
		}
		if sc < numScripts {
			rc.scripts[sc]++
		}
	}
	distinct, present := map[uint32]bool{}, 0
	for _, c := range rc.scripts {
		if c > 0 {
			distinct[c] = true
			present++
		}
	}
	if present == 0 || (present > 1 && len(distinct) == 1) {
		*keep = rd.candidate
		return countTrue(keep)
	}
	// Ties between the most frequent alphabets are broken by lingua's
	// alphabet order here; lingua itself breaks them at random.
	best, _ := top2(rc.scripts[:])
	*keep = [numLanguages]bool{}
	for _, l := range rd.scriptLanguages[best] {
		keep[l] = true
	}
	rc.narrow = [numLanguages]uint32{}
	for i := range n {
		a, b := w.word(i)
		rc.seen = rc.seen[:0]
		for j := a; j < b; j++ {
			r := w.runes[j]
			if r < 0x80 {
				continue // no ASCII letter narrows the candidates
			}
			langs, ok := rd.sharedLetters[r]
			if !ok || containsRune(rc.seen, r) {
				continue
			}
			rc.seen = append(rc.seen, r)
			for _, l := range langs {
				if keep[l] {
					rc.narrow[l]++
				}
			}
		}
	}
	var subset [numLanguages]bool
	any := false
	for l, c := range rc.narrow {
		if c > 0 && float64(c) >= float64(n)*0.5 {
			subset[l] = true
			any = true
		}
	}
	if any {
		*keep = subset
	}
	return countTrue(keep)
}

func containsRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func countTrue(b *[numLanguages]bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}
