package pipeline

// Outcome is what a step decided about one document.
type Outcome struct {
	// Drop removes the document from the output.
	Drop bool
	// Reason says why it was dropped, as a short snake_case word that ends
	// up in stats and reports (for example "gopher_short_document").
	Reason string
}

// Keep is the outcome of a step that lets a document through.
var Keep = Outcome{}

// DropFor returns a drop outcome with the given reason.
func DropFor(reason string) Outcome { return Outcome{Drop: true, Reason: reason} }

// Step is one stage of a pipeline. Process may change the document (a
// formatter), drop it (a filter), or only annotate it (langid, signals).
//
// Process is called from several worker goroutines at once: a step must be
// safe for concurrent use. Per-worker counting goes through Metrics, which is
// never shared between goroutines.
type Step interface {
	Name() string
	Process(d *Document, m *Metrics) Outcome
}

// SignalDeclarer is implemented by steps that write quality signals. The
// names are used to build a fixed output schema before the run starts.
type SignalDeclarer interface {
	SignalNames() []string
}

// Closer is implemented by steps that hold resources or need to flush
// state when the run ends (for example a dedup index).
type Closer interface {
	Close() error
}

// HTMLReader is implemented by steps that read Document.HTML (the
// extractor). A Batch runs each document through every step up to the
// last such step as soon as it is read, since a reader may lend the HTML
// only until its next read, and through the rest a batch at a time.
type HTMLReader interface {
	ReadsHTML() bool
}
