// Package langcode gives every language code sieve meets one spelling, so
// that counts from different detectors and references line up: lingua
// (ISO 639-1), fastText's lid.176 ("__label__en", a few 639-3 codes),
// Common Crawl's CLD2 table (ISO 639-3: "eng", "zho", "nor") and user
// CSVs ("EN-us", "pt_BR").
//
// The canonical code is the ISO 639-1 code where the language has one,
// else its ISO 639-3 code, lower-case, without region or script, as
// golang.org/x/text/language resolves it ("eng" → "en", "zho" → "zh",
// "iw" → "he"). Three choices go beyond that resolution, each because two
// sources would otherwise disagree about the same pages:
//   - "no"/"nor" (Norwegian) → "nb": CLD2 reports Nynorsk apart ("nno"), so
//     its "nor" is Bokmål, which lingua reports as "nb".
//   - "fil"/"tgl" → "tl": lingua and lid.176 both say "tl" for Tagalog,
//     while x/text would turn "tgl" into "fil".
//   - "", "<unknown>", "unknown", "und" → "und" (undetermined).
//
// This package is small on purpose (x/text only) so that stats can use it
// without loading langid's models.
package langcode

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Undetermined is the code of documents without a language.
const Undetermined = "und"

var aliases = map[string]string{
	"no": "nb", "nor": "nb",
	"fil": "tl", "tgl": "tl",
	// Deprecated ISO 639-1 codes that ParseBase keeps as given.
	"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro",
}

// Canonical returns sieve's spelling of a language code (see the package
// comment). A code x/text does not know is returned lower-cased as given
// (region included: it may be a private label such as "xx-invalid").
func Canonical(code string) string {
	code = strings.ToLower(strings.TrimSpace(code))
	code = strings.TrimPrefix(code, "__label__")
	switch code {
	case "", "und", "unknown", "<unknown>", "un", "zxx":
		return Undetermined
	}
	primary := code
	if i := strings.IndexAny(primary, "-_"); i >= 0 {
		primary = primary[:i]
	}
	if a, ok := aliases[primary]; ok {
		return a
	}
	b, err := language.ParseBase(primary)
	if err != nil {
		return code
	}
	s := b.String()
	if a, ok := aliases[s]; ok {
		return a
	}
	return s
}

var names = display.English.Languages()

// DisplayName is the English name of a language code ("my" → "Burmese",
// "zho" → "Chinese", "und" → "undetermined"), or "" when x/text does not
// know the language.
func DisplayName(code string) string {
	c := Canonical(code)
	switch c {
	case Undetermined:
		return "undetermined"
	case "tl":
		return "Tagalog" // x/text names "tl" after "fil"
	}
	tag, err := language.Parse(c)
	if err != nil {
		return ""
	}
	n := names.Name(tag)
	if n == "Unknown language" {
		return ""
	}
	return n
}
