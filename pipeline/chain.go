package pipeline

import "time"

// Chain applies steps in order. A Chain value belongs to one worker
// goroutine; the steps themselves are shared.
type Chain struct {
	Steps   []Step
	Metrics []Metrics
	// IDs, when set, name the step instances (IDs[i] for Steps[i]) in
	// OnDrop: a pipeline may hold two steps of one type ("length/short",
	// "length/long", as OpenTelemetry Collector component IDs are
	// type[/name]). Without IDs a step is named by its Name().
	IDs []string
	// OnDrop, when set, is called with every dropped document and the id of
	// the step that dropped it (used to write removed/ shards for auditing).
	OnDrop func(step string, reason string, d *Document)
}

// NewChain returns a chain over steps with zeroed counters.
func NewChain(steps []Step) *Chain {
	return &Chain{Steps: steps, Metrics: make([]Metrics, len(steps))}
}

// Process runs d through every step. It returns false when a step dropped d.
// On return d's cached analysis is released (see Document.ReleaseAnalysis).
func (c *Chain) Process(d *Document) bool {
	defer d.ReleaseAnalysis()
	for i := range c.Steps {
		if o := c.step(i, d); o.Drop {
			if c.OnDrop != nil {
				c.OnDrop(c.id(i), o.Reason, d)
			}
			return false
		}
	}
	return true
}

// step runs step i on d, counts it and times it.
func (c *Chain) step(i int, d *Document) Outcome {
	start := time.Now()
	o := c.apply(i, d)
	c.Metrics[i].Nanos += int64(time.Since(start))
	return o
}

// apply runs step i on d and counts it (a Batch times a step over the
// whole batch).
func (c *Chain) apply(i int, d *Document) Outcome {
	m := &c.Metrics[i]
	m.In++
	m.Bytes += int64(len(d.Text)) + int64(len(d.HTML))
	o := c.Steps[i].Process(d, m)
	if o.Drop {
		m.drop(o.Reason)
	} else {
		m.Out++
	}
	return o
}

// id names step i for OnDrop.
func (c *Chain) id(i int) string {
	if i < len(c.IDs) && c.IDs[i] != "" {
		return c.IDs[i]
	}
	return c.Steps[i].Name()
}
