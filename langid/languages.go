package langid

import (
	"strings"

	"github.com/pemistahl/lingua-go"
)

// numLanguages is the number of languages lingua-go v1.4.0 has models for.
// A language is identified inside this package by its index in lingua's
// Language enumeration (Afrikaans = 0 ... Zulu = 74), which is also the
// order lingua breaks confidence ties in.
const numLanguages = 75

// unknownLang stands for lingua's Unknown in rule counting.
const unknownLang = numLanguages

// languageCodes are lower-case ISO 639-1 codes indexed by language.
var languageCodes [numLanguages]string

// codeIndex maps an ISO 639-1 code to its language index.
var codeIndex = map[string]int{}

func init() {
	all := lingua.AllLanguages()
	if len(all) != numLanguages {
		panic("langid: lingua-go's language set changed; update numLanguages and the script tables")
	}
	for _, l := range all {
		code := strings.ToLower(l.IsoCode639_1().String())
		languageCodes[int(l)] = code
		codeIndex[code] = int(l)
	}
}

// Indexes of the languages the rule engine names.
var (
	langChinese  = int(lingua.Chinese)
	langJapanese = int(lingua.Japanese)
)

// languageScripts lists each language's alphabets, as lingua-go's rule
// engine sees them (lingua keeps this table unexported).
var languageScripts = func() [numLanguages][]script {
	var t [numLanguages][]script
	latinLangs := []lingua.Language{lingua.Afrikaans, lingua.Albanian, lingua.Azerbaijani, lingua.Basque,
		lingua.Bokmal, lingua.Bosnian, lingua.Catalan, lingua.Croatian, lingua.Czech, lingua.Danish,
		lingua.Dutch, lingua.English, lingua.Esperanto, lingua.Estonian, lingua.Finnish, lingua.French,
		lingua.Ganda, lingua.German, lingua.Hungarian, lingua.Icelandic, lingua.Indonesian, lingua.Irish,
		lingua.Italian, lingua.Latin, lingua.Latvian, lingua.Lithuanian, lingua.Malay, lingua.Maori,
		lingua.Nynorsk, lingua.Polish, lingua.Portuguese, lingua.Romanian, lingua.Shona, lingua.Slovak,
		lingua.Slovene, lingua.Somali, lingua.Sotho, lingua.Spanish, lingua.Swahili, lingua.Swedish,
		lingua.Tagalog, lingua.Tsonga, lingua.Tswana, lingua.Turkish, lingua.Vietnamese, lingua.Welsh,
		lingua.Xhosa, lingua.Yoruba, lingua.Zulu}
	for _, l := range latinLangs {
		t[l] = []script{scriptLatin}
	}
	for _, l := range []lingua.Language{lingua.Belarusian, lingua.Bulgarian, lingua.Kazakh, lingua.Macedonian,
		lingua.Mongolian, lingua.Russian, lingua.Serbian, lingua.Ukrainian} {
		t[l] = []script{scriptCyrillic}
	}
	for _, l := range []lingua.Language{lingua.Arabic, lingua.Persian, lingua.Urdu} {
		t[l] = []script{scriptArabic}
	}
	t[lingua.Hindi] = []script{scriptDevanagari}
	t[lingua.Marathi] = []script{scriptDevanagari}
	t[lingua.Armenian] = []script{scriptArmenian}
	t[lingua.Bengali] = []script{scriptBengali}
	t[lingua.Chinese] = []script{scriptHan}
	t[lingua.Georgian] = []script{scriptGeorgian}
	t[lingua.Greek] = []script{scriptGreek}
	t[lingua.Gujarati] = []script{scriptGujarati}
	t[lingua.Hebrew] = []script{scriptHebrew}
	t[lingua.Japanese] = []script{scriptHiragana, scriptKatakana, scriptHan}
	t[lingua.Korean] = []script{scriptHangul}
	t[lingua.Punjabi] = []script{scriptGurmukhi}
	t[lingua.Tamil] = []script{scriptTamil}
	t[lingua.Telugu] = []script{scriptTelugu}
	t[lingua.Thai] = []script{scriptThai}
	return t
}()

// uniqueCharacters are letters lingua treats as proof of one language
// (copied as data from lingua-go's rule engine, including its quirks such as
// Romanian "Țţ").
var uniqueCharacters = map[lingua.Language]string{
	lingua.Azerbaijani: "Əə",
	lingua.Catalan:     "Ïï",
	lingua.Czech:       "ĚěŘřŮů",
	lingua.Esperanto:   "ĈĉĜĝĤĥĴĵŜŝŬŭ",
	lingua.German:      "ß",
	lingua.Hungarian:   "ŐőŰű",
	lingua.Kazakh:      "ӘәҒғҚқҢңҰұ",
	lingua.Latvian:     "ĢģĶķĻļŅņ",
	lingua.Lithuanian:  "ĖėĮįŲų",
	lingua.Macedonian:  "ЃѓЅѕЌќЏџ",
	lingua.Marathi:     "ळ",
	lingua.Mongolian:   "ӨөҮү",
	lingua.Polish:      "ŁłŃńŚśŹź",
	lingua.Romanian:    "Țţ",
	lingua.Serbian:     "ЂђЋћ",
	lingua.Slovak:      "ĹĺĽľŔŕ",
	lingua.Spanish:     "¿¡",
	lingua.Ukrainian:   "ҐґЄєЇї",
	lingua.Vietnamese:  "ẰằẦầẲẳẨẩẴẵẪẫẮắẤấẠạẶặẬậỀềẺẻỂểẼẽỄễẾếỆệỈỉĨĩỊịƠơỒồỜờỎỏỔổỞởỖỗỠỡỐốỚớỘộỢợƯưỪừỦủỬửŨũỮữỨứỤụỰựỲỳỶỷỸỹỴỵ",
	lingua.Yoruba:      "ŌōṢṣ",
}

// charsToLanguages are letters shared by a few languages: when at least half
// of the words hold one of them, lingua narrows the candidates to those
// languages. Data from lingua-go's rule engine.
var charsToLanguages = map[string][]lingua.Language{
	"Ãã":     {lingua.Portuguese, lingua.Vietnamese},
	"ĄąĘę":   {lingua.Lithuanian, lingua.Polish},
	"Żż":     {lingua.Polish, lingua.Romanian},
	"Îî":     {lingua.French, lingua.Romanian},
	"Ññ":     {lingua.Basque, lingua.Spanish},
	"ŇňŤť":   {lingua.Czech, lingua.Slovak},
	"Ăă":     {lingua.Romanian, lingua.Vietnamese},
	"İıĞğ":   {lingua.Azerbaijani, lingua.Turkish},
	"ЈјЉљЊњ": {lingua.Macedonian, lingua.Serbian},
	"ẸẹỌọ":   {lingua.Vietnamese, lingua.Yoruba},
	"ÐðÞþ":   {lingua.Icelandic, lingua.Turkish},
	"Ûû":     {lingua.French, lingua.Hungarian},
	"Ōō":     {lingua.Maori, lingua.Yoruba},

	"ĀāĒēĪī": {lingua.Latvian, lingua.Maori, lingua.Yoruba},
	"Şş":     {lingua.Azerbaijani, lingua.Romanian, lingua.Turkish},
	"Ďď":     {lingua.Czech, lingua.Romanian, lingua.Slovak},
	"Ćć":     {lingua.Bosnian, lingua.Croatian, lingua.Polish},
	"Đđ":     {lingua.Bosnian, lingua.Croatian, lingua.Vietnamese},
	"Іі":     {lingua.Belarusian, lingua.Kazakh, lingua.Ukrainian},
	"Ìì":     {lingua.Italian, lingua.Vietnamese, lingua.Yoruba},
	"Øø":     {lingua.Bokmal, lingua.Danish, lingua.Nynorsk},

	"Ūū":     {lingua.Latvian, lingua.Lithuanian, lingua.Maori, lingua.Yoruba},
	"Ëë":     {lingua.Afrikaans, lingua.Albanian, lingua.Dutch, lingua.French},
	"ÈèÙù":   {lingua.French, lingua.Italian, lingua.Vietnamese, lingua.Yoruba},
	"Êê":     {lingua.Afrikaans, lingua.French, lingua.Portuguese, lingua.Vietnamese},
	"Õõ":     {lingua.Estonian, lingua.Hungarian, lingua.Portuguese, lingua.Vietnamese},
	"Ôô":     {lingua.French, lingua.Portuguese, lingua.Slovak, lingua.Vietnamese},
	"ЁёЫыЭэ": {lingua.Belarusian, lingua.Kazakh, lingua.Mongolian, lingua.Russian},
	"ЩщЪъ":   {lingua.Bulgarian, lingua.Kazakh, lingua.Mongolian, lingua.Russian},
	"Òò":     {lingua.Catalan, lingua.Italian, lingua.Vietnamese, lingua.Yoruba},
	"Ææ":     {lingua.Bokmal, lingua.Danish, lingua.Icelandic, lingua.Nynorsk},
	"Åå":     {lingua.Bokmal, lingua.Danish, lingua.Nynorsk, lingua.Swedish},

	"Ýý": {lingua.Czech, lingua.Icelandic, lingua.Slovak, lingua.Turkish, lingua.Vietnamese},
	"Ää": {lingua.Estonian, lingua.Finnish, lingua.German, lingua.Slovak, lingua.Swedish},
	"Àà": {lingua.Catalan, lingua.French, lingua.Italian, lingua.Portuguese, lingua.Vietnamese},
	"Ââ": {lingua.French, lingua.Portuguese, lingua.Romanian, lingua.Turkish, lingua.Vietnamese},

	"Üü":     {lingua.Azerbaijani, lingua.Catalan, lingua.Estonian, lingua.German, lingua.Hungarian, lingua.Spanish, lingua.Turkish},
	"ČčŠšŽž": {lingua.Bosnian, lingua.Czech, lingua.Croatian, lingua.Latvian, lingua.Lithuanian, lingua.Slovak, lingua.Slovene},
	"Çç":     {lingua.Albanian, lingua.Azerbaijani, lingua.Basque, lingua.Catalan, lingua.French, lingua.Portuguese, lingua.Turkish},

	"Öö": {lingua.Azerbaijani, lingua.Estonian, lingua.Finnish, lingua.German, lingua.Hungarian, lingua.Icelandic, lingua.Swedish, lingua.Turkish},

	"Óó":     {lingua.Catalan, lingua.Hungarian, lingua.Icelandic, lingua.Irish, lingua.Polish, lingua.Portuguese, lingua.Slovak, lingua.Spanish, lingua.Vietnamese, lingua.Yoruba},
	"ÁáÍíÚú": {lingua.Catalan, lingua.Czech, lingua.Icelandic, lingua.Irish, lingua.Hungarian, lingua.Portuguese, lingua.Slovak, lingua.Spanish, lingua.Vietnamese, lingua.Yoruba},

	"Éé": {lingua.Catalan, lingua.Czech, lingua.French, lingua.Hungarian, lingua.Icelandic, lingua.Irish, lingua.Italian, lingua.Portuguese, lingua.Slovak, lingua.Spanish, lingua.Vietnamese, lingua.Yoruba},
}
