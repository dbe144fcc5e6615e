package runner

import (
	"github.com/sieve-data/sieve/filter"
	"github.com/sieve-data/sieve/ingest/extract"
	"github.com/sieve-data/sieve/langid"
	"github.com/sieve-data/sieve/tokens"
)

// registry maps the step types a pipeline definition may name to their
// constructors. Each package owns its config struct and defaults; `dedup`
// is handled by Build itself because it runs as a post-pass.
var registry = map[string]factory{
	"extract":           stepFactory(extract.DefaultStepConfig, extract.NewStep),
	"langid":            stepFactory(langid.DefaultConfig, langid.NewStep),
	"language_filter":   stepFactory(langid.DefaultFilterConfig, langid.NewFilter),
	"url_filter":        stepFactory(filter.DefaultURLFilterConfig, filter.NewURLFilter),
	"gopher_repetition": stepFactory(filter.DefaultGopherRepetitionConfig, filter.NewGopherRepetition),
	"gopher_quality":    stepFactory(filter.DefaultGopherQualityConfig, filter.NewGopherQuality),
	"c4_quality":        stepFactory(filter.DefaultC4QualityConfig, filter.NewC4Quality),
	"c4_badwords":       stepFactory(filter.DefaultC4BadWordsConfig, filter.NewC4BadWords),
	"fineweb_quality":   stepFactory(filter.DefaultFineWebQualityConfig, filter.NewFineWebQuality),
	"pii":               stepFactory(filter.DefaultPIIConfig, filter.NewPII),
	"length":            stepFactory(filter.DefaultLengthConfig, filter.NewLength),
	"tokens":            stepFactory(tokens.DefaultConfig, tokens.NewStep),

	"fasttext_classifier": stepFactory(filter.DefaultFastTextClassifierConfig, filter.NewFastTextClassifier),
}
