package filter

import (
	"bufio"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/sieve-data/sieve/pipeline"
)

// textsFile names a JSON-lines file of {"text", "language"} documents for
// BenchmarkTexts, e.g. the distinct texts of a bench corpus run's shards
// (the docs corpus: real Debian manuals in 25 languages):
//
//	go test -run XXX -bench Texts ./filter -texts /tmp/docs-texts.jsonl
var textsFile = flag.String("texts", "", "JSON-lines documents ({text, language}) for BenchmarkTexts")

type langText struct {
	Text     string `json:"text"`
	Language string `json:"language"`
}

func benchTexts(b *testing.B) []langText {
	if *textsFile == "" {
		b.Skip("no -texts file")
	}
	f, err := os.Open(*textsFile)
	must(b, err)
	defer f.Close()
	var out []langText
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<28)
	for sc.Scan() {
		var t langText
		must(b, json.Unmarshal(sc.Bytes(), &t))
		out = append(out, t)
	}
	must(b, sc.Err())
	if len(out) == 0 {
		b.Fatalf("%s: no documents", *textsFile)
	}
	return out
}

// BenchmarkTexts runs the fineweb pipeline's text filters over the -texts
// documents, each step alone (on a precomputed analysis, the analysis
// itself as its own case) and as the chain; one op is one pass over all
// documents, so ns/op and cpu-ms/op compare directly between two builds.
func BenchmarkTexts(b *testing.B) {
	texts := benchTexts(b)
	var total int64
	for _, t := range texts {
		total += int64(len(t.Text))
	}
	gr, err := NewGopherRepetition(DefaultGopherRepetitionConfig())
	must(b, err)
	gq, err := NewGopherQuality(DefaultGopherQualityConfig())
	must(b, err)
	c4cfg := DefaultC4QualityConfig()
	c4cfg.FilterNoTerminalPunct = false // as the fineweb pipeline sets it
	c4, err := NewC4Quality(c4cfg)
	must(b, err)
	fw, err := NewFineWebQuality(DefaultFineWebQualityConfig())
	must(b, err)
	pii, err := NewPII(DefaultPIIConfig())
	must(b, err)
	analyses := make([]*Analysis, len(texts))
	for i, t := range texts {
		analyses[i] = Analyze(t.Text)
	}
	run := func(b *testing.B, body func(k int)) {
		b.SetBytes(total)
		cpu0 := cpuSeconds()
		for i := 0; i < b.N; i++ {
			for k := range texts {
				body(k)
			}
		}
		// CPU time per pass: on a shared machine it varies less than
		// wall time.
		b.ReportMetric((cpuSeconds()-cpu0)*1e3/float64(b.N), "cpu-ms/op")
	}
	b.Run("analysis", func(b *testing.B) {
		a := new(Analysis)
		run(b, func(k int) { a.analyze(texts[k].Text) })
	})
	// The n-gram statistics alone: gopher_repetition's largest part.
	b.Run("ngrams", func(b *testing.B) {
		var top [maxTopN + 1]int64
		var dup [maxDupN + 1]int64
		s := new(ngramScratch)
		run(b, func(k int) {
			s.load(analyses[k])
			s.repetitionStats(&top, &dup)
		})
	})
	for _, s := range []pipeline.Step{gr, gq, c4, fw, pii} {
		b.Run(s.Name(), func(b *testing.B) {
			var m pipeline.Metrics
			run(b, func(k int) {
				d := doc(texts[k].Text, texts[k].Language)
				d.Analysis = analyses[k]
				s.Process(d, &m)
			})
		})
	}
	b.Run("chain", func(b *testing.B) {
		var m pipeline.Metrics
		run(b, func(k int) {
			d := doc(texts[k].Text, texts[k].Language)
			for _, s := range []pipeline.Step{gr, gq, c4, fw, pii} {
				if s.Process(d, &m).Drop {
					break
				}
			}
			d.ReleaseAnalysis()
		})
	})
}
