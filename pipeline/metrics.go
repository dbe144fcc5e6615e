package pipeline

import "sort"

// Metrics are the counters of one step. The Chain owns one Metrics per step
// per worker, so counting needs no locks; Merge combines them at the end.
type Metrics struct {
	In      int64            `json:"in"`
	Out     int64            `json:"out"`
	Dropped map[string]int64 `json:"dropped,omitempty"`
	// Counts are step-specific counters, such as "emails_masked".
	Counts map[string]int64 `json:"counts,omitempty"`
	// Nanos is the time spent inside Process, for per-stage throughput.
	Nanos int64 `json:"nanos"`
	// Bytes is the text size in bytes seen by the step (input side).
	Bytes int64 `json:"bytes"`
}

// Add increments a step-specific counter.
func (m *Metrics) Add(name string, n int64) {
	if m.Counts == nil {
		m.Counts = make(map[string]int64)
	}
	m.Counts[name] += n
}

func (m *Metrics) drop(reason string) {
	if m.Dropped == nil {
		m.Dropped = make(map[string]int64)
	}
	m.Dropped[reason]++
}

// Merge adds o's counters into m.
func (m *Metrics) Merge(o *Metrics) {
	m.In += o.In
	m.Out += o.Out
	m.Nanos += o.Nanos
	m.Bytes += o.Bytes
	for k, v := range o.Dropped {
		if m.Dropped == nil {
			m.Dropped = make(map[string]int64)
		}
		m.Dropped[k] += v
	}
	for k, v := range o.Counts {
		m.Add(k, v)
	}
}

// DropReasons returns the drop reasons sorted by name.
func (m *Metrics) DropReasons() []string {
	keys := make([]string, 0, len(m.Dropped))
	for k := range m.Dropped {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
