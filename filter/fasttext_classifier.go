package filter

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/sieve-data/sieve/langid/fasttext"
	"github.com/sieve-data/sieve/pipeline"
)

// FastTextClassifierConfig configures the "fasttext_classifier" step:
// datatrove's FastTextClassifierFilter (document mode) over any supervised
// fastText model, such as a quality (DCLM, FineWeb-Edu style), topic or
// domain classifier.
type FastTextClassifierConfig struct {
	// Model is the model file (.bin or quantized .ftz). Required.
	Model string `yaml:"model"`
	// Name prefixes the signals (<name>_<label>) and drop reasons, so
	// several classifiers can run in one pipeline. Default "fasttext".
	Name string `yaml:"name"`
	// KeepLabels keeps a document only if at least one of these labels
	// (without "__label__") scores at least its threshold.
	KeepLabels map[string]float64 `yaml:"keep_labels"`
	// RemoveLabels drops a document if any of these labels scores at
	// least its threshold. At most one of KeepLabels and RemoveLabels may
	// be set, as in datatrove; with neither the step only annotates.
	RemoveLabels map[string]float64 `yaml:"remove_labels"`
	// NewlineReplacement replaces every "\n" before prediction; datatrove's
	// default is "" (lines are joined without a space).
	NewlineReplacement string `yaml:"newline_replacement"`
	// Labels are the labels recorded as signals; empty records every label
	// of the model. Keep and remove labels are always recorded.
	Labels []string `yaml:"labels"`
}

// DefaultFastTextClassifierConfig returns datatrove's defaults (no model:
// one must be given).
func DefaultFastTextClassifierConfig() FastTextClassifierConfig {
	return FastTextClassifierConfig{Name: "fasttext"}
}

var signalNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// FastTextClassifier is the "fasttext_classifier" step: Process records
// the score of every configured label in quality_signals for every
// document, Decide judges from those signals (so `sieve refilter` replays
// it with other thresholds).
//
// Departures from datatrove, each deliberate: only document mode (the
// paragraph and sentence modes rewrite the text, which sieve leaves to
// formatters); a label fastText leaves out of its answer (hierarchical
// softmax prunes paths below probability 1e-5) is recorded as 0, where
// datatrove compares a missing label as -9e9 (the same decision for every
// threshold above 0).
type FastTextClassifier struct {
	cfg     FastTextClassifierConfig
	model   *fasttext.Model
	signals []string // by model label index; "" = not recorded
	tops    []string // counter per model label: "top_label_<label>"
	names   []string // declared, sorted
	keep    []labelThreshold
	remove  []labelThreshold
	bufs    sync.Pool
}

type labelThreshold struct {
	signal string
	min    float64
}

type classifierScratch struct {
	text  []byte
	preds []fasttext.Prediction
}

// NewFastTextClassifier loads the model and validates cfg against its
// labels.
func NewFastTextClassifier(cfg FastTextClassifierConfig) (*FastTextClassifier, error) {
	if cfg.Model == "" {
		return nil, fmt.Errorf("fasttext_classifier: model is required")
	}
	if cfg.Name == "" {
		cfg.Name = "fasttext"
	}
	if !signalNameRE.MatchString(cfg.Name) {
		return nil, fmt.Errorf("fasttext_classifier: name %q must be snake_case", cfg.Name)
	}
	if len(cfg.KeepLabels) > 0 && len(cfg.RemoveLabels) > 0 {
		return nil, fmt.Errorf("fasttext_classifier: set keep_labels or remove_labels, not both (use two steps)")
	}
	m, err := fasttext.Load(cfg.Model)
	if err != nil {
		return nil, fmt.Errorf("fasttext_classifier: %w", err)
	}
	c := &FastTextClassifier{cfg: cfg, model: m, signals: make([]string, len(m.Labels())), tops: make([]string, len(m.Labels()))}
	index := map[string]int{}
	for i, l := range m.Labels() {
		index[fasttext.TrimLabel(l)] = i
		c.tops[i] = "top_label_" + fasttext.TrimLabel(l)
	}
	record := func(label string) (string, error) {
		i, ok := index[label]
		if !ok {
			avail := make([]string, 0, len(index))
			for l := range index {
				avail = append(avail, l)
			}
			sort.Strings(avail)
			return "", fmt.Errorf("fasttext_classifier: label %q is not in model %s (labels: %s)", label, cfg.Model, strings.Join(avail, ", "))
		}
		if c.signals[i] == "" {
			c.signals[i] = cfg.Name + "_" + label
			c.names = append(c.names, c.signals[i])
		}
		return c.signals[i], nil
	}
	labels := cfg.Labels
	if len(labels) == 0 {
		for _, l := range m.Labels() {
			labels = append(labels, fasttext.TrimLabel(l))
		}
	}
	for _, l := range labels {
		if _, err := record(l); err != nil {
			return nil, err
		}
	}
	for _, set := range []struct {
		in  map[string]float64
		out *[]labelThreshold
	}{{cfg.KeepLabels, &c.keep}, {cfg.RemoveLabels, &c.remove}} {
		for l, min := range set.in {
			if !(min >= 0 && min <= 1) {
				return nil, fmt.Errorf("fasttext_classifier: threshold %v of label %q is not between 0 and 1", min, l)
			}
			sig, err := record(l)
			if err != nil {
				return nil, err
			}
			*set.out = append(*set.out, labelThreshold{sig, min})
		}
		sort.Slice(*set.out, func(i, j int) bool { return (*set.out)[i].signal < (*set.out)[j].signal })
	}
	sort.Strings(c.names)
	c.bufs.New = func() any { return new(classifierScratch) }
	return c, nil
}

// Name implements pipeline.Step.
func (c *FastTextClassifier) Name() string { return "fasttext_classifier" }

// SignalNames implements pipeline.SignalDeclarer: one signal per recorded
// label, known once the model is loaded.
func (c *FastTextClassifier) SignalNames() []string { return c.names }

// Process scores the document with every label, counts its top label
// in the step's counters, and decides.
func (c *FastTextClassifier) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	s := c.bufs.Get().(*classifierScratch)
	defer c.bufs.Put(s)
	text := strings.TrimSpace(d.Text)
	if c.cfg.NewlineReplacement != " " && strings.IndexByte(text, '\n') >= 0 {
		// fastText reads "\n" as a word separator, so " " needs no copy.
		s.text = s.text[:0]
		for {
			i := strings.IndexByte(text, '\n')
			if i < 0 {
				s.text = append(s.text, text...)
				break
			}
			s.text = append(append(s.text, text[:i]...), c.cfg.NewlineReplacement...)
			text = text[i+1:]
		}
		text = unsafe.String(unsafe.SliceData(s.text), len(s.text)) // not kept past Predict
	}
	for _, sig := range c.names {
		d.SetSignal(sig, 0)
	}
	s.preds = c.model.Predict(text, 0, 0, s.preds)
	if len(s.preds) > 0 && m != nil {
		// The step's counters (stats.json) give the corpus's mix of top
		// labels: a topic or domain model's distribution.
		m.Add(c.tops[s.preds[0].Index], 1)
	}
	for _, p := range s.preds {
		if sig := c.signals[p.Index]; sig != "" {
			d.SetSignal(sig, float64(p.Prob))
		}
	}
	return c.Decide(d.Signals, d.Language)
}

// Decide applies keep_labels or remove_labels to stored signals.
func (c *FastTextClassifier) Decide(s map[string]float64, lang string) pipeline.Outcome {
	if len(c.keep) > 0 {
		for _, k := range c.keep {
			if s[k.signal] >= k.min {
				return pipeline.Keep
			}
		}
		return pipeline.DropFor(c.cfg.Name + "_no_keep_label")
	}
	for _, r := range c.remove {
		if s[r.signal] >= r.min {
			return pipeline.DropFor(c.cfg.Name + "_remove_label")
		}
	}
	return pipeline.Keep
}
