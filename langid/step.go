package langid

import "github.com/sieve-data/sieve/pipeline"

// SignalRunnerUpScore is the quality signal holding the runner-up
// language's confidence (0 when there is none). The runner-up's code is
// not stored: signals are numbers, and a code index would silently change
// meaning with the language list.
const SignalRunnerUpScore = "langid_runner_up_score"

// Step is the pipeline step "langid": it sets Document.Language and
// Document.LanguageScore from the document's text.
type Step struct {
	det *Detector
}

// NewStep builds the step and its detector (loading the models once per
// process).
func NewStep(cfg Config) (*Step, error) {
	d, err := NewDetector(cfg)
	if err != nil {
		return nil, err
	}
	return &Step{det: d}, nil
}

// Name implements pipeline.Step.
func (s *Step) Name() string { return "langid" }

// SignalNames implements pipeline.SignalDeclarer.
func (s *Step) SignalNames() []string { return []string{SignalRunnerUpScore} }

// Detector returns the step's detector.
func (s *Step) Detector() *Detector { return s.det }

// Process implements pipeline.Step. It never drops a document.
func (s *Step) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	lang, score, _, runnerUpScore := s.det.Detect(d.Text)
	d.Language, d.LanguageScore = lang, score
	d.SetSignal(SignalRunnerUpScore, float64(runnerUpScore))
	if lang == Undetermined {
		m.Add("undetermined", 1)
	}
	return pipeline.Keep
}
