package extract

// Options bound the work done per page and tune boilerplate removal. They
// are also the `extract:` step's configuration in a pipeline definition
// (the yaml names below); zero values take the defaults.
type Options struct {
	// MaxHTMLBytes is how many bytes of the raw payload are examined; the
	// rest is cut off and the result marked Truncated.
	MaxHTMLBytes int `yaml:"max_html_bytes"`
	// MaxNodes bounds the tokens (tags and text runs) processed per page, so
	// a pathological page is cut off instead of taking unbounded time.
	MaxNodes int `yaml:"max_nodes"`
	// MaxDepth bounds the stack of open elements. Deeper elements are
	// treated as if they were not there (their text still counts).
	MaxDepth int `yaml:"max_depth"`
	// KeepBoilerplate turns boilerplate removal off: every visible block
	// (outside the always-dropped elements such as nav and script) is kept.
	KeepBoilerplate bool `yaml:"keep_boilerplate"`
	// MaxLinkDensity: a block whose share of characters inside links is
	// above this is a link list, not prose (jusText uses 0.2 for "bad").
	MaxLinkDensity float64 `yaml:"max_link_density"`
	// ShortBlockChars: blocks with less weighted text than this are "short"
	// and kept only when their neighbours are kept. jusText uses 70, but it
	// also has stopword density; without it 40 scored best on both the
	// readability and the trafilatura comparison sets.
	ShortBlockChars int `yaml:"short_block_chars"`
	// LongBlockChars: blocks with at least this much weighted text and few
	// links are kept wherever they are (jusText: 200).
	LongBlockChars int `yaml:"long_block_chars"`
	// Format is how the text is written: plain text (the default) or
	// Markdown (yaml: `format: text|markdown`).
	Format Format `yaml:"format"`
}

// DefaultOptions returns the bounds and thresholds sieve runs with.
func DefaultOptions() Options {
	return Options{
		MaxHTMLBytes:    4 << 20,
		MaxNodes:        1 << 20,
		MaxDepth:        512,
		MaxLinkDensity:  0.5,
		ShortBlockChars: 40,
		LongBlockChars:  200,
	}
}

// withDefaults fills zero fields with their defaults, so a partly set
// Options (for example from YAML) still works.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.MaxHTMLBytes <= 0 {
		o.MaxHTMLBytes = d.MaxHTMLBytes
	}
	if o.MaxNodes <= 0 {
		o.MaxNodes = d.MaxNodes
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = d.MaxDepth
	}
	if o.MaxLinkDensity <= 0 {
		o.MaxLinkDensity = d.MaxLinkDensity
	}
	if o.ShortBlockChars <= 0 {
		o.ShortBlockChars = d.ShortBlockChars
	}
	if o.LongBlockChars <= 0 {
		o.LongBlockChars = d.LongBlockChars
	}
	return o
}
