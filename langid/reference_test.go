package langid

import (
	"strings"
	"sync"
	"testing"

	"github.com/pemistahl/lingua-go"
)

var (
	linguaOnce sync.Once
	linguaDet  lingua.LanguageDetector
)

// linguaReference is lingua-go itself (all languages, high accuracy, models
// loaded lazily), the reference every answer here is compared with.
func linguaReference() lingua.LanguageDetector {
	linguaOnce.Do(func() {
		linguaDet = lingua.NewLanguageDetectorBuilder().FromAllLanguages().Build()
	})
	return linguaDet
}

// linguaAnswer is lingua's answer in this package's terms: code and
// confidence, "und" when lingua returns Unknown.
func linguaAnswer(det lingua.LanguageDetector, text string) (string, float64) {
	v := det.ComputeLanguageConfidenceValues(text)
	if len(v) < 2 || v[0].Value() == v[1].Value() {
		return Undetermined, 0
	}
	return strings.ToLower(v[0].Language().IsoCode639_1().String()), v[0].Value()
}

func newFullDetector(t testing.TB) *Detector {
	t.Helper()
	d, err := NewDetector(Config{MaxChars: -1, Backend: BackendLingua})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// agreement compares d's answers with lingua's on texts and returns the
// share that agree; it logs the disagreements.
func agreement(t *testing.T, d *Detector, texts, names []string, maxScoreDiff float64) float64 {
	t.Helper()
	ref := linguaReference()
	agree := 0
	for i, text := range texts {
		want, wantScore := linguaAnswer(ref, text)
		got, gotScore, _, _ := d.Detect(text)
		if got == want {
			agree++
			if maxScoreDiff > 0 && abs(float64(gotScore)-wantScore) > maxScoreDiff {
				t.Errorf("%s: %s score %.6f, lingua %.6f", names[i], got, gotScore, wantScore)
			}
			continue
		}
		t.Logf("%s: got %s %.4f, lingua %s %.4f: %.80q", names[i], got, gotScore, want, wantScore, text)
	}
	return float64(agree) / float64(len(texts))
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestMatchesLingua checks that the packed scorer, examining the whole text,
// gives lingua-go's own answer and confidence on real pages and on labelled
// sentences, long (trigram path) and short (1- to 5-gram path).
func TestMatchesLingua(t *testing.T) {
	d := newFullDetector(t)
	t.Run("pages", func(t *testing.T) {
		docs, names := pageDocs(t, 4000)
		if a := agreement(t, d, docs, names, 1e-4); a < 1 {
			t.Errorf("agreement with lingua on %d real pages: %.4f, want 1", len(docs), a)
		}
	})
	t.Run("sentence_docs", func(t *testing.T) {
		docs, labels := labelledDocs(t, 1000, 1)
		if a := agreement(t, d, docs, labels, 1e-4); a < 1 {
			t.Errorf("agreement with lingua on %d 1000-character texts: %.4f, want 1", len(docs), a)
		}
	})
	t.Run("sentences", func(t *testing.T) {
		if testing.Short() || raceEnabled {
			t.Skip("lingua-go loads all its 1- to 5-gram models (2 GB) for short texts; slow under -race")
		}
		s := sentences(t)
		var texts, names []string
		for _, code := range sortedKeys(s) {
			for _, line := range s[code][:4] {
				texts = append(texts, line)
				names = append(names, code)
			}
		}
		if a := agreement(t, d, texts, names, 1e-4); a < 0.995 {
			t.Errorf("agreement with lingua on %d sentences: %.4f, want ≥ 0.995", len(texts), a)
		}
	})
}

// TestSampledAgreesWithLingua checks the default detector, which examines a
// DefaultMaxChars sample of long texts, against lingua-go on the whole text:
// real pages and 4,000-character texts in all 75 languages. The issue asks
// for ≥ 99% agreement.
func TestSampledAgreesWithLingua(t *testing.T) {
	perLang := 2
	if testing.Short() || raceEnabled {
		perLang = 1
	}
	d, err := NewDetector(linguaConfig())
	if err != nil {
		t.Fatal(err)
	}
	pages, names := pageDocs(t, 4000)
	docs, labels := labelledDocs(t, 4000, perLang)
	a := agreement(t, d, append(pages, docs...), append(names, labels...), 0)
	t.Logf("agreement with lingua-go on %d texts: %.4f", len(pages)+len(docs), a)
	if a < 0.99 {
		t.Errorf("agreement %.4f, want ≥ 0.99", a)
	}
}

// TestLowAccuracyMatchesLingua compares low-accuracy mode (trigrams only,
// also for short texts) with lingua-go's own low-accuracy mode.
func TestLowAccuracyMatchesLingua(t *testing.T) {
	d, err := NewDetector(Config{LowAccuracy: true, MaxChars: -1, Backend: BackendLingua})
	if err != nil {
		t.Fatal(err)
	}
	ref := lingua.NewLanguageDetectorBuilder().FromAllLanguages().WithLowAccuracyMode().Build()
	s := sentences(t)
	var texts, names []string
	for _, code := range sortedKeys(s) {
		texts = append(texts, s[code][0], s[code][1][:min(len(s[code][1]), 8)])
		names = append(names, code, code+" (8 bytes)")
	}
	agree := 0
	for i, text := range texts {
		want, wantScore := linguaAnswer(ref, text)
		got, gotScore, _, _ := d.Detect(text)
		if got == want && abs(float64(gotScore)-wantScore) < 1e-4 {
			agree++
		} else {
			t.Logf("%s: got %s %.4f, lingua %s %.4f: %q", names[i], got, gotScore, want, wantScore, text)
		}
	}
	if a := float64(agree) / float64(len(texts)); a < 0.99 {
		t.Errorf("low-accuracy agreement with lingua on %d texts: %.4f, want ≥ 0.99", len(texts), a)
	}
}
