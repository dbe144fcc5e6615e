package filter

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"os"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zeebo/xxh3"

	"github.com/sieve-data/sieve/pipeline"
)

// Signals of the c4_badwords step.
const (
	// SigBadWordsFound is 1 when a listed word occurs, 0 when none does,
	// -1 when the document's language has no list.
	SigBadWordsFound = "c4_badwords_found"
	// SigBadWordsDraw is the document's deterministic uniform draw in
	// [0, 1) for keep_fraction (a hash of seed and document id), stored so
	// that a replay keeps exactly the same documents.
	SigBadWordsDraw = "c4_badwords_draw"
)

//go:embed data/badwords/*.txt
var badWordsFS embed.FS

// badWordsAllow are datatrove's allow-listed subwords: common parts of
// ordinary words in languages without spaces, each of which would remove
// more than 10% of that language's pages.
var badWordsAllow = map[string][]string{"ja": {"sm", "グロ", "女の子"}, "zh": {"性"}}

// C4BadWordsConfig holds datatrove's C4BadWordsFilter parameters.
type C4BadWordsConfig struct {
	// KeepFraction of the pages with a bad word are kept anyway.
	KeepFraction float64 `yaml:"keep_fraction"`
	Seed         uint64  `yaml:"seed"`
	// DefaultLanguage is used for documents with language "" or "und".
	DefaultLanguage string `yaml:"default_language"`
	// ListDir, when set, holds <lang>.txt lists (one entry a line) that
	// replace the shipped LDNOOBW lists for those languages.
	ListDir string `yaml:"list_dir"`
}

// DefaultC4BadWordsConfig returns datatrove's defaults.
func DefaultC4BadWordsConfig() C4BadWordsConfig {
	return C4BadWordsConfig{DefaultLanguage: "en"}
}

// C4BadWords is the "c4_badwords" step.
type C4BadWords struct {
	cfg   C4BadWordsConfig
	lists map[string]*badWordList
}

// badWordList holds one language's entries, arranged for a single pass.
type badWordList struct {
	// byWord holds, by lower-cased word, whether the word is an entry
	// itself and the longer entries (phrases, "a$$") that start with it.
	// Entries are found by looking up each word between non-word
	// characters, one map access per word.
	byWord map[string]wordEntry
	// asciiHashes is a one-hash Bloom filter of the all-ASCII keys
	// (FNV-1a of the lower-cased bytes, computed during the scan): most
	// words of a page miss it and skip lower-casing and the map.
	asciiHashes [asciiHashWords]uint64
	// asciiShapes is a set of the all-ASCII keys' shapes (length, first
	// and last byte; see asciiShape): the cheaper test before the hash,
	// which then is computed for few words instead of every byte.
	asciiShapes [asciiShapeWords]uint64
	// odd are entries that start with a non-word character.
	odd []string
	// spaceless languages match anywhere: all entries by first rune.
	ascii     [utf8.RuneSelf][]string
	byFirst   map[rune][]string
	spaceless bool
}

type wordEntry struct {
	isEntry bool
	phrases []string
}

// NewC4BadWords loads the lists and builds the step.
func NewC4BadWords(cfg C4BadWordsConfig) (*C4BadWords, error) {
	if cfg.KeepFraction < 0 || cfg.KeepFraction > 1 {
		return nil, fmt.Errorf("c4_badwords: keep_fraction %v is not between 0 and 1", cfg.KeepFraction)
	}
	f := &C4BadWords{cfg: cfg, lists: map[string]*badWordList{}}
	entries, err := badWordsFS.ReadDir("data/badwords")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		b, err := badWordsFS.ReadFile("data/badwords/" + e.Name())
		if err != nil {
			return nil, err
		}
		lang := strings.TrimSuffix(e.Name(), ".txt")
		f.lists[lang] = newBadWordList(lang, b)
	}
	if cfg.ListDir != "" {
		files, err := os.ReadDir(cfg.ListDir)
		if err != nil {
			return nil, fmt.Errorf("c4_badwords: %w", err)
		}
		for _, e := range files {
			if e.IsDir() || path.Ext(e.Name()) != ".txt" {
				continue
			}
			b, err := os.ReadFile(path.Join(cfg.ListDir, e.Name()))
			if err != nil {
				return nil, fmt.Errorf("c4_badwords: %w", err)
			}
			lang := strings.TrimSuffix(e.Name(), ".txt")
			f.lists[lang] = newBadWordList(lang, b)
		}
	}
	return f, nil
}

func newBadWordList(lang string, data []byte) *badWordList {
	l := &badWordList{byWord: map[string]wordEntry{}, byFirst: map[rune][]string{},
		spaceless: lang == "ja" || lang == "zh" || lang == "th"}
	allow := map[string]bool{}
	for _, ws := range badWordsAllow {
		for _, w := range ws {
			allow[w] = true
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		w := strings.ToLower(strings.TrimSpace(sc.Text()))
		if w == "" || allow[w] {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case l.spaceless && r < utf8.RuneSelf:
			l.ascii[r] = append(l.ascii[r], w)
		case l.spaceless:
			l.byFirst[r] = append(l.byFirst[r], w)
		case !isWordRune(r):
			l.odd = append(l.odd, w)
		default:
			end := strings.IndexFunc(w, func(r rune) bool { return !isWordRune(r) })
			key := w
			if end >= 0 {
				key = w[:end]
			}
			// Only all-ASCII words are ruled out by this set (see find),
			// and they can only equal all-ASCII keys.
			if isASCII(key) {
				h := asciiWordHash(key)
				l.asciiHashes[h>>6&(asciiHashWords-1)] |= 1 << (h & 63)
				sh := asciiShape(key)
				l.asciiShapes[sh>>6] |= 1 << (sh & 63)
			}
			if end < 0 {
				e := l.byWord[w]
				e.isEntry = true
				l.byWord[w] = e
			} else {
				e := l.byWord[w[:end]]
				e.phrases = append(e.phrases, w)
				l.byWord[w[:end]] = e
			}
		}
	}
	return l
}

// isWordRune is Python's \w: letters, digits, underscore (and marks, which
// belong to the letters they follow).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWordByte[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// find reports whether text holds an entry, ignoring case. Outside
// spaceless languages an entry must sit between non-word characters (or
// the ends), like datatrove's (?:\W|^)(...)(?:\W|$).
func (l *badWordList) find(text string) bool {
	if l.spaceless {
		return l.findAnywhere(strings.ToLower(text))
	}
	var buf []byte
	wordStart, wordASCII := -1, true
	// check tests the word text[start:end]; the shape test, which rules
	// out most words, is inlined here.
	check := func(start, end int) bool {
		return (!wordASCII || l.shapeMayMatch(text[start:end])) && l.checkWord(text, start, end, wordASCII, &buf)
	}
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf { // ASCII fast path
			if asciiWordByte[c] {
				if wordStart < 0 {
					wordStart, wordASCII = i, true
				}
				i = asciiWordEnd(text, i)
				continue
			} else if wordStart >= 0 {
				if check(wordStart, i) {
					return true
				}
				wordStart = -1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			if wordStart < 0 {
				wordStart = i
			}
			wordASCII = false
		} else if wordStart >= 0 {
			if check(wordStart, i) {
				return true
			}
			wordStart = -1
		}
		i += size
	}
	if wordStart >= 0 && check(wordStart, len(text)) {
		return true
	}
	if len(l.odd) > 0 {
		lower := ""
		for _, w := range l.odd {
			hay := text
			if strings.ToUpper(w) != w { // has cased letters: compare lower-cased
				if lower == "" {
					lower = strings.ToLower(text)
				}
				hay = lower
			}
			for off := 0; ; {
				k := strings.Index(hay[off:], w)
				if k < 0 {
					break
				}
				k += off
				before, _ := utf8.DecodeLastRuneInString(hay[:k])
				if (k == 0 || !isWordRune(before)) && boundaryAfter(hay[k:], len(w)) {
					return true
				}
				off = k + 1
			}
		}
	}
	return false
}

// shapeMayMatch reports whether some all-ASCII key has w's shape.
func (l *badWordList) shapeMayMatch(w string) bool {
	sh := asciiShape(w)
	return l.asciiShapes[sh>>6]&(1<<(sh&63)) != 0
}

// checkWord reports whether an entry starts with the word text[start:end]
// (ascii: the word is all ASCII and passed shapeMayMatch). buf is scratch.
func (l *badWordList) checkWord(text string, start, end int, ascii bool, buf *[]byte) bool {
	if ascii {
		if h := asciiWordHash(text[start:end]); l.asciiHashes[h>>6&(asciiHashWords-1)]&(1<<(h&63)) == 0 {
			return false // no all-ASCII key has this word's hash
		}
	}
	*buf = lowerInto((*buf)[:0], text[start:end])
	e, ok := l.byWord[string(*buf)]
	if !ok {
		return false
	}
	if e.isEntry {
		return true
	}
	for _, p := range e.phrases {
		// Case-insensitive prefix test without lower-casing the text.
		if end := start + len(p); end <= len(text) && strings.EqualFold(text[start:end], p) && boundaryAfter(text, end) {
			return true
		}
	}
	return false
}

// boundaryAfter reports whether s[n:] starts with a non-word character or
// is empty.
func boundaryAfter(s string, n int) bool {
	if n >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[n:])
	return !isWordRune(r)
}

func (l *badWordList) findAnywhere(text string) bool {
	for i, r := range text {
		var cands []string
		if r < utf8.RuneSelf {
			cands = l.ascii[r]
		} else {
			cands = l.byFirst[r]
		}
		for _, w := range cands {
			if strings.HasPrefix(text[i:], w) {
				return true
			}
		}
	}
	return false
}

// lowerInto appends s lower-cased to dst (ASCII fast path).
func lowerInto(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return append(dst[:0], strings.ToLower(s)...)
		}
	}
	return asciiLower(dst, s)
}

// Name implements pipeline.Step.
func (f *C4BadWords) Name() string { return "c4_badwords" }

// SignalNames implements pipeline.SignalDeclarer.
func (f *C4BadWords) SignalNames() []string { return []string{SigBadWordsFound, SigBadWordsDraw} }

// Process looks for listed words, stores the signals and decides.
func (f *C4BadWords) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	lang := d.Language
	if lang == "" || lang == "und" {
		lang = f.cfg.DefaultLanguage
	}
	found := -1.0
	if l, ok := f.lists[lang]; ok {
		found = 0
		if l.find(d.Text) {
			found = 1
		}
	} else if m != nil {
		m.Add("missing_badwords_lang:"+lang, 1)
	}
	d.SetSignal(SigBadWordsFound, found)
	d.SetSignal(SigBadWordsDraw, f.draw(d.ID))
	o := f.Decide(d.Signals, lang)
	if found == 1 && m != nil {
		m.Add("documents_with_badwords:"+lang, 1)
		if !o.Drop {
			m.Add("document_kept_with_badwords:"+lang, 1)
		}
	}
	return o
}

func (f *C4BadWords) draw(id string) float64 {
	return float64(xxh3.HashStringSeed(id, f.cfg.Seed)>>11) / (1 << 53)
}

// Decide re-applies the rule to stored signals.
func (f *C4BadWords) Decide(s map[string]float64, lang string) pipeline.Outcome {
	if s[SigBadWordsFound] != 1 {
		return pipeline.Keep
	}
	if f.cfg.KeepFraction > 0 && s[SigBadWordsDraw] < f.cfg.KeepFraction {
		return pipeline.Keep
	}
	return pipeline.DropFor("c4_badwords")
}

// asciiWordByte marks the ASCII bytes of \w: letters, digits and "_"
// (256 entries so any byte indexes it; bytes >= 0x80 are false).
var asciiWordByte = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = isAlnum(byte(c)) || c == '_'
	}
	return
}()

// asciiHashWords is the size of badWordList.asciiHashes in 64-bit words
// (64K bits: a few hundred keys give well under 1% false hits).
const asciiHashWords = 1 << 10

// asciiShapeWords is the size of badWordList.asciiShapes in 64-bit words
// (64K bits).
const asciiShapeWords = 1 << 16 / 64

// asciiShape hashes a word's shape, min(len(w), 15) and the low 6 bits of
// its first, second and last bytes with bit 5 set (c|0x20 lower-cases an
// ASCII letter without a branch), into an index of asciiShapes. Words
// that share a shape, or only its hash, merely go on to the exact tests.
// w must not be empty.
func asciiShape(w string) uint32 {
	second := byte(0)
	if len(w) > 1 {
		second = w[1]
	}
	k := uint32(min(len(w), 15))<<18 | uint32((w[0]|0x20)&63)<<12 | uint32((second|0x20)&63)<<6 | uint32((w[len(w)-1]|0x20)&63)
	return k * 0x9E3779B1 >> 16
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// asciiWordHash is FNV-1a over the ASCII-lower-cased bytes of w, as find
// computes it while scanning.
func asciiWordHash(w string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint64(asciiLowerByte(w[i]))) * fnvPrime
	}
	return h
}

func asciiLowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
