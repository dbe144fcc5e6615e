package pipeline

import "time"

// Batch runs documents through a Chain a batch at a time: each step takes
// every queued document in turn before the next step starts, so a step's
// code and tables (langid's models, the tokenizer's merge tables, the
// filters' scratch) stay in the CPU caches from one document to the next
// instead of being evicted by the other steps at every document. Langid
// alone costs ~53 µs a docs-corpus document in a loop and ~78 µs inside
// the per-document chain.
//
// The results are those of Chain.Process document by document: every step
// sees the documents in input order, a dropped document goes no further,
// the counts are the same sums, and OnDrop and the done callback of Flush
// are called in input order (the statistics keep the first examples of a
// drop reason, and the shards are written in order). Only the order in
// which different steps' work interleaves changes, which no step sees:
// steps keep no state from one document to the next but caches.
type Batch struct {
	c *Chain
	// split: steps before it run as each document is added (they read
	// HTML a reader may lend until its next read); the rest at Flush.
	split    int
	maxDocs  int
	maxBytes int
	docs     []*Document
	dropped  []int // the step that dropped docs[i], or -1
	reasons  []string
	bytes    int
}

// NewBatch returns a batch of up to maxDocs documents or maxBytes bytes of
// text (the memory it holds). maxDocs 1 is Process, one document at a
// time. Without an HTMLReader step every step runs as a document is added:
// nothing says which steps may use a lent HTML.
func (c *Chain) NewBatch(maxDocs, maxBytes int) *Batch {
	b := &Batch{c: c, split: len(c.Steps), maxDocs: max(maxDocs, 1), maxBytes: maxBytes}
	for i := len(c.Steps) - 1; i >= 0; i-- {
		if r, ok := c.Steps[i].(HTMLReader); ok && r.ReadsHTML() {
			b.split = i + 1
			break
		}
	}
	return b
}

// Add runs d through the steps that read HTML and queues it. It reports
// whether the batch is full: then the caller calls Flush.
func (b *Batch) Add(d *Document) (full bool) {
	at, reason := -1, ""
	for i := 0; i < b.split; i++ {
		if o := b.c.step(i, d); o.Drop {
			at, reason = i, o.Reason
			break
		}
	}
	d.HTML = nil // read by now; a reader may lend it only until its next read
	b.docs = append(b.docs, d)
	b.dropped = append(b.dropped, at)
	b.reasons = append(b.reasons, reason)
	b.bytes += len(d.Text)
	return len(b.docs) >= b.maxDocs || b.bytes >= b.maxBytes
}

// Flush runs the queued documents through the remaining steps, one step at
// a time over the batch; then, for each document in input order, it calls
// OnDrop for a dropped one, releases its analysis and calls done with
// whether it was kept. It stops at done's first error.
func (b *Batch) Flush(done func(d *Document, kept bool) error) error {
	c := b.c
	for i := b.split; i < len(c.Steps); i++ {
		start := time.Now()
		for k, d := range b.docs {
			if b.dropped[k] < 0 {
				if o := c.apply(i, d); o.Drop {
					b.dropped[k], b.reasons[k] = i, o.Reason
				}
			}
		}
		c.Metrics[i].Nanos += int64(time.Since(start))
	}
	var err error
	for k, d := range b.docs {
		kept := b.dropped[k] < 0
		if !kept && c.OnDrop != nil {
			c.OnDrop(c.id(b.dropped[k]), b.reasons[k], d)
		}
		d.ReleaseAnalysis()
		if err == nil {
			err = done(d, kept)
		}
		b.docs[k] = nil
	}
	b.docs, b.dropped, b.reasons, b.bytes = b.docs[:0], b.dropped[:0], b.reasons[:0], 0
	return err
}
