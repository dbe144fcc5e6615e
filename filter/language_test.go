package filter

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDefaultLanguageTableCoversLargeLanguages(t *testing.T) {
	tab := DefaultLanguageTable()
	// The 20 largest Common Crawl languages and then some.
	for _, lang := range []string{"en", "ru", "de", "zh", "ja", "fr", "es", "it", "pt", "pl", "nl", "vi", "cs", "id", "tr", "sv", "ko", "hu", "el", "uk", "ar", "th"} {
		p, ok := tab[lang]
		if !ok {
			t.Errorf("%s missing", lang)
			continue
		}
		if p.stopWords == nil && !p.IsOff(RuleStopWords) {
			t.Errorf("%s has neither stop words nor the rule off", lang)
		}
	}
	if *tab["es"].MinAvgWordLength != 4 || tab["es"].TopNGrams[0] != (NGramThreshold{2, 0.077}) {
		t.Errorf("es: %+v", tab["es"])
	}
}

func TestLoadLanguageTableOverrides(t *testing.T) {
	path := filepath.Join(t.TempDir(), "langs.yaml")
	must(t, os.WriteFile(path, []byte(`
es:
  min_avg_word_length: 2
sw:
  stopwords: [na, ya, wa, kwa]
  off: [bullet_lines]
`), 0o644))
	tab, err := LoadLanguageTable(path)
	must(t, err)
	if *tab["es"].MinAvgWordLength != 2 || *tab["es"].MaxAvgWordLength != 14 {
		t.Errorf("es not merged key by key: %+v", tab["es"])
	}
	if _, ok := tab["sw"].stopWords["kwa"]; !ok || !tab["sw"].IsOff(RuleBulletLines) {
		t.Errorf("sw: %+v", tab["sw"])
	}
	if tab["de"] == nil {
		t.Error("shipped languages lost")
	}
	cfg := DefaultGopherQualityConfig()
	cfg.Languages = path
	if _, err := NewGopherQuality(cfg); err != nil {
		t.Error(err)
	}
}

func TestLanguageTableErrors(t *testing.T) {
	for _, bad := range []string{
		"es: {min_avg_word_lenght: 2}",  // typo: unknown key
		"es: {top_n_grams: [[2]]}",      // not a pair
		"es: {top_n_grams: [[2.5, 1]]}", // n not an integer
		"- a list",
	} {
		if _, err := ParseLanguageTable([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	cfg := DefaultGopherQualityConfig()
	cfg.Languages = "/nonexistent.yaml"
	if _, err := NewGopherQuality(cfg); err == nil {
		t.Error("missing language file accepted")
	}
}
