package runner

import (
	"errors"
	"fmt"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/sieve-data/sieve/dedup"
	"github.com/sieve-data/sieve/pipeline"
)

// Plan is a pipeline definition turned into live steps.
type Plan struct {
	Steps []pipeline.Step
	// StepNames are the steps' instance ids (`type` or `type/name`), unique
	// in a plan: the keys of stats.json's step rows, drops and drop_step.
	StepNames   []string
	SignalNames []string // sorted union of the steps' declared signals
	// Dedup is set when the definition has a dedup step. Dedup runs as a
	// post-pass over the run's shards in a canonical order (shards by name,
	// rows in order), so which copy survives does not depend on how files
	// were scheduled over workers; it therefore runs after all other steps,
	// and a definition must list it last.
	Dedup *dedup.Config
}

// Build instantiates the steps of c.
func Build(c *Config) (*Plan, error) {
	p := &Plan{}
	sigs := map[string]bool{}
	if err := c.validate(); err != nil {
		return nil, err
	}
	for i, spec := range c.Steps {
		if spec.Type == "dedup" {
			cfg := dedup.DefaultConfig()
			if err := decodeParams(&spec.Params, &cfg); err != nil {
				p.Close()
				return nil, fmt.Errorf("step %d (dedup): %w", i+1, err)
			}
			p.Dedup = &cfg
			continue
		}
		f, ok := registry[spec.Type]
		if !ok {
			p.Close()
			return nil, fmt.Errorf("step %d: unknown step type %q (known: %v)", i+1, spec.Type, StepTypes())
		}
		s, err := f(&spec.Params)
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("step %d (%s): %w", i+1, spec.ID(), err)
		}
		p.Steps = append(p.Steps, s)
		p.StepNames = append(p.StepNames, spec.ID())
		if d, ok := s.(pipeline.SignalDeclarer); ok {
			for _, n := range d.SignalNames() {
				sigs[n] = true
			}
		}
	}
	for n := range sigs {
		p.SignalNames = append(p.SignalNames, n)
	}
	sort.Strings(p.SignalNames)
	return p, nil
}

// Close releases the steps' resources.
func (p *Plan) Close() error {
	var errs []error
	for _, s := range p.Steps {
		if c, ok := s.(pipeline.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

// factory builds a step from its YAML parameters.
type factory func(params *yaml.Node) (pipeline.Step, error)

// stepFactory adapts a package's config defaults and constructor to a
// factory: parameters absent from YAML keep the package's defaults.
func stepFactory[C any, S pipeline.Step](defaults func() C, build func(C) (S, error)) factory {
	return func(params *yaml.Node) (pipeline.Step, error) {
		cfg := defaults()
		if err := decodeParams(params, &cfg); err != nil {
			return nil, err
		}
		return build(cfg)
	}
}

// StepTypes lists the step types a pipeline definition may use.
func StepTypes() []string {
	names := []string{"dedup"}
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
