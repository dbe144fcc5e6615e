package extract

import (
	"errors"
	"fmt"

	"github.com/sieve-data/sieve/pipeline"
)

// StepConfig configures the extract step (the `extract:` entry of a pipeline
// definition): the Options, read with their yaml names, and two optional
// decisions on the extraction signals (off by default, so that extraction
// itself drops only pages without text).
type StepConfig struct {
	Options `yaml:",inline"`
	// MinTextShare drops a page whose kept text is less than this share of
	// all its text (SignalTextShare; 0 turns the rule off): a page that is
	// mostly chrome around a line or two.
	MinTextShare float64 `yaml:"min_text_share"`
	// MaxLinkDensity drops a page whose kept text is more than this share
	// link text (SignalLinkDensity; 0 turns the rule off).
	MaxKeptLinkDensity float64 `yaml:"max_kept_link_density"`
}

// DefaultStepConfig returns the configuration with every default filled in.
func DefaultStepConfig() StepConfig { return StepConfig{Options: DefaultOptions()} }

// The extraction signals, stored in quality_signals for every document the
// step keeps so `sieve refilter` can judge them later.
const (
	// SignalTextShare is the share of the page's visible text (weighted
	// characters of all blocks) that was kept as main text.
	SignalTextShare = "extract_text_share"
	// SignalLinkDensity is the share of the kept text inside links.
	SignalLinkDensity = "extract_link_density"
	// SignalBlocks is the number of blocks (paragraphs, items, cells)
	// kept.
	SignalBlocks = "extract_blocks"
)

// Step is the pipeline step "extract": it turns Document.HTML into Title and
// Text. It is safe for concurrent use (it holds only its options).
type Step struct {
	opts                         Options
	minTextShare, maxLinkDensity float64
}

// NewStep validates cfg and builds the step.
func NewStep(cfg StepConfig) (*Step, error) {
	if cfg.MaxHTMLBytes < 0 || cfg.MaxNodes < 0 || cfg.MaxDepth < 0 || cfg.ShortBlockChars < 0 || cfg.LongBlockChars < 0 {
		return nil, fmt.Errorf("extract: limits must not be negative: %+v", cfg)
	}
	if cfg.MaxLinkDensity < 0 || cfg.MaxLinkDensity > 1 {
		return nil, fmt.Errorf("extract: max_link_density %v is not within [0, 1]", cfg.MaxLinkDensity)
	}
	if cfg.MinTextShare < 0 || cfg.MinTextShare > 1 || cfg.MaxKeptLinkDensity < 0 || cfg.MaxKeptLinkDensity > 1 {
		return nil, fmt.Errorf("extract: min_text_share %v and max_kept_link_density %v must be within [0, 1]", cfg.MinTextShare, cfg.MaxKeptLinkDensity)
	}
	o := cfg.withDefaults()
	if o.ShortBlockChars > o.LongBlockChars {
		return nil, fmt.Errorf("extract: short_block_chars %d exceeds long_block_chars %d", o.ShortBlockChars, o.LongBlockChars)
	}
	return &Step{opts: o, minTextShare: cfg.MinTextShare, maxLinkDensity: cfg.MaxKeptLinkDensity}, nil
}

// SignalNames implements pipeline.SignalDeclarer.
func (s *Step) SignalNames() []string {
	return []string{SignalTextShare, SignalLinkDensity, SignalBlocks}
}

// Decide judges a page by its extraction signals (drop reasons
// "extract_low_text_share", "extract_link_heavy"); it is what Process
// applies and what `sieve refilter` replays.
func (s *Step) Decide(signals map[string]float64, _ string) pipeline.Outcome {
	if s.minTextShare > 0 {
		if v, ok := signals[SignalTextShare]; ok && v < s.minTextShare {
			return pipeline.DropFor("extract_low_text_share")
		}
	}
	if s.maxLinkDensity > 0 {
		if v, ok := signals[SignalLinkDensity]; ok && v > s.maxLinkDensity {
			return pipeline.DropFor("extract_link_heavy")
		}
	}
	return pipeline.Keep
}

// Name implements pipeline.Step.
func (s *Step) Name() string { return "extract" }

// ReadsHTML implements pipeline.HTMLReader: the step reads Document.HTML
// (and releases it).
func (s *Step) ReadsHTML() bool { return true }

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
	d.MarkTextValid() // Extract's text is valid UTF-8
	if res.Charset != "" {
		m.Add("charset_"+res.Charset, 1)
	}
	if res.Truncated {
		m.Add("truncated", 1)
	}
	if d.Text == "" {
		return pipeline.DropFor("no_text")
	}
	d.SetSignal(SignalTextShare, res.TextShare)
	d.SetSignal(SignalLinkDensity, res.LinkDensity)
	d.SetSignal(SignalBlocks, float64(res.Blocks))
	return s.Decide(d.Signals, "")
}
