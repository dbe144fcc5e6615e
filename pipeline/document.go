// Package pipeline holds the types every stage of sieve shares: the Document
// that flows through a run, the Step interface a stage implements, and the
// Chain that applies steps in order and counts what each one did.
//
// The design follows datatrove's pipeline steps: each step is small, sees one
// document at a time, and either keeps it (possibly changed) or drops it with
// a reason. Counting is done by the Chain, so a step cannot forget to count.
//
// A Batch runs the same chain a batch of documents at a time, step by step
// over the batch, so that each step's code and tables stay in the CPU caches
// (sieve's runner does, after extraction); it gives Process's results, in
// the same order. Departure from datatrove, where each step is a generator
// over the whole document stream: sieve keeps the per-document chain (and
// bounded memory) and only batches a few dozen documents.
package pipeline

import (
	"time"
	"unsafe"
)

// Document is one web page (or one WET conversion record) on its way from a
// WARC file to an output shard.
type Document struct {
	// ID is deterministic: the same input gives the same id on every run and
	// under any split of the work (the WARC-Record-ID, or file name and byte
	// offset when the record has none).
	ID string
	// URL is the WARC-Target-URI, with wget's angle brackets removed.
	URL string
	// Host is the URL's host name, lower case, without port.
	Host string
	// Domain is the registered domain (eTLD+1 from the public suffix list).
	Domain string
	// Date is the WARC-Date (capture time), UTC.
	Date time.Time
	// WARCRecordID is the record's WARC-Record-ID without angle brackets.
	WARCRecordID string
	// WARCFilename is the base name of the WARC file the record came from.
	WARCFilename string
	// Title is the page's <title>, whitespace collapsed.
	Title string
	// Text is the main text: blocks separated by a blank line ("\n\n"),
	// lines inside a block by "\n".
	Text string
	// Language is an ISO 639-1 code in lower case, or "und".
	Language string
	// LanguageScore is the detector's confidence for Language, 0 to 1.
	LanguageScore float32
	// Signals holds the quality measures the steps computed, keyed by
	// signal name (for example "gopher_word_count"). Steps declare their
	// signal names up front (see SignalDeclarer) so the output schema is
	// fixed before the first document is written.
	Signals map[string]float64
	// TokenCount is the number of tokenizer tokens in Text, or -1 when no
	// step counted them.
	TokenCount int64

	// Analysis caches a text analysis (word segmentation, line splits) that
	// several steps share, so the text is tokenised once per document. The
	// filter package owns its concrete type. A step that changes Text must
	// set Analysis to nil (or call ReleaseAnalysis).
	Analysis any

	// HTML is the raw, undecoded HTTP payload of an HTML response (after
	// transfer and content decoding). The extract step turns it into
	// Title and Text and then releases it. Not written to shards.
	HTML []byte
	// ContentType is the HTTP Content-Type header of the payload, used by
	// charset detection. Not written to shards.
	ContentType string
	// SourceOffset is the byte offset of the record in its (compressed)
	// file. Not written to shards; used for ordering and error reports.
	SourceOffset int64

	// Extra holds the input dataset's columns that no field above maps,
	// carried through to the output unchanged. Readers of tables (JSONL,
	// Parquet, Arrow) set it to a *shard.ExtraRow; steps leave it alone.
	Extra any

	// validText is the Text a step proved valid UTF-8 (MarkTextValid), so
	// the shard writer need not check it again.
	validText string
}

// MarkTextValid records that Text, as it is now, is valid UTF-8 (the
// extractor's output always is: FuzzExtract holds it to that). The mark
// goes with that string only: TextKnownValid compares by identity, so a
// step that sets another Text needs to do nothing.
func (d *Document) MarkTextValid() { d.validText = d.Text }

// TextKnownValid reports that Text was marked valid UTF-8 as it is.
func (d *Document) TextKnownValid() bool {
	return len(d.Text) == len(d.validText) && unsafe.StringData(d.Text) == unsafe.StringData(d.validText)
}

// SetSignal records a quality signal, allocating the map on first use.
func (d *Document) SetSignal(name string, v float64) {
	if d.Signals == nil {
		d.Signals = make(map[string]float64, 64) // the fineweb pipeline records ~45 signals
	}
	d.Signals[name] = v
}

// AnalysisReleaser is implemented by a cached Analysis that can hand its
// memory back for reuse by the next document (a per-document analysis
// holds tens of KB of slices; reusing them saves the allocation and the
// garbage collection of each).
type AnalysisReleaser interface {
	Release()
}

// ReleaseAnalysis ends d's use of its cached analysis: it sets Analysis to
// nil and, when the analysis is an AnalysisReleaser, releases it. Nothing
// may read that analysis afterwards. Chain.Process calls it when d leaves
// the chain (kept or dropped): the steps are then done with d, and the
// writers do not read the analysis. Documents copied by value share the
// analysis: only one of them may release it.
func (d *Document) ReleaseAnalysis() {
	if r, ok := d.Analysis.(AnalysisReleaser); ok {
		r.Release()
	}
	d.Analysis = nil
}
