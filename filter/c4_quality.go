package filter

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/words"
	"github.com/sieve-data/sieve/internal/runeclass"
	"github.com/sieve-data/sieve/pipeline"
)

// Signals of the c4_quality step. Line counts are about the input text;
// the *_line signals hold the 1-based number of the first line (among
// lines that reached the check) that trips a document rule, 0 for none.
const (
	SigC4Lines            = "c4_lines"
	SigC4LinesKept        = "c4_lines_kept"
	SigC4LinesTooLongWord = "c4_lines_too_long_word"
	SigC4LinesNoTerminal  = "c4_lines_no_terminal_punct"
	SigC4LinesTooFewWords = "c4_lines_too_few_words"
	SigC4LinesJavascript  = "c4_lines_javascript"
	SigC4LinesPolicy      = "c4_lines_policy"
	SigC4Sentences        = "c4_sentences"
	SigC4LoremIpsumLine   = "c4_lorem_ipsum_line"
	SigC4CurlyBracketLine = "c4_curly_bracket_line"
)

// C4QualityConfig holds datatrove's C4QualityFilter parameters
// (split_paragraph=True mode: lines are the units). -1 switches a count
// rule off, as in datatrove.
type C4QualityConfig struct {
	RemoveCitations       bool   `yaml:"remove_citations"`
	FilterNoTerminalPunct bool   `yaml:"filter_no_terminal_punct"`
	MinNumSentences       int    `yaml:"min_num_sentences"`
	MinWordsPerLine       int    `yaml:"min_words_per_line"`
	MaxWordLength         int    `yaml:"max_word_length"`
	FilterLoremIpsum      bool   `yaml:"filter_lorem_ipsum"`
	FilterJavascript      bool   `yaml:"filter_javascript"`
	FilterCurlyBracket    bool   `yaml:"filter_curly_bracket"`
	FilterPolicy          bool   `yaml:"filter_policy"`
	Languages             string `yaml:"languages"`
	DefaultLanguage       string `yaml:"default_language"`
}

// DefaultC4QualityConfig returns datatrove's defaults.
func DefaultC4QualityConfig() C4QualityConfig {
	return C4QualityConfig{
		RemoveCitations: true, FilterNoTerminalPunct: true,
		MinNumSentences: 5, MinWordsPerLine: 3, MaxWordLength: 1000,
		FilterLoremIpsum: true, FilterJavascript: true, FilterCurlyBracket: true, FilterPolicy: true,
		DefaultLanguage: "en",
	}
}

// citationRE is datatrove's citation pattern; removeCitations applies it
// by hand (the regexp engine was a tenth of the step's time).
var citationRE = regexp.MustCompile(`\[\p{Nd}*]|\[edit]|\[citation needed]`)

var policySubstrings = []string{"terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"}

// spacelessLanguages write without spaces between words: C4's
// words-per-line count uses UAX#29 words there, not white-space splits.
var spacelessLanguages = map[string]bool{"zh": true, "ja": true, "th": true, "lo": true, "km": true, "my": true}

// C4Quality is the "c4_quality" step: it removes lines (changing Text) and
// drops documents.
type C4Quality struct {
	cfg   C4QualityConfig
	langs LanguageTable
}

// NewC4Quality validates cfg and builds the step.
func NewC4Quality(cfg C4QualityConfig) (*C4Quality, error) {
	if cfg.MinNumSentences < -1 || cfg.MinWordsPerLine < -1 || cfg.MaxWordLength < -1 || cfg.MaxWordLength == 0 {
		return nil, fmt.Errorf("c4_quality: counts must be positive or -1 (off): %+v", cfg)
	}
	langs, err := tableFor(cfg.Languages)
	if err != nil {
		return nil, fmt.Errorf("c4_quality: %w", err)
	}
	return &C4Quality{cfg: cfg, langs: langs}, nil
}

// Name implements pipeline.Step.
func (c *C4Quality) Name() string { return "c4_quality" }

// SignalNames implements pipeline.SignalDeclarer.
func (c *C4Quality) SignalNames() []string {
	return []string{SigC4Lines, SigC4LinesKept, SigC4LinesTooLongWord, SigC4LinesNoTerminal, SigC4LinesTooFewWords,
		SigC4LinesJavascript, SigC4LinesPolicy, SigC4Sentences, SigC4LoremIpsumLine, SigC4CurlyBracketLine}
}

// Process cleans d's lines, stores the signals and decides. Text changes
// only when the document is kept.
func (c *C4Quality) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	p, lang := c.langs.lookup(d.Language, c.cfg.DefaultLanguage)
	cfg := c.cfg
	terminal := cfg.FilterNoTerminalPunct && !ruleOff(p, RuleC4TerminalPunc, lang, m)
	ends := endPunctuation(p)
	spaceless := spacelessLanguages[lang]
	// The words of a spaceless language's unchanged line are counted
	// from the text's analysis when there is one (wordsInLine).
	var analysis *Analysis
	if a, ok := d.Analysis.(*Analysis); ok && spaceless && a.text == d.Text && a.valid {
		analysis = a
	}
	next := 0 // analysis's first token not before the current line

	// The cleaned text is built in pooled memory and copied into a
	// string only when the document is kept with a changed text.
	sc := c4ScratchPool.Get().(*c4Scratch)
	defer c4ScratchPool.Put(sc)
	out := sc.out[:0]
	var total, kept, longWord, noTerm, fewWords, js, policy, sents, lorem, curly int
	needBreak := false
	lower := sc.lower[:0]
	spans := sc.spans[:0] // the kept lines, for the cleaned text's analysis
	pos := 0              // where rest starts in d.Text
	for rest := d.Text; ; {
		raw, after, found := strings.Cut(rest, "\n")
		line := strings.TrimSpace(raw)
		if line == "" && len(out) > 0 {
			// A blank line ends a block; the next kept line starts a new one.
			needBreak = true
		}
		total++
		keep := true
		fieldsOf := line // the word count is of the line before citations go
		// A field has at most as many code points as the line has bytes:
		// only longer lines need the longest field measured.
		if cfg.MaxWordLength > 0 && len(line) > cfg.MaxWordLength && longestField(line) > cfg.MaxWordLength {
			longWord++
			keep = false
		}
		changed := false
		if keep && cfg.RemoveCitations && strings.IndexByte(line, '[') >= 0 {
			cleaned := removeCitations(line)
			changed = cleaned != line
			line = cleaned
		}
		if keep && terminal && (!hasAnySuffix(line, ends) || strings.HasSuffix(line, "...")) {
			noTerm++
			keep = false
		}
		if keep && cfg.MinWordsPerLine > 0 {
			var n int
			if spaceless {
				ok := false
				if analysis != nil && !changed {
					start := pos + len(raw) - len(strings.TrimLeftFunc(raw, unicode.IsSpace))
					n, ok = analysis.wordsInLine(start, start+len(line), &next)
				}
				if !ok {
					n = countWords(line)
				}
			} else {
				n = countFields(fieldsOf, cfg.MinWordsPerLine)
			}
			if n < cfg.MinWordsPerLine {
				fewWords++
				keep = false
			}
		}
		if keep {
			found := c4Needles.find(line)
			switch {
			case cfg.FilterLoremIpsum && found&needleLorem != 0:
				if lorem == 0 {
					lorem = total
				}
				keep = false
			case cfg.FilterJavascript && found&needleJavascript != 0:
				js++
				keep = false
			case cfg.FilterCurlyBracket && strings.Contains(line, "{"):
				if curly == 0 {
					curly = total
				}
				keep = false
			case cfg.FilterPolicy && found&needlePolicyPrefilter != 0 && anyIn(asciiLowerInto(&lower, line), policyNeedles):
				policy++
				keep = false
			}
		}
		if keep {
			if cfg.MinNumSentences >= 0 {
				sents += countSentences(line)
			}
			kept++
			switch {
			case needBreak && len(out) > 0:
				out = append(out, "\n\n"...)
			case len(out) > 0:
				out = append(out, '\n')
			}
			needBreak = false
			sp := lineSpan{newStart: len(out), oldStart: -1, n: len(line)}
			if !changed && line != "" {
				// After the white space TrimSpace cut on the left.
				sp.oldStart = pos + len(raw) - len(strings.TrimLeftFunc(raw, unicode.IsSpace))
			}
			spans = append(spans, sp)
			out = append(out, line...)
		}
		if !found {
			break
		}
		pos += len(raw) + 1
		rest = after
	}
	d.SetSignal(SigC4Lines, float64(total))
	d.SetSignal(SigC4LinesKept, float64(kept))
	d.SetSignal(SigC4LinesTooLongWord, float64(longWord))
	d.SetSignal(SigC4LinesNoTerminal, float64(noTerm))
	d.SetSignal(SigC4LinesTooFewWords, float64(fewWords))
	d.SetSignal(SigC4LinesJavascript, float64(js))
	d.SetSignal(SigC4LinesPolicy, float64(policy))
	d.SetSignal(SigC4Sentences, float64(sents))
	d.SetSignal(SigC4LoremIpsumLine, float64(lorem))
	d.SetSignal(SigC4CurlyBracketLine, float64(curly))
	if m != nil {
		m.Add("lines_total", int64(total))
		m.Add("lines_kept", int64(kept))
	}
	if cap(out) <= maxC4Scratch && cap(lower) <= maxC4Scratch && cap(spans) <= maxC4Scratch {
		sc.out, sc.lower, sc.spans = out[:0], lower[:0], spans[:0] // grown: keep for the next document
	}
	o := c.decide(d.Signals)
	if !o.Drop {
		if string(out) != d.Text {
			old, _ := d.Analysis.(*Analysis)
			text := string(out)
			// Whole lines of a valid text (citations cut out) are valid
			// too: the shard writer need not check them again.
			valid := d.TextKnownValid() || old != nil && old.text == d.Text && old.valid
			if old != nil && old.text == d.Text && old.valid {
				// The filters after this one need the cleaned text's
				// analysis: moved over from the old one, not redone.
				// (With invalid UTF-8 the segmenter looks past a line's
				// end, so the lines are not independent: analysed anew.)
				a := deriveAnalysis(old, text, spans)
				d.ReleaseAnalysis()
				d.Analysis = a
			} else {
				d.ReleaseAnalysis()
			}
			d.Text = text
			if valid {
				d.MarkTextValid()
			}
		}
	}
	return o
}

// c4Scratch is a worker's memory for the cleaned text, the lower-cased
// line and the kept lines' places, reused across documents.
type c4Scratch struct {
	out, lower []byte
	spans      []lineSpan
}

var c4ScratchPool = sync.Pool{New: func() any { return new(c4Scratch) }}

// maxC4Scratch bounds the buffers kept in c4ScratchPool.
const maxC4Scratch = 1 << 20

// Decide re-applies the document-level rules to stored signals (the line
// cleaning itself cannot be replayed: it changed the text).
func (c *C4Quality) Decide(s map[string]float64, lang string) pipeline.Outcome { return c.decide(s) }

func (c *C4Quality) decide(s map[string]float64) pipeline.Outcome {
	lorem, curly := s[SigC4LoremIpsumLine], s[SigC4CurlyBracketLine]
	// datatrove returns at the first line that trips either rule.
	if lorem > 0 && (curly == 0 || lorem < curly) {
		return pipeline.DropFor("c4_lorem_ipsum")
	}
	if curly > 0 {
		return pipeline.DropFor("c4_curly_bracket")
	}
	if c.cfg.MinNumSentences >= 0 && s[SigC4Sentences] < float64(c.cfg.MinNumSentences) {
		return pipeline.DropFor("c4_too_few_sentences")
	}
	return pipeline.Keep
}

// longestField returns the code point length of the longest white-space
// separated field of line (Python's str.split()).
func longestField(line string) (longest int) {
	cur := 0
	for i := 0; i < len(line); {
		c := line[i]
		space := false
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(line[i:])
			space = runeclass.IsSpace(r)
			i += size
		}
		if space {
			longest = max(longest, cur)
			cur = 0
			continue
		}
		cur++
	}
	return max(longest, cur)
}

// countFields counts the white-space separated fields of line (Python's
// str.split()), stopping at limit: callers only compare the count with it.
func countFields(line string, limit int) (n int) {
	inField := false
	for i := 0; i < len(line) && n < limit; {
		c := line[i]
		space := false
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(line[i:])
			space = runeclass.IsSpace(r)
			i += size
		}
		if !space && !inField {
			n++
		}
		inField = !space
	}
	return n
}

// asciiSpace is Python's str.split() white space among ASCII bytes.
var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\t': true, '\n': true, '\r': true, '\v': true, '\f': true,
	0x1c: true, 0x1d: true, 0x1e: true, 0x1f: true}

var (
	loremIpsum = newNeedle("lorem ipsum")
	javascript = newNeedle("javascript")
	// Every policy phrase contains one of these: one pass over them rules
	// out most lines.
	policyPrefilter = []needle{newNeedle("cookie"), newNeedle("policy"), newNeedle("terms of use")}
	// c4Needles finds the phrases every kept line is checked for in one
	// pass (the needle* bits).
	c4Needles     = newNeedleSet(append([]needle{loremIpsum, javascript}, policyPrefilter...)...)
	policyNeedles = func() []needle {
		var out []needle
		for _, p := range policySubstrings {
			out = append(out, newNeedle(p))
		}
		return out
	}()
)

// The bits of c4Needles.find's result.
const (
	needleLorem           = 1 << 0
	needleJavascript      = 1 << 1
	needlePolicyPrefilter = 1<<2 | 1<<3 | 1<<4
)

// asciiLowerInto sets *buf to s with ASCII letters lower-cased (the
// buffer reused) and returns it.
func asciiLowerInto(buf *[]byte, s string) []byte {
	*buf = asciiLower((*buf)[:0], s)
	return *buf
}

// asciiLower appends s to dst with ASCII letters lower-cased: the phrases
// looked for are ASCII, so other letters need no folding.
func asciiLower(dst []byte, s string) []byte {
	n := len(dst)
	dst = slices.Grow(dst, len(s))[:n+len(s)]
	out := dst[n:]
	// A table lookup, not a branch per byte: upper-case letters come at
	// random in prose and mispredict.
	for i := range out {
		out[i] = asciiLowerTable[s[i]]
	}
	return dst
}

// asciiLowerTable maps A-Z to a-z and every other byte to itself.
var asciiLowerTable = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] += 'a' - 'A'
		}
	}
	return
}()

func anyIn(s []byte, needles []needle) bool {
	for _, n := range needles {
		if n.in(s) {
			return true
		}
	}
	return false
}

// wordsInLine is countWords(a.text[lo:hi]), for a line with white space
// (or the text's ends) on both sides, counted from a's tokens: the line's
// segments are the text's there (as deriveAnalysis moves them), and a
// word glued to others by hyphens counts once per part. It reports false
// when that cannot be told: a token crosses the line's ends, or a glued
// word is not ASCII (an ASCII segment holding "-" is "-" itself, which
// is not a word, so every "-" in an ASCII word token is a glue). *next is
// where the search for the line's first token starts; it is left after
// the line's tokens (lines come in order).
func (a *Analysis) wordsInLine(lo, hi int, next *int) (int, bool) {
	starts := a.tokenStarts
	k := *next
	for k < len(starts) && int(starts[k]) < lo {
		k++
	}
	if k > 0 && int(starts[k-1])+len(a.Tokens[k-1]) > lo {
		*next = k
		return 0, false
	}
	first, n, ok := k, 0, true
	for ; k < len(starts) && int(starts[k]) < hi; k++ {
		if !a.IsWord[k] {
			continue
		}
		n++
		if tok := a.Tokens[k]; strings.IndexByte(tok, '-') >= 0 {
			for i := 0; i < len(tok); i++ {
				ok = ok && tok[i] < utf8.RuneSelf
			}
			n += strings.Count(tok, "-")
		}
	}
	*next = k
	if k > first && int(starts[k-1])+len(a.Tokens[k-1]) > hi {
		return 0, false
	}
	return n, ok
}

// countWords counts UAX#29 words (segments with a letter or digit).
func countWords(s string) int {
	if !utf8.ValidString(s) {
		return countWordsUAX29(s)
	}
	// The spans segmentClassified emits are the UAX#29 segments that
	// are not white space (FuzzSegmentMatchesUAX29), and white space is
	// never a word: the same count, through the fast paths.
	n := 0
	segmentClassified(s, func(start, end int, flags uint8, _ int) {
		isWord := flags&tcWord != 0
		if flags&tcNonASCII != 0 {
			isWord, _, _, _ = classify(s[start:end])
		}
		if isWord {
			n++
		}
	})
	return n
}

// countWordsUAX29 is countWords on invalid UTF-8, where the fast
// segmenter groups a truncated sequence differently.
func countWordsUAX29(s string) int {
	n := 0
	it := words.FromString(s)
	for it.Next() {
		if w, _, _, _ := classify(it.Value()); w {
			n++
		}
	}
	return n
}

// countSentences stands in for NLTK's punkt sent_tokenize on one line: a
// sentence ends at a run of . ! ? (or their CJK forms) followed by white
// space or the end of the line, and counts when it holds a letter or
// digit. (UAX#29 sentence segmentation gives the same counts on prose but
// is ten times slower.)
func countSentences(s string) int {
	n := 0
	hasWord := false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case r == '.' || r == '!' || r == '?' || r == '。' || r == '！' || r == '？':
			if i < len(s) && (s[i] == '.' || s[i] == '!' || s[i] == '?') {
				continue // the run goes on
			}
			if hasWord && (i >= len(s) || s[i] == ' ' || s[i] == '\t' || r >= 0x3000) {
				n++
				hasWord = false
			}
		case hasWord:
			// Only a sentence end matters now: skip to the next byte
			// that can start one, eight bytes at a time. The CJK ends
			// start with 0xE3 or 0xEF, which are never inside another
			// code point (continuation bytes are 0x80-0xBF), so the skip
			// lands where the rune-by-rune walk would stop too.
			for i+8 <= len(s) {
				w := load8(s, i)
				if hasByte(w, '.') || hasByte(w, '!') || hasByte(w, '?') || hasByte(w, 0xE3) || hasByte(w, 0xEF) {
					break
				}
				i += 8
			}
			for i < len(s) && !sentenceEndByte[s[i]] {
				i++
			}
		case r < utf8.RuneSelf:
			hasWord = isAlnum(byte(r))
		default:
			hasWord = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
	}
	if hasWord {
		n++
	}
	return n
}

// sentenceEndByte marks the bytes countSentences stops at: the ASCII
// ends and the first bytes of the CJK ones.
var sentenceEndByte = [256]bool{'.': true, '!': true, '?': true, 0xE3: true, 0xEF: true}
