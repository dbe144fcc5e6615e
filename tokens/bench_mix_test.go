package tokens

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
)

// mixTexts returns ~2 KB documents made like the pages of the end-to-end
// benchmark corpus (bench/gencorpus): each document is one language,
// English for ~45% and otherwise any of the 75, of real sentences drawn at
// random, with a paragraph break every few sentences as the extractor
// leaves them. Unlike realTexts (each language's sentences in file order,
// one language after another) languages interleave, as they do in a crawl,
// so the per-worker cache of piece counts sees the corpus's working set.
func mixTexts(t testing.TB, docs int) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(testdata.Shared(t, "langid"), "sentences", "*.txt"))
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatal("no langid sentences")
	}
	var langs [][]string
	english := -1
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var sentences []string
		for _, s := range strings.Split(string(b), "\n") {
			if s = strings.TrimSpace(s); s != "" {
				sentences = append(sentences, s)
			}
		}
		if filepath.Base(f) == "en.txt" {
			english = len(langs)
		}
		langs = append(langs, sentences)
	}
	if english < 0 {
		t.Fatal("no English sentences")
	}
	rng := rand.New(rand.NewPCG(8, 75))
	out := make([]string, 0, docs)
	for range docs {
		lang := langs[rng.IntN(len(langs))]
		if rng.IntN(100) < 45 {
			lang = langs[english]
		}
		var sb strings.Builder
		for sb.Len() < 2000 {
			if sb.Len() > 0 {
				if rng.IntN(4) == 0 {
					sb.WriteString("\n\n")
				} else {
					sb.WriteByte(' ')
				}
			}
			sb.WriteString(lang[rng.IntN(len(lang))])
		}
		out = append(out, sb.String())
	}
	return out
}

// BenchmarkCountMix: documents like the end-to-end corpus's (see mixTexts).
func BenchmarkCountMix(b *testing.B) {
	c := counter(b)
	texts := mixTexts(b, 20000)
	b.ResetTimer()
	cpu0 := cpuSeconds()
	var n int64
	for i := 0; i < b.N; i++ {
		s := texts[i%len(texts)]
		n += int64(len(s))
		c.Count(s)
	}
	b.SetBytes(n / int64(b.N))
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu, "docs/cpu-s")
		b.ReportMetric(float64(n)/1e6/cpu, "MB/cpu-s")
	}
}

// TestMatchesReferenceOnMix compares counts with the reference encoder on
// documents like the end-to-end corpus's.
func TestMatchesReferenceOnMix(t *testing.T) {
	c, ref := counter(t), reference(t)
	n := 300
	if testing.Short() || raceEnabled {
		n = 40
	}
	for i, s := range mixTexts(t, n) {
		want, err := ref.Count(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Count(s); got != want {
			t.Fatalf("text %d (%.60q...): got %d tokens, reference %d", i, s, got, want)
		}
	}
}
