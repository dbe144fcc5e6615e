// Package stats counts what a sieve run read, kept and removed, in counters
// that merge exactly across workers, input files and tasks, and turns them
// into an audit report (report.json, report.md, report.html) in the spirit
// of Common Crawl's language table: which languages, domains and lengths a
// corpus holds, and what each filter removed and why.
//
// The report compares the language table with Common Crawl's own shares
// (the shipped CC-MAIN-2024-42 table, DefaultReference: CLD2 on all fetched
// HTML pages, before any filtering), so the ratio says how far filtering
// moved each language from the web as crawled. The filters × languages
// table (FilterLanguages) counts, per language, the documents that entered
// the filter chain (ObservePassed plus the drops) and the share each step
// and reason dropped, and flags a step that treats a language far worse
// than the corpus (FarAbove). Site categories come from UT1's lists
// (package data), looked up per kept document.
//
// A Collector belongs to one goroutine (no locks); Merge combines them, and
// its JSON form round-trips exactly, so per-task stats.json files can be
// merged later by `sieve report`.
package stats

// Config sets the few bounded parts of a Collector. Collectors merged
// together should share one Config; Merge keeps the receiver's.
type Config struct {
	// TopKDomains is how many registered domains are tracked (space-saving
	// top-K); the long tail beyond it is bounded, with a stated error.
	TopKDomains int `json:"top_k_domains"`
	// TopKTLDs bounds the TLD table the same way (real TLDs number ~1,500).
	TopKTLDs int `json:"top_k_tlds"`
	// ExamplesPerReason is how many dropped documents are kept as examples
	// for each (step, reason); 0 means the default, negative means none.
	ExamplesPerReason int `json:"examples_per_reason"`
	// SnippetChars is the length, in characters, of an example's snippet.
	SnippetChars int `json:"snippet_chars"`
	// MaxDamagesPerFile bounds the damage messages kept per input file.
	MaxDamagesPerFile int `json:"max_damages_per_file"`
	// MinLanguageDocs is how many documents a language must have read to
	// get a row in the filters × languages table (the corpus-wide row
	// counts every language).
	MinLanguageDocs int `json:"min_language_docs"`
	// NoSiteCategories leaves out the UT1 site-category counts (and the
	// loading of the lists).
	NoSiteCategories bool `json:"no_site_categories,omitempty"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{TopKDomains: 10000, TopKTLDs: 2000, ExamplesPerReason: 3, SnippetChars: 240, MaxDamagesPerFile: 10, MinLanguageDocs: 20}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.TopKDomains <= 0 {
		c.TopKDomains = d.TopKDomains
	}
	if c.TopKTLDs <= 0 {
		c.TopKTLDs = d.TopKTLDs
	}
	if c.ExamplesPerReason == 0 {
		c.ExamplesPerReason = d.ExamplesPerReason
	}
	if c.SnippetChars <= 0 {
		c.SnippetChars = d.SnippetChars
	}
	if c.MaxDamagesPerFile <= 0 {
		c.MaxDamagesPerFile = d.MaxDamagesPerFile
	}
	if c.MinLanguageDocs <= 0 {
		c.MinLanguageDocs = d.MinLanguageDocs
	}
	return c
}
