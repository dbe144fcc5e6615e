package stats

import (
	"hash/fnv"
	"math/bits"
	"net"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sieve-data/sieve/data"
	"github.com/sieve-data/sieve/internal/runeclass"
	"github.com/sieve-data/sieve/pipeline"
)

// FormatVersion is the version of the stats.json layout.
const FormatVersion = 1

// Collector accumulates a run's statistics. It is owned by one goroutine;
// combine collectors with Merge. Its JSON form (Save, Load, or
// encoding/json directly) round-trips exactly.
type Collector struct {
	Format int     `json:"format"`
	Config Config  `json:"config"`
	Run    RunInfo `json:"run"`
	// Steps are the per-step counters, in pipeline order.
	Steps []StepStats `json:"steps"`
	// Kept totals all kept documents; Languages splits them by language.
	Kept      LanguageStats             `json:"kept"`
	Languages map[string]*LanguageStats `json:"languages"`
	Domains   *TopK                     `json:"domains"`
	TLDs      *TopK                     `json:"tlds"`
	// Drops holds, per "step: reason", the dropped documents' count and a
	// few examples.
	Drops map[string]*DropStats `json:"drops"`
	// Funnels holds, per language, the documents that passed the filter
	// chain and those each "step: reason" dropped: the filters × languages
	// table. A document dropped before the langid step counts under "und".
	Funnels map[string]*LanguageFunnel `json:"language_funnels,omitempty"`
	// Sites counts kept documents per UT1 site category (data/ut1; a
	// document may be in several categories or in none); SitesLookedUp
	// and SitesCategorized are the kept documents looked up and those in
	// at least one category.
	Sites            map[string]*SiteStats `json:"site_categories,omitempty"`
	SitesLookedUp    int64                 `json:"site_docs_looked_up,omitempty"`
	SitesCategorized int64                 `json:"site_docs_categorized,omitempty"`
	// Files has one entry per input file, in the order first added.
	Files []FileStats `json:"files"`
	Dedup DedupStats  `json:"dedup"`
	// Time is the time spent outside the steps, by phase.
	Time  TimeSplit `json:"time"`
	files map[string]int
}

// StepStats are one step's counters, merged over workers and files.
type StepStats struct {
	Name string `json:"name"`
	pipeline.Metrics
}

// LanguageStats describes the kept documents of one language.
type LanguageStats struct {
	Docs  int64 `json:"docs"`
	Chars int64 `json:"chars"` // Unicode code points
	Bytes int64 `json:"bytes"` // UTF-8 bytes
	Words int64 `json:"words"` // white-space separated words
	// Tokens sums TokenCount over the TokenDocs documents that had one;
	// TokenChars is those documents' characters, for tokens per 1,000
	// characters.
	Tokens     int64 `json:"tokens"`
	TokenDocs  int64 `json:"token_docs"`
	TokenChars int64 `json:"token_chars"`
	// ScoreMicros sums the language scores in millionths, so that sums
	// merge exactly in any order.
	ScoreMicros int64     `json:"score_micros"`
	CharHist    Histogram `json:"char_hist"`
	WordHist    Histogram `json:"word_hist"`
}

// SiteStats are the kept documents of one site category.
type SiteStats struct {
	Counts
	Languages map[string]*Counts `json:"languages,omitempty"`
}

// Counts are documents, characters and tokens (tokens of the documents
// that had a count).
type Counts struct {
	Docs   int64 `json:"docs"`
	Chars  int64 `json:"chars"`
	Tokens int64 `json:"tokens"`
}

func (c *Counts) add(o Counts) {
	c.Docs += o.Docs
	c.Chars += o.Chars
	c.Tokens += o.Tokens
}

// PreloadSiteCategories loads the site-category lists (data.UT1, ~0.07 s
// of CPU) in the background, so that the statistics pass after the main
// one, which runs alone, does not wait for them: a run calls it at start.
func PreloadSiteCategories() { go data.UT1() }

// observeSite adds a kept document to its UT1 categories. The lists are
// loaded on the first call (once per process); if they cannot be, site
// categories are left out.
func (c *Collector) observeSite(d *pipeline.Document, lang string, n Counts) {
	if c.Config.NoSiteCategories {
		return
	}
	cats, err := data.UT1()
	if err != nil {
		return
	}
	host, domain := d.Host, d.Domain
	if host == "" {
		if u, err := url.Parse(d.URL); err == nil {
			host = u.Hostname()
		}
	}
	c.SitesLookedUp++
	m := cats.Lookup(host, strings.ToLower(domain), true)
	if m == 0 {
		return
	}
	c.SitesCategorized++
	if c.Sites == nil {
		c.Sites = make(map[string]*SiteStats)
	}
	for i, name := range cats.Names() {
		if m&(1<<i) == 0 {
			continue
		}
		ss := c.Sites[name]
		if ss == nil {
			ss = &SiteStats{Languages: map[string]*Counts{}}
			c.Sites[name] = ss
		}
		ss.add(n)
		lc := ss.Languages[lang]
		if lc == nil {
			lc = &Counts{}
			ss.Languages[lang] = lc
		}
		lc.add(n)
	}
}

// LanguageFunnel is what the filter chain did to one language's documents.
type LanguageFunnel struct {
	// Passed counts documents that passed every step (before dedup).
	Passed int64 `json:"passed"`
	// Dropped maps "step: reason" to documents dropped.
	Dropped map[string]int64 `json:"dropped,omitempty"`
}

// Read is the documents of the language that entered the chain.
func (f *LanguageFunnel) Read() int64 {
	n := f.Passed
	for _, v := range f.Dropped {
		n += v
	}
	return n
}

func (c *Collector) funnel(lang string) *LanguageFunnel {
	if lang == "" {
		lang = "und"
	}
	if c.Funnels == nil {
		c.Funnels = make(map[string]*LanguageFunnel)
	}
	f := c.Funnels[lang]
	if f == nil {
		f = &LanguageFunnel{}
		c.Funnels[lang] = f
	}
	return f
}

// ObservePassed counts a document that passed the whole filter chain
// (before deduplication): with the drops it gives each language's
// documents read and kept share.
func (c *Collector) ObservePassed(d *pipeline.Document) {
	c.funnel(d.Language).Passed++
}

// DropStats counts the documents one step dropped for one reason.
type DropStats struct {
	Step     string    `json:"step"`
	Reason   string    `json:"reason"`
	Docs     int64     `json:"docs"`
	Chars    int64     `json:"chars"`
	Examples []Example `json:"examples,omitempty"`
}

// Example is a dropped document shown in the report. Examples are the ones
// whose ID hashes lowest, so the same ones are chosen under any split of
// the work and any merge order.
type Example struct {
	Hash     uint64 `json:"hash"`
	ID       string `json:"id"`
	URL      string `json:"url"`
	Language string `json:"language,omitempty"`
	Snippet  string `json:"snippet"`
}

// NewCollector returns an empty collector.
func NewCollector(cfg Config) *Collector {
	cfg = cfg.withDefaults()
	return &Collector{
		Format:    FormatVersion,
		Config:    cfg,
		Languages: make(map[string]*LanguageStats),
		Domains:   newTopK(cfg.TopKDomains),
		TLDs:      newTopK(cfg.TopKTLDs),
		Drops:     make(map[string]*DropStats),
	}
}

// KeptText is what ObserveKept measures of a document's text. Measuring
// is the costly part of observing and does not depend on the order
// documents come in, so a caller may measure on several goroutines and
// observe in order with ObserveKeptText (the statistics are the same).
type KeptText struct{ Chars, Words, Bytes int64 }

// MeasureKept measures a kept document's text: its characters (code
// points), white-space separated words and bytes.
func MeasureKept(text string) KeptText {
	chars, words := countCharsWords(text)
	return KeptText{Chars: int64(chars), Words: int64(words), Bytes: int64(len(text))}
}

// ObserveKept counts a document that was written to the output.
func (c *Collector) ObserveKept(d *pipeline.Document) { c.ObserveKeptText(d, MeasureKept(d.Text)) }

// ObserveKeptText is ObserveKept with d's text measured already (t); it
// does not read d.Text.
func (c *Collector) ObserveKeptText(d *pipeline.Document, t KeptText) {
	chars, words := t.Chars, t.Words
	lang := d.Language
	if lang == "" {
		lang = "und"
	}
	ls := c.Languages[lang]
	if ls == nil {
		ls = &LanguageStats{CharHist: newHistogram(), WordHist: newHistogram()}
		c.Languages[lang] = ls
	}
	for _, s := range []*LanguageStats{ls, &c.Kept} {
		s.Docs++
		s.Chars += chars
		s.Bytes += t.Bytes
		s.Words += words
		if d.TokenCount >= 0 {
			s.Tokens += d.TokenCount
			s.TokenDocs++
			s.TokenChars += chars
		}
		s.ScoreMicros += int64(float64(d.LanguageScore)*1e6 + 0.5)
		s.CharHist.Add(chars)
		s.WordHist.Add(words)
	}
	c.Domains.Add(domainOf(d), chars)
	c.TLDs.Add(tldOf(d), chars)
	n := Counts{Docs: 1, Chars: chars}
	if d.TokenCount >= 0 {
		n.Tokens = d.TokenCount
	}
	c.observeSite(d, lang, n)
}

// ObserveDropped counts a document a step dropped.
func (c *Collector) ObserveDropped(step, reason string, d *pipeline.Document) {
	key := step + ": " + reason
	ds := c.Drops[key]
	if ds == nil {
		ds = &DropStats{Step: step, Reason: reason}
		c.Drops[key] = ds
	}
	ds.Docs++
	ds.Chars += int64(utf8.RuneCountInString(d.Text))
	lf := c.funnel(d.Language)
	if lf.Dropped == nil {
		lf.Dropped = make(map[string]int64)
	}
	lf.Dropped[key]++
	if c.Config.ExamplesPerReason <= 0 {
		return
	}
	id := d.ID
	if id == "" {
		id = d.URL
	}
	h := hashID(id)
	if len(ds.Examples) >= c.Config.ExamplesPerReason && h >= ds.Examples[len(ds.Examples)-1].Hash {
		return
	}
	text := d.Text
	if strings.TrimSpace(text) == "" {
		text = d.Title
	}
	ex := Example{Hash: h, ID: d.ID, URL: d.URL, Language: d.Language, Snippet: snippet(text, c.Config.SnippetChars)}
	ds.Examples = insertExample(ds.Examples, ex, c.Config.ExamplesPerReason)
}

// AddSteps adds one chain's per-step metrics (names[i] is step i's name).
func (c *Collector) AddSteps(names []string, m []pipeline.Metrics) {
	for i := range m {
		name := ""
		if i < len(names) {
			name = names[i]
		}
		c.step(name).Merge(&m[i])
	}
}

func (c *Collector) step(name string) *pipeline.Metrics {
	for i := range c.Steps {
		if c.Steps[i].Name == name {
			return &c.Steps[i].Metrics
		}
	}
	c.Steps = append(c.Steps, StepStats{Name: name})
	return &c.Steps[len(c.Steps)-1].Metrics
}

// AddFile adds what reading one input file gave. Parts of the same path
// are summed.
func (c *Collector) AddFile(f FileStats) {
	if len(f.Damaged) > c.Config.MaxDamagesPerFile {
		f.Damaged = f.Damaged[:c.Config.MaxDamagesPerFile]
	}
	if c.files == nil {
		c.indexFiles()
	}
	if i, ok := c.files[f.Path]; ok {
		c.Files[i].merge(f, c.Config.MaxDamagesPerFile)
		return
	}
	var cp FileStats
	cp.Path = f.Path
	cp.merge(f, c.Config.MaxDamagesPerFile)
	c.files[f.Path] = len(c.Files)
	c.Files = append(c.Files, cp)
}

func (c *Collector) indexFiles() {
	c.files = make(map[string]int, len(c.Files))
	for i, f := range c.Files {
		c.files[f.Path] = i
	}
}

// AddDedup adds what deduplication did.
func (c *Collector) AddDedup(d DedupStats) { c.Dedup.merge(d) }

// SetRun records the run's description.
func (c *Collector) SetRun(r RunInfo) {
	if r.TasksMerged == 0 {
		r.TasksMerged = 1
	}
	c.Run = r
}

// Merge adds o's counts into c.
func (c *Collector) Merge(o *Collector) {
	if o == nil {
		return
	}
	c.Run.merge(o.Run)
	c.Time.merge(o.Time)
	for _, s := range o.Steps {
		c.step(s.Name).Merge(&s.Metrics)
	}
	c.Kept.merge(&o.Kept)
	for lang, ls := range o.Languages {
		if c.Languages[lang] == nil {
			c.Languages[lang] = &LanguageStats{CharHist: newHistogram(), WordHist: newHistogram()}
		}
		c.Languages[lang].merge(ls)
	}
	c.Domains.Merge(o.Domains)
	c.TLDs.Merge(o.TLDs)
	for k, od := range o.Drops {
		d := c.Drops[k]
		if d == nil {
			d = &DropStats{Step: od.Step, Reason: od.Reason}
			c.Drops[k] = d
		}
		d.Docs += od.Docs
		d.Chars += od.Chars
		for _, ex := range od.Examples {
			if c.Config.ExamplesPerReason > 0 && !hasExample(d.Examples, ex) {
				d.Examples = insertExample(d.Examples, ex, c.Config.ExamplesPerReason)
			}
		}
	}
	c.SitesLookedUp += o.SitesLookedUp
	c.SitesCategorized += o.SitesCategorized
	for name, os := range o.Sites {
		if c.Sites == nil {
			c.Sites = make(map[string]*SiteStats)
		}
		ss := c.Sites[name]
		if ss == nil {
			ss = &SiteStats{Languages: map[string]*Counts{}}
			c.Sites[name] = ss
		}
		ss.add(os.Counts)
		for lang, lc := range os.Languages {
			if ss.Languages[lang] == nil {
				ss.Languages[lang] = &Counts{}
			}
			ss.Languages[lang].add(*lc)
		}
	}
	for lang, of := range o.Funnels {
		f := c.funnel(lang)
		f.Passed += of.Passed
		for k, v := range of.Dropped {
			if f.Dropped == nil {
				f.Dropped = make(map[string]int64)
			}
			f.Dropped[k] += v
		}
	}
	for _, f := range o.Files {
		c.AddFile(f)
	}
	c.Dedup.merge(o.Dedup)
}

func (s *LanguageStats) merge(o *LanguageStats) {
	s.Docs += o.Docs
	s.Chars += o.Chars
	s.Bytes += o.Bytes
	s.Words += o.Words
	s.Tokens += o.Tokens
	s.TokenDocs += o.TokenDocs
	s.TokenChars += o.TokenChars
	s.ScoreMicros += o.ScoreMicros
	s.CharHist.Merge(o.CharHist)
	s.WordHist.Merge(o.WordHist)
}

// MeanScore is the mean language score.
func (s *LanguageStats) MeanScore() float64 {
	if s.Docs == 0 {
		return 0
	}
	return float64(s.ScoreMicros) / 1e6 / float64(s.Docs)
}

// TokensPer1000Chars is the tokenizer's cost of the language's text.
func (s *LanguageStats) TokensPer1000Chars() float64 {
	if s.TokenChars == 0 {
		return 0
	}
	return float64(s.Tokens) * 1000 / float64(s.TokenChars)
}

// InputTotals sums the counts of all input files (Path and the damage
// list are left empty).
func (c *Collector) InputTotals() FileStats {
	var t FileStats
	for _, f := range c.Files {
		t.merge(f, 0)
	}
	return t
}

// DamagedCount is the number of damaged places over all files.
func (c *Collector) DamagedCount() int64 {
	var n int64
	for _, f := range c.Files {
		n += f.DamagedCount
	}
	return n
}

func hashID(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func hasExample(es []Example, ex Example) bool {
	for _, e := range es {
		if e.Hash == ex.Hash && e.ID == ex.ID {
			return true
		}
	}
	return false
}

// insertExample keeps es sorted by hash (then ID) and at most n long.
func insertExample(es []Example, ex Example, n int) []Example {
	i := 0
	for i < len(es) && (es[i].Hash < ex.Hash || es[i].Hash == ex.Hash && es[i].ID < ex.ID) {
		i++
	}
	if i >= n {
		return es
	}
	es = append(es, Example{})
	copy(es[i+1:], es[i:])
	es[i] = ex
	if len(es) > n {
		es = es[:n]
	}
	return es
}

// snippet returns the first n characters of s with white space collapsed.
func snippet(s string, n int) string {
	var b strings.Builder
	space := false
	count := 0
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			count++
			space = false
		}
		if count >= n {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		count++
	}
	return b.String()
}

// countWords counts white-space separated words (for scripts written
// without spaces, such as Chinese or Thai, a "word" is a whole run).
func countWords(s string) int {
	_, words := countCharsWords(s)
	return words
}

// countCharsWords returns utf8.RuneCountInString(s) and countWords(s) in
// one pass over s. Only ASCII white space and the code points whose first
// byte is in spaceLead are decoded to ask runeclass; every other byte
// starts or continues a word, and a non-ASCII sequence is measured by the
// utf8 package (an invalid byte counts as one character, as in
// RuneCountInString).
func countCharsWords(s string) (chars, words int) {
	in := false
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			// Eight ASCII bytes at once: a word starts at each non-space
			// byte after a space byte (or after the word state so far).
			x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			if x&highBits == 0 {
				ns := nonSpaceBytes(x)
				prev := ns << 8
				if in {
					prev |= 0x80
				}
				words += bits.OnesCount64(ns &^ prev)
				in = ns>>63 != 0
				chars += 8
				i += 8
				continue
			}
		}
		c := s[i]
		var space bool
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			r, w := utf8.DecodeRuneInString(s[i:])
			space = spaceLead[c] && runeclass.IsSpace(r)
			i += w
		}
		chars++
		if space {
			in = false
		} else if !in {
			in = true
			words++
		}
	}
	return chars, words
}

// highBits selects the top bit of each byte of a word.
const highBits = 0x8080808080808080

// nonSpaceBytes returns, for eight ASCII bytes (top bits clear), the top
// bit of each byte that is not asciiSpace (' ' or '\t'..'\r'). Each
// addition stays inside its byte: a byte is at most 0x7F.
func nonSpaceBytes(x uint64) uint64 {
	ge09 := x + 0x7777777777777777 // top bit set: byte >= 0x09
	ge0E := x + 0x7272727272727272 // byte >= 0x0E
	ne20 := (x ^ 0x2020202020202020) + 0x7F7F7F7F7F7F7F7F
	space := (ge09 &^ ge0E) | ^ne20
	return ^space & highBits
}

var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\n': true, '\t': true, '\r': true, '\v': true, '\f': true}

// spaceLead marks the first UTF-8 bytes of the non-ASCII white space
// runeclass knows (U+0085 and U+00A0 start with 0xC2, U+1680 with 0xE1,
// U+2000..U+205F with 0xE2, U+3000 with 0xE3), built from runeclass itself
// so the two cannot disagree. Above the BMP no code point is white space.
var spaceLead = func() (t [256]bool) {
	var buf [utf8.UTFMax]byte
	for r := rune(utf8.RuneSelf); r < 0x10000; r++ {
		if utf8.ValidRune(r) && runeclass.IsSpace(r) {
			utf8.EncodeRune(buf[:], r)
			t[buf[0]] = true
		}
	}
	return
}()

// domainOf returns the registered domain, falling back to the host.
func domainOf(d *pipeline.Document) string {
	switch {
	case d.Domain != "":
		return strings.ToLower(d.Domain)
	case d.Host != "":
		return strings.ToLower(d.Host)
	}
	return "(none)"
}

// tldOf returns the last label of the host name: "uk" for bbc.co.uk (the
// top-level domain, not the public suffix), "(ip)" for an IP address.
func tldOf(d *pipeline.Document) string {
	h := d.Host
	if h == "" {
		h = d.Domain
	}
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h == "" {
		return "(none)"
	}
	if net.ParseIP(strings.Trim(h, "[]")) != nil {
		return "(ip)"
	}
	if i := strings.LastIndexByte(h, '.'); i >= 0 {
		return h[i+1:]
	}
	return h
}
