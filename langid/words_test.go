package langid

import (
	"testing"
	"unicode"
)

// TestToLower: the table-driven toLower is unicode.ToLower on every rune.
func TestToLower(t *testing.T) {
	for r := rune(-1); r <= unicode.MaxRune+1; r++ {
		if got, want := toLower(r), unicode.ToLower(r); got != want {
			t.Fatalf("toLower(%U) = %U, unicode.ToLower %U", r, got, want)
		}
	}
}
