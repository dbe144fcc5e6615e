package runner

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sieve-data/sieve/pipelines"
)

// Config is a pipeline definition as written in pipelines/*.yaml:
//
//	name: fineweb
//	reader: {max_payload_bytes: 10485760}
//	steps:
//	  - extract: {}
//	  - gopher_quality: {min_doc_words: 50}
//	writer: {format: stream, compression: zstd}
//
// Each step is a one-key map: the key names the step type, the value holds
// its parameters (omitted parameters keep the step's documented defaults).
type Config struct {
	Name        string       `yaml:"name"`
	Description string       `yaml:"description"`
	Reader      ReaderConfig `yaml:"reader"`
	Steps       []StepSpec   `yaml:"steps"`
	Writer      WriterConfig `yaml:"writer"`
}

// ReaderConfig configures WARC reading.
type ReaderConfig struct {
	// MaxPayloadBytes: larger HTTP payloads are skipped and counted.
	MaxPayloadBytes int64 `yaml:"max_payload_bytes"`
}

// WriterConfig configures the Arrow shards.
type WriterConfig struct {
	Format        string `yaml:"format"`      // stream (default) or file
	Compression   string `yaml:"compression"` // "" or zstd
	MaxShardBytes int64  `yaml:"max_shard_bytes"`
	// Removed writes dropped documents to OUT/removed/ with the step and
	// reason that dropped them.
	Removed bool `yaml:"removed"`
}

// StepSpec is one entry of Config.Steps.
type StepSpec struct {
	Type   string
	Params yaml.Node
}

// UnmarshalYAML reads the one-key-map form `- type: {params}`.
func (s *StepSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode { // `- extract` with no parameters
		s.Type = n.Value
		return nil
	}
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return fmt.Errorf("line %d: a step is a one-key map, `- step_type: {parameters}`", n.Line)
	}
	s.Type = n.Content[0].Value
	s.Params = *n.Content[1]
	return nil
}

// MarshalYAML writes the one-key-map form back.
func (s StepSpec) MarshalYAML() (any, error) {
	params := s.Params
	if params.Kind == 0 {
		params = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	return map[string]*yaml.Node{s.Type: &params}, nil
}

// ParseConfig parses a pipeline definition, rejecting unknown keys.
func ParseConfig(data []byte) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("pipeline definition: %w", err)
	}
	if len(c.Steps) == 0 {
		return nil, fmt.Errorf("pipeline definition %q has no steps", c.Name)
	}
	return &c, nil
}

// LoadConfig resolves --pipeline: a shipped pipeline name, or a YAML file.
func LoadConfig(nameOrPath string) (*Config, error) {
	if nameOrPath == "" {
		nameOrPath = pipelines.Default
	}
	var data []byte
	var err error
	if strings.HasSuffix(nameOrPath, ".yaml") || strings.HasSuffix(nameOrPath, ".yml") || strings.ContainsRune(nameOrPath, os.PathSeparator) {
		data, err = os.ReadFile(nameOrPath)
	} else {
		data, err = pipelines.Get(nameOrPath)
	}
	if err != nil {
		return nil, err
	}
	c, err := ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", nameOrPath, err)
	}
	if c.Name == "" {
		c.Name = nameOrPath
	}
	return c, nil
}

// decodeParams decodes a step's parameters into cfg (which holds the
// defaults), rejecting keys the step does not know.
func decodeParams(n *yaml.Node, cfg any) error {
	if n == nil || n.Kind == 0 {
		return nil
	}
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!null" || n.Value == "") {
		return nil
	}
	raw, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	return dec.Decode(cfg)
}
