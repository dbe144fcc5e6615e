package langid

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// TestToLower: the table-driven toLower is unicode.ToLower on every rune.
func TestToLower(t *testing.T) {
	for r := rune(-1); r <= unicode.MaxRune+1; r++ {
		if got, want := toLower(r), unicode.ToLower(r); got != want {
			t.Fatalf("toLower(%U) = %U, unicode.ToLower %U", r, got, want)
		}
	}
}

// refSplit is words.split written plainly (as before it wrote the letter
// slices by index): one append per letter, unicode.ToLower.
func refSplit(w *words, text string, ms *modelSet) {
	w.reset()
	push := func(r rune, sc script, inRun bool) {
		w.runes = append(w.runes, r)
		w.scripts = append(w.scripts, sc)
		c := ms.charIndex(r)
		if c == 0 && inRun {
			if w.spare == nil {
				w.spare = map[rune]uint16{}
			}
			var ok bool
			if c, ok = w.spare[r]; !ok {
				c = uint16(min(firstSpareChar+len(w.spare), maxCharIndex))
				w.spare[r] = c
			}
		}
		w.index = append(w.index, c)
	}
	inRun := false
	for _, r := range text {
		r = unicode.ToLower(r)
		sc, letter := classOf(r)
		switch {
		case inRun && letter:
			push(r, sc, true)
			continue
		case inRun:
			w.bounds = append(w.bounds, int32(len(w.runes)))
			inRun = false
		}
		if isSingleCharWord(sc) {
			w.bounds = append(w.bounds, int32(len(w.runes)))
			push(r, sc, false)
			w.bounds = append(w.bounds, int32(len(w.runes)))
		} else if letter {
			w.bounds = append(w.bounds, int32(len(w.runes)))
			push(r, sc, true)
			inRun = true
		}
	}
	if inRun {
		w.bounds = append(w.bounds, int32(len(w.runes)))
	}
}

func checkSplit(t *testing.T, w *words, text string) {
	t.Helper()
	var ref words
	refSplit(&ref, text, &models)
	w.split(text, &models)
	if !slices.Equal(w.runes, ref.runes) || !slices.Equal(w.scripts, ref.scripts) ||
		!slices.Equal(w.index, ref.index) || !slices.Equal(w.bounds, ref.bounds) {
		t.Fatalf("%.80q: split differs from the reference", text)
	}
}

// TestSplitMatchesReference: the real pages, texts and sentences in 75
// languages, and awkward text (invalid UTF-8, unknown letters, mixed
// scripts), split by index as by one append per letter; w is reused so
// that its slices carry old contents.
func TestSplitMatchesReference(t *testing.T) {
	if err := models.loadChars(); err != nil {
		t.Fatal(err)
	}
	texts, _ := pageDocs(t, 4000)
	docs, _ := labelledDocs(t, 4000, 1)
	texts = append(texts, docs...)
	for _, code := range sortedKeys(sentences(t)) {
		texts = append(texts, sentences(t)[code][:5]...)
	}
	texts = append(texts, "", "a", "ÄÖÜ", "\xff\xfeabc\xc3", "abc漢字def", "ꙮꙮꙮ x ꙮ", "𝔄𝔅ℭ 𐐀𐐁", strings.Repeat("Ǆǅ ", 50), "x\u200dy İI")
	var w words
	for _, text := range texts {
		checkSplit(t, &w, text)
	}
}

func FuzzSplitMatchesReference(f *testing.F) {
	f.Add("Hello Wörld ÄÖÜ 漢字 \xff")
	f.Add("ꙮꙮ ꙮx Ǆ")
	if err := models.loadChars(); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var w words
		checkSplit(t, &w, text)
	})
}
