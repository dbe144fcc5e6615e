package filter

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/sieve-data/sieve/internal/runeclass"
	"github.com/sieve-data/sieve/pipeline"
)

// Analysis is the tokenisation every filter of a document shares. It is
// computed once per text and cached in Document.Analysis; a step that
// changes Text sets Analysis to nil.
type Analysis struct {
	text   string
	pooled bool // from analysisPool and not yet released
	// valid tells that text is valid UTF-8, learnt while segmenting it
	// (every non-ASCII byte is decoded there): line lengths are then
	// counted without decoding, and C4 may derive its cleaned text's
	// analysis from this one.
	valid bool

	// Runes is the text length in code points (Python's len(text)).
	Runes int
	// Lines are the non-empty lines (text split on "\n", blank lines left
	// out, a trailing "\r" removed).
	Lines []string
	// LineRunes[i] is the code point length of Lines[i].
	LineRunes []int
	// NewlineRuns counts runs of consecutive newlines inside the trimmed
	// text: the newline count of the text with blank lines removed.
	NewlineRuns int
	// Paragraphs are the blocks of the trimmed text split on two or more
	// newlines (datatrove's r"\n{2,}").
	Paragraphs []string

	// Tokens are the UAX#29 word-boundary segments that are not white
	// space: words and punctuation marks, as NLTK's word_tokenize returns
	// them for English.
	Tokens []string
	// TokenRunes[i] is the code point length of Tokens[i].
	TokenRunes []int32
	// tokenStarts[i] is the byte offset of Tokens[i] in the text: the
	// n-gram statistics hash short tokens by loading their bytes from
	// the text in one word.
	tokenStarts []int32
	// IsWord[i] tells that Tokens[i] has a character that is neither
	// punctuation, symbol nor control (datatrove's non-symbol words).
	IsWord []bool
	// HasLetter[i] tells that Tokens[i] has a letter (Python's isalpha).
	HasLetter []bool

	// Words counts tokens with IsWord; WordRunes sums their lengths.
	Words     int
	WordRunes int
	// LetterTokens counts tokens with HasLetter.
	LetterTokens int
}

// AnalysisOf returns d's cached analysis, computing it when missing or
// stale (Text changed without Analysis being reset). The analysis comes
// from a pool: Chain.Process hands it back (pipeline.Document's
// ReleaseAnalysis) when d leaves the chain.
func AnalysisOf(d *pipeline.Document) *Analysis {
	if a, ok := d.Analysis.(*Analysis); ok && a.text == d.Text {
		return a
	}
	a := analysisPool.Get().(*Analysis)
	a.analyze(d.Text)
	a.pooled = true
	d.Analysis = a
	return a
}

// Analyze tokenises text. The caller owns the result (Release does
// nothing to it).
func Analyze(text string) *Analysis {
	a := new(Analysis)
	a.analyze(text)
	return a
}

// analysisPool recycles the analyses of finished documents: their slices
// are most of the allocation (and so of the garbage collection) of the
// quality filters.
var analysisPool = sync.Pool{New: func() any { return new(Analysis) }}

// maxPooledTokens bounds the analyses kept for reuse: a huge document's
// slices (and the text they point into) are left to the collector.
const maxPooledTokens = 1 << 16

// Release implements pipeline.AnalysisReleaser: a pooled analysis goes
// back to the pool; a second Release, or one of an analysis from Analyze,
// does nothing. Nothing may read a after its release.
func (a *Analysis) Release() {
	if !a.pooled {
		return
	}
	a.pooled = false
	if cap(a.Tokens) > maxPooledTokens || cap(a.Lines) > maxPooledTokens || cap(a.Paragraphs) > maxPooledTokens {
		return
	}
	a.text = ""
	analysisPool.Put(a)
}

// analyze fills a for text, reusing a's slices. The words come first:
// segmenting them tells whether text is valid UTF-8, which the line
// lengths use.
func (a *Analysis) analyze(text string) {
	a.start(text)
	a.segmentWords(text)
	a.splitText(text)
}

// start empties a's counts for an analysis of text.
func (a *Analysis) start(text string) {
	a.text = text
	a.Runes, a.NewlineRuns, a.Words, a.WordRunes, a.LetterTokens = 0, 0, 0, 0, 0
}

// splitText finds a's lines and paragraphs (cheap), a.valid being known.
func (a *Analysis) splitText(text string) {
	a.splitLines(text)
	a.splitParagraphs(text)
}

// Text returns the analysed text.
func (a *Analysis) Text() string { return a.text }

func (a *Analysis) splitLines(text string) {
	n := strings.Count(text, "\n") + 1
	a.Lines = reuse(a.Lines, n)
	a.LineRunes = reuse(a.LineRunes, n)
	inRun, seenLine := false, false
	for rest := text; ; {
		line, after, found := strings.Cut(rest, "\n")
		var runes int
		if a.valid {
			runes = validRuneCount(line)
		} else {
			runes = runeCount(line)
		}
		a.Runes += runes // the text's length, counted line by line
		if strings.HasSuffix(line, "\r") {
			line = line[:len(line)-1]
			runes--
		}
		if strings.TrimSpace(line) != "" {
			if inRun && seenLine {
				a.NewlineRuns++
			}
			a.Lines = append(a.Lines, line)
			a.LineRunes = append(a.LineRunes, runes)
			seenLine, inRun = true, false
		}
		if !found {
			break
		}
		a.Runes++ // the "\n"
		inRun = true
		rest = after
	}
}

func (a *Analysis) splitParagraphs(text string) {
	t := strings.TrimSpace(text)
	a.Paragraphs = a.Paragraphs[:0]
	for {
		i := strings.Index(t, "\n\n")
		if i < 0 {
			a.Paragraphs = append(a.Paragraphs, t)
			return
		}
		a.Paragraphs = append(a.Paragraphs, t[:i])
		j := i
		for j < len(t) && t[j] == '\n' {
			j++
		}
		t = t[j:]
	}
}

func (a *Analysis) segmentWords(text string) {
	// About one token per 5 bytes in English prose, one per 3 bytes in
	// Chinese: size for the denser case so the slices rarely grow.
	a.emptyTokens(len(text)/3 + 8)
	a.valid = true // until emit meets an invalid byte
	a.segmentTokens(text, 0, len(text))
}

// emptyTokens empties a's token slices, with room for n tokens.
func (a *Analysis) emptyTokens(n int) {
	a.Tokens = reuse(a.Tokens, n)
	a.tokenStarts = reuse(a.tokenStarts, n)
	a.TokenRunes = reuse(a.TokenRunes, n)
	a.IsWord = reuse(a.IsWord, n)
	a.HasLetter = reuse(a.HasLetter, n)
}

// segmentTokens appends the word tokens of text[lo:hi], whole chunks.
func (a *Analysis) segmentTokens(text string, lo, hi int) {
	h := hyphenState{lastWordStart: -1, lastWordEnd: -1, mergeStart: -1, hyphenEnd: -1}
	segmentRange(text, lo, hi, func(start, end int, flags uint8, runes int) { a.emit(text, start, end, flags, runes, &h) })
}

// reuse returns s emptied, with room for n elements.
func reuse[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, 0, n)
	}
	return s[:0]
}

// hyphenState glues hyphenated compounds ("same-sex") back into one word,
// as NLTK's tokenizer keeps them; UAX#29 splits at the hyphen.
type hyphenState struct {
	lastWordStart, lastWordEnd int // the previous token, when a word
	mergeStart, hyphenEnd      int // a "-" glued to a word before it
}

func (a *Analysis) emit(text string, start, end int, flags uint8, runes int, h *hyphenState) {
	tok := text[start:end]
	var isWord, letter, space bool
	if flags&tcNonASCII == 0 { // classified by the segmenter
		isWord, letter, space = flags&tcWord != 0, flags&tcLetter != 0, flags&tcNonSpace == 0
	} else {
		var valid bool
		isWord, letter, space, runes, valid = classifyValid(tok)
		// Every byte outside ASCII chunks comes through here (segment's
		// spans cover each chunk), so this sees every non-ASCII byte.
		a.valid = a.valid && valid
	}
	if space {
		h.lastWordEnd, h.hyphenEnd = -1, -1
		return
	}
	if isWord && h.hyphenEnd == start {
		k := len(a.Tokens) - 1 // the "-"
		a.Tokens, a.TokenRunes, a.IsWord, a.HasLetter = a.Tokens[:k], a.TokenRunes[:k], a.IsWord[:k], a.HasLetter[:k]
		a.tokenStarts = a.tokenStarts[:k]
		k--
		a.Tokens[k] = text[h.mergeStart:end]
		a.TokenRunes[k] += 1 + int32(runes)
		a.WordRunes += 1 + runes
		if letter && !a.HasLetter[k] {
			a.HasLetter[k] = true
			a.LetterTokens++
		}
		h.lastWordStart, h.lastWordEnd, h.hyphenEnd = h.mergeStart, end, -1
		return
	}
	h.hyphenEnd = -1
	if tok == "-" && h.lastWordEnd == start {
		h.mergeStart, h.hyphenEnd = h.lastWordStart, end
	}
	h.lastWordStart, h.lastWordEnd = -1, -1
	if isWord {
		h.lastWordStart, h.lastWordEnd = start, end
	}
	a.Tokens = append(a.Tokens, tok)
	a.tokenStarts = append(a.tokenStarts, int32(start))
	a.TokenRunes = append(a.TokenRunes, int32(runes))
	a.IsWord = append(a.IsWord, isWord)
	a.HasLetter = append(a.HasLetter, letter)
	if isWord {
		a.Words++
		a.WordRunes += runes
	}
	if letter {
		a.LetterTokens++
	}
}

// classify reports whether tok has a non-punctuation character, a letter,
// only white space, and its length in code points.
func classify(tok string) (isWord, letter, space bool, runes int) {
	isWord, letter, space, runes, _ = classifyValid(tok)
	return
}

// classifyValid is classify that also reports whether tok is valid UTF-8.
func classifyValid(tok string) (isWord, letter, space bool, runes int, valid bool) {
	// Most tokens are ASCII: OR their bytes' classes from a table.
	var flags uint8
	for i := 0; i < len(tok); i++ {
		flags |= asciiTokenClass[tok[i]]
	}
	if flags&tcNonASCII == 0 {
		return flags&tcWord != 0, flags&tcLetter != 0, flags&tcNonSpace == 0, len(tok), true
	}
	space, valid = true, true
	for i := 0; i < len(tok); {
		c := tok[i]
		if c < utf8.RuneSelf {
			i++
			runes++
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
				space, isWord, letter = false, true, true
			case '0' <= c && c <= '9':
				space, isWord = false, true
			default:
				space = false
				if c >= 0x20 && c != 0x7f && !unicode.IsPunct(rune(c)) && !unicode.IsSymbol(rune(c)) {
					isWord = true
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(tok[i:])
		i += size
		runes++
		if size == 1 { // a byte >= 0x80 that starts no valid sequence
			valid = false
		}
		rc := runeclass.Of(r)
		if rc&runeclass.Space != 0 {
			continue
		}
		space = false
		if rc&runeclass.Letter != 0 {
			isWord, letter = true, true
		} else if rc&(runeclass.Punct|runeclass.Symbol|runeclass.Control) == 0 {
			isWord = true
		}
	}
	return
}

// runeTokenClass is the asciiTokenClass of a non-ASCII code point as
// classifyValid judges it (tcNonASCII left out: the class is complete).
func runeTokenClass(r rune) uint8 {
	rc := runeclass.Of(r)
	switch {
	case rc&runeclass.Space != 0:
		return 0
	case rc&runeclass.Letter != 0:
		return tcNonSpace | tcWord | tcLetter
	case rc&(runeclass.Punct|runeclass.Symbol|runeclass.Control) == 0:
		return tcNonSpace | tcWord
	}
	return tcNonSpace
}

// Byte classes for classify's ASCII fast path.
const (
	tcNonSpace = 1 << iota
	tcWord
	tcLetter
	tcNonASCII
	tcPunct // an ASCII byte other than a letter, digit or white space
)

// asciiTokenClass mirrors classify's per-rune rules for ASCII bytes (in
// ASCII, only letters and digits are neither punctuation, symbol, control
// nor space); bytes >= 0x80 send the token to the general path.
var asciiTokenClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = tcNonASCII
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			t[c] = tcNonSpace | tcWord | tcLetter
		case '0' <= c && c <= '9':
			t[c] = tcNonSpace | tcWord
		default:
			t[c] = tcNonSpace | tcPunct
			if c >= 0x20 && c != 0x7f && !unicode.IsPunct(rune(c)) && !unicode.IsSymbol(rune(c)) {
				t[c] |= tcWord
			}
		}
	}
	return
}()

// lineSpan is one line of a text made of another text's lines (C4's
// cleaning keeps whole lines): n bytes at newStart in the new text, copied
// from oldStart in the old one, or changed (oldStart < 0: citations
// removed) and so segmented anew.
type lineSpan struct{ newStart, oldStart, n int }

// deriveAnalysis returns the analysis of text, which is made of the lines
// spans name, from old, the analysis of the text they came from: the word
// tokens of an unchanged line are old's, moved (a line is whole chunks
// between ASCII white space, and lines stay apart in both texts, so
// segmentation and hyphen gluing inside a line do not depend on what is
// around it); only the line, paragraph and length counts, which are cheap,
// are computed again. A line whose first or last token reached past its
// trimmed ends in old (a mark after a leading no-break space, which
// UAX#29 joins to the space) is segmented anew. The result is what
// Analyze(text) computes (FuzzDeriveAnalysis). old must be of valid UTF-8
// (old.valid), and spans ascend in both texts, as C4 keeps lines in order.
func deriveAnalysis(old *Analysis, text string, spans []lineSpan) *Analysis {
	a := analysisPool.Get().(*Analysis)
	a.pooled = true
	a.start(text)
	// Whole lines of a valid text, some with citations (whole code
	// points) cut out, are valid; a re-segmented line checks again.
	a.valid = true
	a.emptyTokens(len(old.Tokens) + 8)
	next := 0 // old's first token not before the previous span
	for _, sp := range spans {
		if sp.oldStart < 0 || !a.copyTokens(old, text, sp, &next) {
			a.segmentTokens(text, sp.newStart, sp.newStart+sp.n)
		}
	}
	a.splitText(text)
	return a
}

// copyTokens appends old's tokens of the unchanged line sp, moved to its
// place in text, and reports false (appending nothing) when a token
// crosses the line's ends. *next is where the search for the line's
// first token starts; it is left after the line's tokens.
func (a *Analysis) copyTokens(old *Analysis, text string, sp lineSpan, next *int) bool {
	lo32, hi32 := int32(sp.oldStart), int32(sp.oldStart+sp.n)
	starts := old.tokenStarts
	lo := *next
	for lo < len(starts) && starts[lo] < lo32 {
		lo++
	}
	hi := lo
	for hi < len(starts) && starts[hi] < hi32 {
		hi++
	}
	*next = hi
	if lo > 0 && starts[lo-1]+int32(len(old.Tokens[lo-1])) > lo32 {
		return false
	}
	if hi > lo && starts[hi-1]+int32(len(old.Tokens[hi-1])) > hi32 {
		return false
	}
	// The token strings are old's: the same bytes as text's at their new
	// offsets (the line is unchanged), so they are moved, not re-sliced.
	a.Tokens = append(a.Tokens, old.Tokens[lo:hi]...)
	a.TokenRunes = append(a.TokenRunes, old.TokenRunes[lo:hi]...)
	a.IsWord = append(a.IsWord, old.IsWord[lo:hi]...)
	a.HasLetter = append(a.HasLetter, old.HasLetter[lo:hi]...)
	shift := int32(sp.newStart - sp.oldStart)
	for i, s := range starts[lo:hi] {
		a.tokenStarts = append(a.tokenStarts, s+shift)
		w := b2i(old.IsWord[lo+i])
		a.Words += w
		a.WordRunes += w * int(old.TokenRunes[lo+i])
		a.LetterTokens += b2i(old.HasLetter[lo+i])
	}
	return true
}
