package filter

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sieve-data/sieve/pipeline"
)

// TestStepsKeepTheValidMark: C4's cleaned text and PII's masked text keep
// the proof of valid UTF-8 (so the shard writer does not check them again)
// exactly when the text they started from had it, and the texts are valid.
func TestStepsKeepTheValidMark(t *testing.T) {
	c4, err := NewC4Quality(DefaultC4QualityConfig())
	if err != nil {
		t.Fatal(err)
	}
	pii, err := NewPII(DefaultPIIConfig())
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{
		"Ein erster Satz über Größen und Gewichte, der lang genug ist.",
		"menu",
		"Второе предложение достаточно длинное, чтобы остаться в тексте.",
		"Write to jane.doe@example.org or call 203.0.113.9 for the full list.",
		"Der letzte Satz endet auch mit einem Punkt, wie es sich gehört.",
		"Noch ein Satz folgt hier. Und noch einer, damit es genug sind. Fertig ist er nun.",
	}
	text := strings.Join(lines, "\n")
	for _, marked := range []bool{true, false} {
		d := &pipeline.Document{Text: text, Language: "de"}
		if marked {
			d.MarkTextValid()
		}
		if o := c4.Process(d, nil); o.Drop {
			t.Fatalf("C4 dropped the text: %+v", o)
		}
		if strings.Contains(d.Text, "\nmenu\n") || d.Text == text {
			t.Fatalf("C4 did not remove the short line: %q", d.Text)
		}
		if d.TextKnownValid() != marked {
			t.Errorf("marked %v: after C4 the text is known valid: %v", marked, d.TextKnownValid())
		}
		before := d.Text
		pii.Process(d, nil)
		if d.Text == before {
			t.Fatalf("PII masked nothing in %q", d.Text)
		}
		if d.TextKnownValid() != marked || !utf8.ValidString(d.Text) {
			t.Errorf("marked %v: after PII the text is known valid: %v", marked, d.TextKnownValid())
		}
	}
	// An invalid replacement loses the mark.
	cfg := DefaultPIIConfig()
	cfg.EmailReplacement = []string{"\xff"}
	bad, err := NewPII(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := &pipeline.Document{Text: "mail bob@example.com now"}
	d.MarkTextValid()
	bad.Process(d, nil)
	if d.TextKnownValid() {
		t.Error("an invalid replacement kept the mark")
	}
}
