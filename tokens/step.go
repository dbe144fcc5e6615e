package tokens

import "github.com/sieve-data/sieve/pipeline"

// Config configures the "tokens" step.
type Config struct {
	// Encoding is the tokenizer's encoding; only cl100k_base is supported.
	Encoding string `yaml:"encoding" json:"encoding"`
}

// DefaultConfig returns the step's defaults.
func DefaultConfig() Config { return Config{Encoding: Cl100kBase} }

// Step is the pipeline step "tokens": it sets Document.TokenCount. It
// never drops a document.
type Step struct {
	counter *Counter
}

// NewStep builds the step.
func NewStep(cfg Config) (*Step, error) {
	c, err := NewCounter(cfg.Encoding)
	if err != nil {
		return nil, err
	}
	return &Step{counter: c}, nil
}

// Name implements pipeline.Step.
func (s *Step) Name() string { return "tokens" }

// Process implements pipeline.Step.
func (s *Step) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	d.TokenCount = int64(s.counter.Count(d.Text))
	m.Add("tokens", d.TokenCount)
	return pipeline.Keep
}
