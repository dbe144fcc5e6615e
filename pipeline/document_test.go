package pipeline

import (
	"strings"
	"testing"
)

// TestMarkTextValid: the mark holds for the marked string only; a step that
// sets another text (even with the same bytes, or a part of it) loses it.
func TestMarkTextValid(t *testing.T) {
	d := &Document{Text: "héllo world"}
	if d.TextKnownValid() {
		t.Fatal("unmarked text known valid")
	}
	d.MarkTextValid()
	if !d.TextKnownValid() {
		t.Fatal("marked text not known valid")
	}
	for _, other := range []string{strings.Clone(d.Text), d.Text[:3], d.Text + "\xff", ""} {
		e := *d
		e.Text = other
		if e.TextKnownValid() && other != "" {
			t.Errorf("text %q known valid after it was replaced", other)
		}
	}
}
