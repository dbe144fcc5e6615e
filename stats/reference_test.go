package stats

import (
	"math"
	"os"
	"path/filepath"
	"strings"
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

func TestDefaultReferenceIsCommonCrawl(t *testing.T) {
	ref, err := ResolveReference("")
	if err != nil || ref == nil {
		t.Fatalf("default reference: %v, %v", ref, err)
	}
	// CC-MAIN-2024-42 as published: English 43.4241%, Russian 6.0444%,
	// German 5.3038%, Japanese 5.0419%, Chinese 4.8129%; Norwegian (nor)
	// becomes nb, Tagalog (tgl) tl.
	for code, want := range map[string]float64{"en": 0.434241, "ru": 0.060444, "de": 0.053038, "ja": 0.050419, "zh": 0.048129, "nb": 0.003060, "nn": 0.000130, "tl": 0.000088, "und": 0.032780} {
		if got := ref.Shares[code]; math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: share %v, want %v", code, got, want)
		}
	}
	var sum float64
	for _, v := range ref.Shares {
		sum += v
	}
	if math.Abs(sum-1) > 1e-5 {
		t.Errorf("shares sum to %v", sum)
	}
	if !strings.Contains(ref.Name, "CC-MAIN-2024-42") || !strings.Contains(ref.Note, "CLD2") {
		t.Errorf("name %q note %q", ref.Name, ref.Note)
	}
	if ref, err := ResolveReference("none"); ref != nil || err != nil {
		t.Errorf("none: %v, %v", ref, err)
	}
	if _, err := ResolveReference(filepath.Join(t.TempDir(), "missing.csv")); err == nil {
		t.Error("missing file: no error")
	}
}

// A Common Crawl languages.csv with several crawls: the last crawl counts.
func TestLoadReferenceCommonCrawlFormat(t *testing.T) {
	p := filepath.Join(t.TempDir(), "languages.csv")
	csv := "crawl,primary_language,pages,urls,%pages/crawl\n" +
		"CC-MAIN-2018-34,eng,10,10,50.0\nCC-MAIN-2018-34,deu,10,10,50.0\n" +
		"CC-MAIN-2024-42,<unknown>,1,1,10.0\nCC-MAIN-2024-42,eng,6,6,60.0\nCC-MAIN-2024-42,rus,3,3,30.0\n"
	if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	ref, err := LoadReference(p)
	if err != nil {
		t.Fatal(err)
	}
	if ref.Name != "Common Crawl CC-MAIN-2024-42" || len(ref.Shares) != 3 || ref.Shares["en"] != 0.6 || ref.Shares["ru"] != 0.3 || ref.Shares["und"] != 0.1 {
		t.Errorf("%q %v", ref.Name, ref.Shares)
	}
}
