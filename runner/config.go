package runner

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sieve-data/sieve/ingest"
	"github.com/sieve-data/sieve/pipelines"
	"github.com/sieve-data/sieve/shard"
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

// ReaderConfig configures the reader of the input files. Type is warc or
// wet (crawl files), jsonl, parquet or arrow (datasets of text); empty, it
// is chosen per file by extension (.parquet, .jsonl[.gz|.zst], .arrow;
// anything else is a crawl file). Fields maps document fields to a
// dataset's columns or JSON keys, `{text: content, id: doc_id}`, for the
// ones not named as sieve names them (text, id, url, date, title,
// language, ...); every other column is carried through to the output.
type ReaderConfig struct {
	Type   string            `yaml:"type"`
	Fields map[string]string `yaml:"fields"`
	// MaxPayloadBytes: larger HTTP payloads are skipped and counted.
	MaxPayloadBytes int64 `yaml:"max_payload_bytes"`
}

// WriterConfig configures the output shards. Format is arrow (the IPC
// stream format, the default; also spelled stream), arrow_file (also
// file), parquet or jsonl; Compression is the format's (arrow: none or
// zstd; parquet: zstd (default), snappy, gzip or none; jsonl: gzip
// (default), zstd or none). Arrow stays the stage format inside a run: the
// chosen format is written from it, after dedup when the pipeline has one.
type WriterConfig struct {
	Format        string `yaml:"format"`
	Compression   string `yaml:"compression"`
	MaxShardBytes int64  `yaml:"max_shard_bytes"`
	// RowGroupBytes bounds a Parquet row group (default 128 MiB of Arrow
	// data), and with it the writer's memory.
	RowGroupBytes int64 `yaml:"row_group_bytes"`
	// Removed writes dropped documents to OUT/removed/ with the step and
	// reason that dropped them.
	Removed bool `yaml:"removed"`
}

// StepSpec is one entry of Config.Steps. Its key is the step's id, `type`
// or `type/name` as OpenTelemetry Collector component IDs are: the name
// tells apart two steps of one type (`length/short`, `length/long`) in
// stats.json, the report's drop counts and the removed shards' drop_step.
type StepSpec struct {
	Type   string
	Name   string // optional instance name after the slash
	Params yaml.Node
}

// ID is the step instance's id: Type, or Type/Name.
func (s StepSpec) ID() string {
	if s.Name == "" {
		return s.Type
	}
	return s.Type + "/" + s.Name
}

// setID splits a `type[/name]` key.
func (s *StepSpec) setID(key string, line int) error {
	typ, name, named := strings.Cut(key, "/")
	if typ == "" || (named && name == "") || strings.Contains(name, "/") {
		return fmt.Errorf("line %d: step id %q is not `type` or `type/name`", line, key)
	}
	s.Type, s.Name = typ, name
	return nil
}

// UnmarshalYAML reads the one-key-map form `- type: {params}`.
func (s *StepSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode { // `- extract` with no parameters
		return s.setID(n.Value, n.Line)
	}
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return fmt.Errorf("line %d: a step is a one-key map, `- step_type: {parameters}`", n.Line)
	}
	s.Params = *n.Content[1]
	return s.setID(n.Content[0].Value, n.Line)
}

// MarshalYAML writes the one-key-map form back.
func (s StepSpec) MarshalYAML() (any, error) {
	params := s.Params
	if params.Kind == 0 {
		params = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	return map[string]*yaml.Node{s.ID(): &params}, nil
}

// ParseConfig parses a pipeline definition, rejecting unknown keys.
func ParseConfig(data []byte) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("pipeline definition: %w", err)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("pipeline definition %q: %w", c.Name, err)
	}
	return &c, nil
}

// validate checks what can be checked without building the steps: step
// ids unique, dedup last, a known writer format and compression.
func (c *Config) validate() error {
	if len(c.Steps) == 0 {
		return errors.New("no steps")
	}
	if _, _, err := c.Writer.format(); err != nil {
		return fmt.Errorf("writer: %w", err)
	}
	if t := c.Reader.Type; t != "" && !slices.Contains(ingest.Types(), t) {
		return fmt.Errorf("reader: unknown type %q (known: %v)", t, ingest.Types())
	}
	if err := ingest.CheckFields(c.Reader.Fields); err != nil {
		return err
	}
	if ingest.IsTable(c.Reader.Type) && c.hasStep("extract") {
		return fmt.Errorf("reader %s gives text, not HTML: remove the extract step (it needs a warc or wet reader)", c.Reader.Type)
	}
	ids := map[string]int{}
	dedups := 0
	for i, spec := range c.Steps {
		if j, dup := ids[spec.ID()]; dup {
			return fmt.Errorf("step %d: id %q is used by step %d too; name the instances apart (`%s/a`, `%s/b`)",
				i+1, spec.ID(), j, spec.Type, spec.Type)
		}
		ids[spec.ID()] = i + 1
		if spec.Type != "dedup" {
			continue
		}
		if dedups++; dedups > 1 {
			return fmt.Errorf("step %d: only one dedup step is allowed", i+1)
		}
		if i != len(c.Steps)-1 {
			return fmt.Errorf("step %d: dedup must be the last step (it runs as a pass over all the run's shards after every other step); move it after %q",
				i+1, c.Steps[len(c.Steps)-1].ID())
		}
	}
	return nil
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

// format returns the writer's format and compression, normalised.
func (w WriterConfig) format() (shard.Format, string, error) {
	f, err := shard.ParseFormat(w.Format)
	if err != nil {
		return "", "", err
	}
	c, err := shard.ParseCompression(f, w.Compression)
	if err != nil {
		return "", "", err
	}
	return f, c, nil
}

// hasStep reports whether the definition has a step of type typ.
func (c *Config) hasStep(typ string) bool {
	for _, s := range c.Steps {
		if s.Type == typ {
			return true
		}
	}
	return false
}
