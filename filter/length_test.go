package filter

import (
	"strings"
	"testing"
)

func TestLength(t *testing.T) {
	l, err := NewLength(LengthConfig{MinChars: 10, MaxChars: 20, MinWords: 2, MaxTokens: 5})
	must(t, err)
	for text, want := range map[string]string{
		"123456789":             "length_too_few_chars",
		"one two 3":             "length_too_few_chars",
		"one two 34":            "",
		"one two three four xx": "length_too_many_chars",
		"onetwothree":           "length_too_few_words",
	} {
		d := doc(text, "en")
		if o := l.Process(d, nil); o.Reason != want {
			t.Errorf("%q: %q, want %q", text, o.Reason, want)
		}
	}
	d := doc("one two three", "en")
	d.TokenCount = 6
	if o := l.Process(d, nil); o.Reason != "length_too_many_tokens" {
		t.Errorf("6 tokens: %v", o)
	}
	d.TokenCount = 5
	if o := l.Process(d, nil); o.Drop {
		t.Errorf("5 tokens: %v", o)
	}
	// No token count: the token bound cannot apply and is counted.
	var m pipelineMetrics
	d = doc(strings.Repeat("w ", 6), "en")
	if o := l.Process(d, &m.Metrics); o.Drop || m.Counts["tokens_not_counted"] != 1 {
		t.Errorf("uncounted tokens: %v %v", o, m.Counts)
	}
	if _, err := NewLength(LengthConfig{MinChars: 5, MaxChars: 4}); err == nil {
		t.Error("min > max accepted")
	}
}
