package extract

import (
	"errors"
	"fmt"

	"github.com/sieve-data/sieve/pipeline"
)

// StepConfig configures the extract step (the `extract:` entry of a pipeline
// definition): the Options themselves, read with their yaml names.
type StepConfig = Options

// DefaultStepConfig returns the configuration with every default filled in.
func DefaultStepConfig() StepConfig { return DefaultOptions() }

// Step is the pipeline step "extract": it turns Document.HTML into Title and
// Text. It is safe for concurrent use (it holds only its options).
type Step struct {
	opts Options
}

// NewStep validates cfg and builds the step.
func NewStep(cfg StepConfig) (*Step, error) {
	if cfg.MaxHTMLBytes < 0 || cfg.MaxNodes < 0 || cfg.MaxDepth < 0 || cfg.ShortBlockChars < 0 || cfg.LongBlockChars < 0 {
		return nil, fmt.Errorf("extract: limits must not be negative: %+v", cfg)
	}
	if cfg.MaxLinkDensity < 0 || cfg.MaxLinkDensity > 1 {
		return nil, fmt.Errorf("extract: max_link_density %v is not within [0, 1]", cfg.MaxLinkDensity)
	}
	o := cfg.withDefaults()
	if o.ShortBlockChars > o.LongBlockChars {
		return nil, fmt.Errorf("extract: short_block_chars %d exceeds long_block_chars %d", o.ShortBlockChars, o.LongBlockChars)
	}
	return &Step{opts: o}, nil
}

// Name implements pipeline.Step.
func (s *Step) Name() string { return "extract" }

// Process implements pipeline.Step. Documents that already carry text and
// no HTML (WET conversion records) pass untouched. Drop reasons: "no_text",
// "binary" (the payload is not text), "decode_error". Counters: "truncated"
// (a bound cut the page) and "charset_<name>" per decoded charset.
func (s *Step) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	if d.HTML == nil {
		if d.Text == "" {
			return pipeline.DropFor("no_text")
		}
		return pipeline.Keep
	}
	res, err := Extract(d.HTML, d.ContentType, s.opts)
	d.HTML = nil
	d.Analysis = nil
	if errors.Is(err, ErrBinary) {
		d.Text = ""
		return pipeline.DropFor("binary")
	}
	if err != nil {
		d.Text = ""
		return pipeline.DropFor("decode_error")
	}
	d.Title = res.Title
	d.Text = res.Text
	if res.Charset != "" {
		m.Add("charset_"+res.Charset, 1)
	}
	if res.Truncated {
		m.Add("truncated", 1)
	}
	if d.Text == "" {
		return pipeline.DropFor("no_text")
	}
	return pipeline.Keep
}
