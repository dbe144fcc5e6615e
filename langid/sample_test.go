package langid

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// refSampleOf is sampleOf written plainly, one rune at a time (as before
// skipRunes): the fast path must cut exactly the same windows.
func refSampleOf(text string, maxChars int) string {
	if utf8.RuneCountInString(text) <= maxChars {
		return text
	}
	windows := max(1, maxChars/sampleWindowChars)
	per := maxChars / windows
	var out []byte
	for i := range windows {
		start := i * len(text) / windows
		if start > 0 {
			start = nextWordStart(text, start)
		}
		end := start
		for n := 0; n < per && end < len(text); n++ {
			_, size := utf8.DecodeRuneInString(text[end:])
			end += size
		}
		end = wordEnd(text, end)
		if len(out) > 0 {
			out = append(out, '\n')
		}
		out = append(out, text[start:end]...)
	}
	return string(out)
}

func checkSample(t *testing.T, s *scratch, text string) {
	t.Helper()
	for _, maxChars := range []int{200, 333, DefaultMaxChars} {
		if got, want := s.sampleOf(text, maxChars), refSampleOf(text, maxChars); got != want {
			t.Fatalf("%.60q, max %d: sample %.80q, reference %.80q", text, maxChars, got, want)
		}
	}
}

// TestSampleMatchesReference: real pages and texts in 75 languages cut at
// every length around the thresholds, plus invalid UTF-8 and runs of
// ASCII that end inside the 8-byte steps.
func TestSampleMatchesReference(t *testing.T) {
	var s scratch
	texts, _ := pageDocs(t, 4000)
	docs, _ := labelledDocs(t, 4000, 1)
	texts = append(texts, docs...)
	texts = append(texts,
		strings.Repeat("a", 1000), strings.Repeat("a", 1001), strings.Repeat("ä", 1000), strings.Repeat("ä", 1001),
		strings.Repeat("abcdefg\xff", 300), strings.Repeat("\xe2\x82 x", 700), strings.Repeat("日本語 ", 400),
	)
	for _, text := range texts {
		checkSample(t, &s, text)
		for _, n := range []int{199, 200, 201, 999, 1000, 1001, 1003, 4000, 4001} {
			if n < len(text) {
				checkSample(t, &s, text[:n])
			}
		}
	}
}

func FuzzSampleMatchesReference(f *testing.F) {
	f.Add(strings.Repeat("Hello wörld ", 120))
	f.Add(strings.Repeat("\xff\xfeabcdefgh", 150))
	f.Fuzz(func(t *testing.T, text string) {
		var s scratch
		checkSample(t, &s, text)
	})
}
