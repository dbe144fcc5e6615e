package filter

import (
	"bufio"
	"fmt"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/sieve-data/sieve/data"
	"github.com/sieve-data/sieve/pipeline"
)

// Signals of the url_filter step (1 = true, 0 = false; counts otherwise).
const (
	SigURLDomainBlocked    = "url_domain_blocked"    // registered domain listed
	SigURLSubdomainBlocked = "url_subdomain_blocked" // host listed (match: exact), or host or a parent below the registered domain (match: parents)
	SigURLBlocked          = "url_blocked"           // exact URL listed
	SigURLBannedWords      = "url_banned_words"      // URL words in banned_words
	SigURLSoftBannedWords  = "url_soft_banned_words" // URL words in soft_banned_words
	SigURLBannedSubword    = "url_banned_subword"    // a banned subword inside the normalised URL
	SigURLAllowed          = "url_allowed"           // allow-list hit; -1 without an allow list
	// SigURLCategoryPrefix + a blocked UT1 category: the host is listed in it.
	SigURLCategoryPrefix = "url_category_"
)

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// URLFilterConfig holds datatrove's URLFilter parameters plus an
// allow-list mode. Lists come inline or from files (one entry a line, "#"
// starts a comment), e.g. the UT1 "adult" domains and urls files that
// datatrove and FineWeb use; sieve ships no block list of its own.
type URLFilterConfig struct {
	SoftWordThreshold int `yaml:"soft_word_threshold"`
	// Match says which hosts a listed domain blocks. "exact" (the
	// default, datatrove's URLFilter): a listed registered domain blocks
	// every host under it, a listed host blocks that host only.
	// "parents" (squidGuard's, how UT1 lists are meant): a listed host also
	// blocks the hosts below it (sub.host.example.com when host.example.com
	// is listed). The allow list always matches parents.
	Match string `yaml:"match"`
	// BlockCategories names UT1 site categories (data/ut1: fakenews,
	// gambling, dating, ...) whose domains are blocked, read with Match as
	// block_domains are; a document is dropped as url_category_<name>.
	BlockCategories []string `yaml:"block_categories"`
	// WordCase says how the URL's words meet banned_words and
	// soft_banned_words (which are lower-cased on loading): "sensitive"
	// (the default, datatrove: the URL's words as written, so "Casino"
	// is not "casino") or "insensitive" (the URL lower-cased first).
	WordCase           string   `yaml:"word_case"`
	BlockDomains       []string `yaml:"block_domains"`
	BlockDomainsFiles  []string `yaml:"block_domains_files"`
	BlockURLs          []string `yaml:"block_urls"`
	BlockURLsFiles     []string `yaml:"block_urls_files"`
	BannedWords        []string `yaml:"banned_words"`
	BannedWordsFiles   []string `yaml:"banned_words_files"`
	BannedSubwords     []string `yaml:"banned_subwords"`
	BannedSubwordFiles []string `yaml:"banned_subwords_files"`
	SoftBannedWords    []string `yaml:"soft_banned_words"`
	SoftBannedFiles    []string `yaml:"soft_banned_words_files"`
	// Allow-list mode (as WebText): when any allow list is given, only
	// documents whose URL, host or a parent domain is listed are kept.
	AllowDomains      []string `yaml:"allow_domains"`
	AllowDomainsFiles []string `yaml:"allow_domains_files"`
	AllowURLs         []string `yaml:"allow_urls"`
	AllowURLsFiles    []string `yaml:"allow_urls_files"`
}

// DefaultURLFilterConfig returns datatrove's defaults (no lists).
func DefaultURLFilterConfig() URLFilterConfig {
	return URLFilterConfig{SoftWordThreshold: 2, Match: URLMatchExact, WordCase: URLWordsCaseSensitive}
}

// The url_filter word_case modes (URLFilterConfig.WordCase).
const (
	URLWordsCaseSensitive   = "sensitive"
	URLWordsCaseInsensitive = "insensitive"
)

// The url_filter match modes (URLFilterConfig.Match).
const (
	URLMatchExact   = "exact"
	URLMatchParents = "parents"
)

// URLFilter is the "url_filter" step.
type URLFilter struct {
	softThreshold  int
	parents        bool
	foldCase       bool
	blockDomains   map[string]bool
	blockURLs      map[string]bool
	bannedWords    map[string]bool
	softWords      map[string]bool
	bannedSubwords []string
	allowDomains   map[string]bool
	allowURLs      map[string]bool
	allowMode      bool
	// categories are the blocked UT1 categories, with their mask bits.
	categories []blockedCategory
	ut1        *data.SiteCategories
}

type blockedCategory struct {
	name, signal string
	bit          uint64
}

// NewURLFilter loads the lists and builds the step.
func NewURLFilter(cfg URLFilterConfig) (*URLFilter, error) {
	if cfg.SoftWordThreshold < 1 {
		return nil, fmt.Errorf("url_filter: soft_word_threshold %d is below 1", cfg.SoftWordThreshold)
	}
	f := &URLFilter{softThreshold: cfg.SoftWordThreshold}
	switch cfg.WordCase {
	case "", URLWordsCaseSensitive:
	case URLWordsCaseInsensitive:
		f.foldCase = true
	default:
		return nil, fmt.Errorf("url_filter: word_case %q: want %q or %q", cfg.WordCase, URLWordsCaseSensitive, URLWordsCaseInsensitive)
	}
	switch cfg.Match {
	case "", URLMatchExact:
	case URLMatchParents:
		f.parents = true
	default:
		return nil, fmt.Errorf("url_filter: match %q: want %q or %q", cfg.Match, URLMatchExact, URLMatchParents)
	}
	var err error
	load := func(inline, files []string, norm func(string) string) map[string]bool {
		if err != nil {
			return nil
		}
		var set map[string]bool
		set, err = loadList(inline, files, norm)
		return set
	}
	host := func(s string) string { return strings.TrimSuffix(strings.ToLower(s), ".") }
	f.blockDomains = load(cfg.BlockDomains, cfg.BlockDomainsFiles, host)
	f.blockURLs = load(cfg.BlockURLs, cfg.BlockURLsFiles, strings.TrimSpace)
	f.bannedWords = load(cfg.BannedWords, cfg.BannedWordsFiles, normalizeURLText)
	f.softWords = load(cfg.SoftBannedWords, cfg.SoftBannedFiles, normalizeURLText)
	subwords := load(cfg.BannedSubwords, cfg.BannedSubwordFiles, normalizeURLText)
	f.allowDomains = load(cfg.AllowDomains, cfg.AllowDomainsFiles, host)
	f.allowURLs = load(cfg.AllowURLs, cfg.AllowURLsFiles, strings.TrimSpace)
	if err != nil {
		return nil, fmt.Errorf("url_filter: %w", err)
	}
	for w := range subwords {
		f.bannedSubwords = append(f.bannedSubwords, w)
	}
	f.allowMode = len(f.allowDomains) > 0 || len(f.allowURLs) > 0
	if len(cfg.BlockCategories) > 0 {
		if f.ut1, err = data.UT1(); err != nil {
			return nil, fmt.Errorf("url_filter: %w", err)
		}
		for _, name := range cfg.BlockCategories {
			bit, ok := f.ut1.Bit(name)
			if !ok {
				return nil, fmt.Errorf("url_filter: block_categories: no UT1 category %q (known: %s)", name, strings.Join(sortedCopy(f.ut1.Names()), ", "))
			}
			f.categories = append(f.categories, blockedCategory{name: name, signal: SigURLCategoryPrefix + name, bit: bit})
		}
	}
	return f, nil
}

func loadList(inline, files []string, norm func(string) string) (map[string]bool, error) {
	set := map[string]bool{}
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" || s[0] == '#' {
			return
		}
		if s = norm(s); s != "" {
			set[s] = true
		}
	}
	for _, s := range inline {
		add(s)
	}
	for _, name := range files {
		fh, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			add(sc.Text())
		}
		err = sc.Err()
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return set, nil
}

// normalizeURLText lower-cases s and drops everything but ASCII letters and
// digits (datatrove's normalize).
func normalizeURLText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b.WriteByte(c)
		case 'A' <= c && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		}
	}
	return b.String()
}

// urlWords splits a URL on runs of characters other than ASCII letters and
// digits (datatrove's normalizer.split), lower-cased first when fold is set.
func urlWords(u string, fold bool) []string {
	if fold {
		u = strings.ToLower(u)
	}
	return strings.FieldsFunc(u, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	})
}

// Name implements pipeline.Step.
func (f *URLFilter) Name() string { return "url_filter" }

// SignalNames implements pipeline.SignalDeclarer.
func (f *URLFilter) SignalNames() []string {
	names := []string{SigURLDomainBlocked, SigURLSubdomainBlocked, SigURLBlocked, SigURLBannedWords,
		SigURLSoftBannedWords, SigURLBannedSubword, SigURLAllowed}
	for _, c := range f.categories {
		names = append(names, c.signal)
	}
	return names
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// hostAndDomain returns d's host and registered domain, deriving them from
// the URL when the reader did not fill them in.
func hostAndDomain(d *pipeline.Document) (string, string) {
	host, domain := d.Host, d.Domain
	if host == "" {
		if u, err := url.Parse(d.URL); err == nil {
			host = strings.ToLower(u.Hostname())
		}
	}
	host = strings.TrimSuffix(host, ".")
	if domain == "" && host != "" {
		if reg, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
			domain = reg
		} else {
			domain = host
		}
	}
	return host, domain
}

// Process checks d's URL, stores the signals and decides.
func (f *URLFilter) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	host, domain := hostAndDomain(d)
	sub := host != domain && f.blockDomains[host]
	// match: parents: each parent of the host down to the registered
	// domain as well.
	for h := host; f.parents && !sub && h != "" && h != domain; {
		if f.blockDomains[h] {
			sub = true
			break
		}
		_, rest, ok := strings.Cut(h, ".")
		if !ok {
			break
		}
		h = rest
	}
	var banned, soft int
	// datatrove takes the set of the URL's words: a soft word counts once
	// however often it appears.
	words := urlWords(d.URL, f.foldCase)
	for i, w := range words {
		if f.bannedWords[w] {
			banned++
		}
		if f.softWords[w] && !slices.Contains(words[:i], w) {
			soft++
		}
	}
	var subword bool
	if len(f.bannedSubwords) > 0 {
		norm := normalizeURLText(d.URL)
		for _, w := range f.bannedSubwords {
			if strings.Contains(norm, w) {
				subword = true
				break
			}
		}
	}
	allowed := -1.0
	if f.allowMode {
		ok := f.allowURLs[d.URL] || f.allowDomains[domain]
		for h := host; !ok && h != "" && h != domain; {
			ok = f.allowDomains[h]
			_, rest, found := strings.Cut(h, ".")
			if !found {
				break
			}
			h = rest
		}
		allowed = b2f(ok)
	}
	d.SetSignal(SigURLDomainBlocked, b2f(domain != "" && f.blockDomains[domain]))
	d.SetSignal(SigURLSubdomainBlocked, b2f(sub))
	d.SetSignal(SigURLBlocked, b2f(f.blockURLs[d.URL]))
	d.SetSignal(SigURLBannedWords, float64(banned))
	d.SetSignal(SigURLSoftBannedWords, float64(soft))
	d.SetSignal(SigURLBannedSubword, b2f(subword))
	d.SetSignal(SigURLAllowed, allowed)
	if len(f.categories) > 0 {
		m := f.ut1.Lookup(host, domain, f.parents)
		for _, c := range f.categories {
			d.SetSignal(c.signal, b2f(m&c.bit != 0))
		}
	}
	return f.Decide(d.Signals, d.Language)
}

// Decide re-applies the rules to stored signals.
func (f *URLFilter) Decide(s map[string]float64, lang string) pipeline.Outcome {
	if v, ok := s[SigURLAllowed]; ok && v == 0 {
		return pipeline.DropFor("url_not_allowed")
	}
	switch {
	case s[SigURLDomainBlocked] == 1:
		return pipeline.DropFor("url_domain")
	case s[SigURLSubdomainBlocked] == 1:
		return pipeline.DropFor("url_subdomain")
	case s[SigURLBlocked] == 1:
		return pipeline.DropFor("url_url")
	}
	for _, c := range f.categories {
		if s[c.signal] == 1 {
			return pipeline.DropFor(c.signal)
		}
	}
	switch {
	case s[SigURLBannedWords] > 0:
		return pipeline.DropFor("url_hard_blacklisted")
	case s[SigURLSoftBannedWords] >= float64(f.softThreshold):
		return pipeline.DropFor("url_soft_blacklisted")
	case s[SigURLBannedSubword] == 1:
		return pipeline.DropFor("url_blacklisted_subword")
	}
	return pipeline.Keep
}
