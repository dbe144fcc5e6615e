package extract

// Options bound the work done per page and tune boilerplate removal.
type Options struct {
	// MaxHTMLBytes is how many bytes of the raw payload are examined; the
	// rest is cut off and the result marked Truncated.
	MaxHTMLBytes int
	// MaxNodes bounds the tokens (tags and text runs) processed per page, so
	// a pathological page is cut off instead of taking unbounded time.
	MaxNodes int
	// MaxDepth bounds the stack of open elements. Deeper elements are
	// treated as if they were not there (their text still counts).
	MaxDepth int
	// KeepBoilerplate turns boilerplate removal off: every visible block
	// (outside the always-dropped elements such as nav and script) is kept.
	KeepBoilerplate bool
	// MaxLinkDensity: a block whose share of characters inside links is
	// above this is a link list, not prose (jusText uses 0.2 for "bad").
	MaxLinkDensity float64
	// ShortBlockChars: blocks with less weighted text than this are "short"
	// and kept only when their neighbours are kept. jusText uses 70, but it
	// also has stopword density; without it 40 scored best on both the
	// readability and the trafilatura comparison sets.
	ShortBlockChars int
	// LongBlockChars: blocks with at least this much weighted text and few
	// links are kept wherever they are (jusText: 200).
	LongBlockChars int
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
