package tokens

import (
	"testing"

	"github.com/sieve-data/sieve/pipeline"
)

func TestStepSetsTokenCount(t *testing.T) {
	s, err := NewStep(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if s.Name() != "tokens" {
		t.Fatalf("name %q", s.Name())
	}
	var m pipeline.Metrics
	texts := pageTexts(t)[:20]
	var sum int64
	for _, text := range texts {
		d := &pipeline.Document{Text: text, TokenCount: -1}
		if o := s.Process(d, &m); o.Drop {
			t.Fatal("the tokens step dropped a document")
		}
		if want := int64(counter(t).Count(text)); d.TokenCount != want || want <= 0 {
			t.Fatalf("TokenCount %d, want %d", d.TokenCount, want)
		}
		sum += d.TokenCount
	}
	if m.Counts["tokens"] != sum {
		t.Fatalf("metrics count %d tokens, documents %d", m.Counts["tokens"], sum)
	}
	if _, err := NewStep(Config{Encoding: "r50k_base"}); err == nil {
		t.Fatal("unsupported encoding accepted")
	}
}
