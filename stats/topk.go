package stats

import (
	"encoding/json"
	"sort"
)

// TopK counts documents and characters per key (a registered domain, a TLD)
// in bounded memory with the space-saving algorithm (Metwally, Agrawal and
// El Abbadi, 2005): K counters; a new key, when all are taken, replaces the
// key with the smallest count and inherits that count as its error.
//
// Guarantees, stated in the report: a listed key's true document count is
// between Docs-Err and Docs; a key not listed has at most Bound documents.
// While fewer than K distinct keys were seen every count is exact (Bound 0).
// Merging two summaries (Agarwal et al. 2012, "Mergeable summaries") adds
// counts, charging a key missing from one side that side's bound, and keeps
// the K largest, so the guarantees hold for the merged stream.
type TopK struct {
	k     int
	bound int64 // upper bound on the docs of any key not tracked
	total int64 // exact number of documents observed
	index map[string]int
	heap  []*TopKEntry // min-heap on Docs
}

// TopKEntry is one tracked key.
type TopKEntry struct {
	Key   string `json:"key"`
	Docs  int64  `json:"docs"`
	Err   int64  `json:"err,omitempty"`
	Chars int64  `json:"chars"` // characters counted while tracked (a lower bound when Err > 0)
}

func newTopK(k int) *TopK {
	return &TopK{k: k, index: make(map[string]int)}
}

// Add counts one document of chars characters for key.
func (t *TopK) Add(key string, chars int64) {
	t.total++
	if i, ok := t.index[key]; ok {
		e := t.heap[i]
		e.Docs++
		e.Chars += chars
		t.down(i)
		return
	}
	if len(t.heap) < t.k {
		t.push(&TopKEntry{Key: key, Docs: t.bound + 1, Err: t.bound, Chars: chars})
		return
	}
	// Replace the minimum.
	e := t.heap[0]
	delete(t.index, e.Key)
	min := e.Docs
	if min > t.bound {
		t.bound = min
	}
	*e = TopKEntry{Key: key, Docs: min + 1, Err: min, Chars: chars}
	t.index[key] = 0
	t.down(0)
}

// Merge combines o into t.
func (t *TopK) Merge(o *TopK) {
	if o == nil {
		return
	}
	merged := make(map[string]*TopKEntry, len(t.heap)+len(o.heap))
	for _, e := range t.heap {
		c := *e
		c.Docs += o.bound
		c.Err += o.bound
		merged[e.Key] = &c
	}
	for _, e := range o.heap {
		if m, ok := merged[e.Key]; ok {
			m.Docs += e.Docs - o.bound
			m.Err += e.Err - o.bound
			m.Chars += e.Chars
			continue
		}
		c := *e
		c.Docs += t.bound
		c.Err += t.bound
		merged[e.Key] = &c
	}
	all := make([]*TopKEntry, 0, len(merged))
	for _, e := range merged {
		all = append(all, e)
	}
	sortEntries(all)
	bound := t.bound + o.bound
	if len(all) > t.k {
		if d := all[t.k].Docs; d > bound {
			bound = d
		}
		all = all[:t.k]
	}
	t.total += o.total
	t.bound = bound
	t.rebuild(all)
}

// Entries returns the tracked keys, most documents first (ties by key).
func (t *TopK) Entries() []TopKEntry {
	out := make([]TopKEntry, len(t.heap))
	for i, e := range t.heap {
		out[i] = *e
	}
	sort.Slice(out, func(i, j int) bool { return less(&out[i], &out[j]) })
	return out
}

// Bound is the most documents any key not in Entries can have.
func (t *TopK) Bound() int64 { return t.bound }

// Total is the exact number of documents counted.
func (t *TopK) Total() int64 { return t.total }

// Exact reports whether every count is exact.
func (t *TopK) Exact() bool {
	if t.bound != 0 {
		return false
	}
	for _, e := range t.heap {
		if e.Err != 0 {
			return false
		}
	}
	return true
}

func less(a, b *TopKEntry) bool {
	if a.Docs != b.Docs {
		return a.Docs > b.Docs
	}
	return a.Key < b.Key
}

func sortEntries(es []*TopKEntry) { sort.Slice(es, func(i, j int) bool { return less(es[i], es[j]) }) }

func (t *TopK) rebuild(es []*TopKEntry) {
	t.heap = t.heap[:0]
	clear(t.index)
	for _, e := range es {
		t.push(e)
	}
}

func (t *TopK) push(e *TopKEntry) {
	t.heap = append(t.heap, e)
	i := len(t.heap) - 1
	t.index[e.Key] = i
	t.up(i)
}

// heapLess orders the min-heap: fewest docs at the root; on ties the key
// that sorts last, so eviction does not depend on arrival order.
func (t *TopK) heapLess(i, j int) bool {
	a, b := t.heap[i], t.heap[j]
	if a.Docs != b.Docs {
		return a.Docs < b.Docs
	}
	return a.Key > b.Key
}

func (t *TopK) swap(i, j int) {
	t.heap[i], t.heap[j] = t.heap[j], t.heap[i]
	t.index[t.heap[i].Key] = i
	t.index[t.heap[j].Key] = j
}

func (t *TopK) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !t.heapLess(i, p) {
			return
		}
		t.swap(i, p)
		i = p
	}
}

func (t *TopK) down(i int) {
	for {
		c := 2*i + 1
		if c >= len(t.heap) {
			return
		}
		if r := c + 1; r < len(t.heap) && t.heapLess(r, c) {
			c = r
		}
		if !t.heapLess(c, i) {
			return
		}
		t.swap(i, c)
		i = c
	}
}

type topKJSON struct {
	K       int         `json:"k"`
	Bound   int64       `json:"bound"`
	Total   int64       `json:"total"`
	Entries []TopKEntry `json:"entries"`
}

// MarshalJSON writes the entries in report order.
func (t *TopK) MarshalJSON() ([]byte, error) {
	return json.Marshal(topKJSON{K: t.k, Bound: t.bound, Total: t.total, Entries: t.Entries()})
}

// UnmarshalJSON restores a summary written by MarshalJSON.
func (t *TopK) UnmarshalJSON(b []byte) error {
	var j topKJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	if j.K <= 0 {
		j.K = DefaultConfig().TopKDomains
	}
	*t = TopK{k: j.K, bound: j.Bound, total: j.Total, index: make(map[string]int, len(j.Entries))}
	es := make([]*TopKEntry, 0, len(j.Entries))
	for i := range j.Entries {
		if i >= j.K {
			break
		}
		e := j.Entries[i]
		if _, dup := t.index[e.Key]; dup {
			continue
		}
		t.index[e.Key] = -1
		es = append(es, &e)
	}
	t.rebuild(es)
	return nil
}
