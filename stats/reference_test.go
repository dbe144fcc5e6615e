package stats

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadReference(t *testing.T) {
	ref, err := LoadReference("testdata/reference-languages.csv")
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]float64{"en": 0.46, "ru": 0.06, "zh": 0.048, "my": 0.0002, "und": 0.01} {
		if got := ref.Shares[code]; math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: share %v, want %v", code, got, want)
		}
	}
	if ref.Languages()[0] != "en" {
		t.Errorf("largest first: %v", ref.Languages()[:3])
	}
}

func TestLoadReferenceFractionsAndErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ref, err := LoadReference(write("frac.csv", "en,0.5\nde-DE,0.25\nfr_FR,0.25\n"))
	if err != nil {
		t.Fatal(err)
	}
	if ref.Shares["en"] != 0.5 || ref.Shares["de"] != 0.25 || ref.Shares["fr"] != 0.25 {
		t.Errorf("shares %v", ref.Shares)
	}
	for name, s := range map[string]string{
		"empty.csv":    "",
		"header.csv":   "language,share\n",
		"one.csv":      "en\n",
		"bad.csv":      "language,share\nen,lots\n",
		"negative.csv": "en,-1\n",
	} {
		if _, err := LoadReference(write(name, s)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := LoadReference(filepath.Join(dir, "missing.csv")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestNormalizeLanguage(t *testing.T) {
	for in, want := range map[string]string{"eng": "en", "EN": "en", "en-US": "en", "zho": "zh", "mya": "my", "": "und", "<unknown>": "und", "xx-invalid": "xx-invalid"} {
		if got := NormalizeLanguage(in); got != want {
			t.Errorf("NormalizeLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLanguageName(t *testing.T) {
	for code, want := range map[string]string{"en": "English", "my": "Burmese", "hi": "Hindi", "und": "undetermined", "zz-bad!": ""} {
		if got := LanguageName(code); got != want {
			t.Errorf("LanguageName(%q) = %q, want %q", code, got, want)
		}
	}
}
