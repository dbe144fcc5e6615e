package langid

import (
	"bufio"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/pemistahl/lingua-go"

	"github.com/sieve-data/sieve/pipeline"
)

// benchDocs are 4,000-character documents of real multilingual text: the
// shared real pages plus the labelled sentences joined per language.
func benchDocs(b *testing.B, size int) []string {
	pages, _ := pageDocs(b, size)
	docs, _ := labelledDocs(b, size, 1)
	return append(pages, docs...)
}

func runDetect(b *testing.B, docs []string, detect func(string)) {
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d))
	}
	b.SetBytes(bytes / int64(len(docs)))
	detect(docs[0]) // build lazily loaded tables before timing
	cpu0 := cpuSeconds()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		detect(docs[i%len(docs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	// The machine is shared: docs per CPU-second of this process is the
	// per-core rate without other processes' load.
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu, "docs/cpu-s")
	}
}

// BenchmarkDetectSampled is the default path: a 1,000-character sample of
// each 4,000-character document.
func BenchmarkDetectSampled(b *testing.B) {
	d, err := NewDetector(Config{Backend: BackendLingua})
	if err != nil {
		b.Fatal(err)
	}
	runDetect(b, benchDocs(b, 4000), func(s string) { d.Detect(s) })
}

// BenchmarkDetectFull examines all of each 4,000-character document.
func BenchmarkDetectFull(b *testing.B) {
	d := newFullDetector(b)
	runDetect(b, benchDocs(b, 4000), func(s string) { d.Detect(s) })
}

// BenchmarkDetectScript is the rule fast path: texts in alphabets that name
// their language (Greek, Korean, Thai, Hebrew, Georgian, ...).
func BenchmarkDetectScript(b *testing.B) {
	d, err := NewDetector(Config{Backend: BackendLingua})
	if err != nil {
		b.Fatal(err)
	}
	all, labels := labelledDocs(b, 4000, 1)
	var docs []string
	for i, l := range labels {
		switch l {
		case "el", "ko", "th", "he", "ka", "hy", "ta", "te", "gu", "pa", "bn":
			docs = append(docs, all[i])
		}
	}
	runDetect(b, docs, func(s string) { d.Detect(s) })
}

// BenchmarkDetectSentence is the short-text path (1- to 5-grams).
func BenchmarkDetectSentence(b *testing.B) {
	d, err := NewDetector(Config{Backend: BackendLingua})
	if err != nil {
		b.Fatal(err)
	}
	s := sentences(b)
	var docs []string
	for _, code := range sortedKeys(s) {
		docs = append(docs, s[code][:20]...)
	}
	runDetect(b, docs, func(s string) { d.Detect(s) })
}

// BenchmarkLinguaFull is lingua-go itself on the same documents, for
// comparison (models loaded lazily, before the timer starts).
func BenchmarkLinguaFull(b *testing.B) {
	det := lingua.NewLanguageDetectorBuilder().FromAllLanguages().Build()
	docs := benchDocs(b, 4000)
	for _, d := range docs {
		det.ComputeLanguageConfidenceValues(d)
	}
	runDetect(b, docs, func(s string) { det.ComputeLanguageConfidenceValues(s) })
}

// cpuSeconds is the user+system CPU time this process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// BenchmarkStep is the pipeline step on 4,000-character real documents
// (default configuration: sampled).
func BenchmarkStep(b *testing.B) {
	st, err := NewStep(DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	var m pipeline.Metrics
	docs := make([]pipeline.Document, 0)
	for _, t := range benchDocs(b, 4000) {
		docs = append(docs, pipeline.Document{Text: t})
	}
	texts := make([]string, len(docs))
	for i := range docs {
		texts[i] = docs[i].Text
	}
	i := 0
	runDetect(b, texts, func(string) {
		st.Process(&docs[i%len(docs)], &m)
		i++
	})
}

// BenchmarkBackends measures the three backends side by side on the same
// 4,000-character documents (default 1,000-character sample), so the
// combined default's cost over lingua alone is read from one run.
func BenchmarkBackends(b *testing.B) {
	pages, _ := pageDocs(b, 4000)
	sets := []struct {
		name string
		docs []string
	}{{"mixed", benchDocs(b, 4000)}, {"pages", pages}}
	for _, set := range sets {
		for _, backend := range []string{BackendLingua, BackendFastText, BackendCombined} {
			b.Run(set.name+"/"+backend, func(b *testing.B) {
				c := DefaultConfig()
				c.Backend = backend
				d, err := NewDetector(c)
				if err != nil {
					b.Fatal(err)
				}
				runDetect(b, set.docs, func(s string) { d.Detect(s) })
			})
		}
	}
}

// benchTexts names JSONL files (a glob) whose "text" fields
// BenchmarkCorpus detects: a run's shards written with `writer: {format:
// jsonl, compression: none}` after extract, e.g. of a bench corpus.
var benchTexts = flag.String("langid.texts", "", "glob of JSONL files (a run's shards) for BenchmarkCorpus")

// BenchmarkCorpus runs the three backends over the distinct texts of the
// JSONL files named by -langid.texts (the texts a pipeline hands to
// langid, e.g. the text-dense docs corpus): an A/B measure of the step's
// CPU on real documents in one process. It skips when the flag is unset.
func BenchmarkCorpus(b *testing.B) {
	if *benchTexts == "" {
		b.Skip("-langid.texts not set")
	}
	files, err := filepath.Glob(*benchTexts)
	if err != nil || len(files) == 0 {
		b.Fatalf("-langid.texts %q: no files (%v)", *benchTexts, err)
	}
	seen := map[string]bool{}
	var texts []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			var doc struct {
				Text string `json:"text"`
			}
			if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
				b.Fatalf("%s: %v", f, err)
			}
			if !seen[doc.Text] {
				seen[doc.Text] = true
				texts = append(texts, doc.Text)
			}
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			b.Fatalf("%s: %v", f, err)
		}
	}
	for _, backend := range []string{BackendCombined, BackendFastText, BackendLingua} {
		b.Run(backend, func(b *testing.B) {
			c := DefaultConfig()
			c.Backend = backend
			d, err := NewDetector(c)
			if err != nil {
				b.Fatal(err)
			}
			runDetect(b, texts, func(s string) { d.Detect(s) })
		})
	}
}
