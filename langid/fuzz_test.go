package langid

import "testing"

// FuzzDetect feeds arbitrary bytes (invalid UTF-8, mixed scripts, huge
// words) to the word splitter, rules, sampler and scorer: no panic, a known
// code, a score in [0, 1], and the same answer twice.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		"", "Hello world", "abc漢字", "日本語のテキストです", "Ελληνικά κείμενα", "\xff\xfe\x00abc",
		"ß ß ß", "İstanbul ığdır", "a", "12 34", "ქართული ენა", "Тестовий текст українською мовою",
		"Ёлка ёж", "中文和日本語", "\u0301\u0301", "x\u200dy", "Ẹ̀ káàbọ̀",
	} {
		f.Add(s)
	}
	d, err := NewDetector(Config{MaxChars: 200})
	if err != nil {
		f.Fatal(err)
	}
	// Build the short-text tables now: the fuzzing engine counts an input
	// that takes seconds (the lazy build) as a hang.
	if _, err := tablesUpTo(maxNgram); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		lang, score, runnerUp, runnerUpScore := d.Detect(text)
		if _, ok := codeIndex[lang]; !ok && lang != Undetermined {
			t.Fatalf("unknown code %q", lang)
		}
		if !(score >= 0 && score <= 1) || !(runnerUpScore >= 0 && runnerUpScore <= 1) {
			t.Fatalf("scores out of range: %v %v", score, runnerUpScore)
		}
		if runnerUp != "" && runnerUp == lang {
			t.Fatalf("runner-up equals the answer %s", lang)
		}
		if lang == Undetermined && score != 0 {
			t.Fatalf("und with score %v", score)
		}
		if l2, s2, _, _ := d.Detect(text); l2 != lang || s2 != score {
			t.Fatalf("not deterministic: %s %v then %s %v", lang, score, l2, s2)
		}
	})
}
