package langcode

import "testing"

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"en": "en", "eng": "en", "EN-us": "en", "pt_BR": "pt", "zh-Hant": "zh", "zho": "zh",
		"__label__de": "de", "deu": "de", "fas": "fa", "msa": "ms", "sqi": "sq",
		"nor": "nb", "no": "nb", "nob": "nb", "nno": "nn", "nn": "nn", "nb": "nb",
		"tgl": "tl", "fil": "tl", "tl": "tl",
		"iw": "he", "heb": "he", "in": "id", "jw": "jv",
		"ceb": "ceb", "hmn": "hmn", "sux": "sux", "zha": "za", "bih": "bh",
		"": "und", "<unknown>": "und", "und": "und", "unknown": "und",
		"eml": "eml", "Xyz": "xyz", "xx-invalid": "xx-invalid",
	} {
		if got := Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDisplayName(t *testing.T) {
	for in, want := range map[string]string{
		"en": "English", "eng": "English", "my": "Burmese", "zho": "Chinese", "und": "undetermined",
		"nor": "Norwegian Bokmål", "tl": "Tagalog", "ceb": "Cebuano", "eml": "", "lif": "",
	} {
		if got := DisplayName(in); got != want {
			t.Errorf("DisplayName(%q) = %q, want %q", in, got, want)
		}
	}
}
