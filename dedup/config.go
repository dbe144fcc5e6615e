package dedup

import (
	"fmt"
	"github.com/sieve-data/sieve/shard"
	"math"
)

// Modes of deduplication.
const (
	ModeExact   = "exact"
	ModeURL     = "url"
	ModeMinHash = "minhash"
	ModeAll     = "all" // exact + minhash, and url when the shards have a url column
)

// Column names added to the output shards. Users re-weight documents by
// cluster size later, as FineWeb-2 does.
const (
	ColClusterID   = "dedup_cluster_id"   // int64: canonical position of the cluster's first document
	ColClusterSize = "dedup_cluster_size" // int32: documents in the cluster before dedup (1 = unique)
)

// MinHashConfig holds the MinHash LSH parameters. Defaults are datatrove's
// MinhashConfig: 5-grams, 14 buckets of 8 hashes, seed 1, 64-bit hashes.
type MinHashConfig struct {
	NGram int    `yaml:"n_grams" json:"n_grams"`
	Bands int    `yaml:"num_buckets" json:"num_buckets"`
	Rows  int    `yaml:"hashes_per_bucket" json:"hashes_per_bucket"`
	Seed  uint64 `yaml:"seed" json:"seed"`
}

// Permutations is the signature length, Bands × Rows.
func (c MinHashConfig) Permutations() int { return c.Bands * c.Rows }

// Threshold is the Jaccard similarity at which a pair becomes a candidate
// with probability about one half: (1/b)^(1/r). 0.72 for 14 × 8.
func (c MinHashConfig) Threshold() float64 {
	return math.Pow(1/float64(c.Bands), 1/float64(c.Rows))
}

// CandidateProbability is the chance that a pair with Jaccard j shares at
// least one band: 1 - (1 - j^r)^b.
func (c MinHashConfig) CandidateProbability(j float64) float64 {
	return 1 - math.Pow(1-math.Pow(j, float64(c.Rows)), float64(c.Bands))
}

// Config configures deduplication (the `dedup` step of a pipeline and
// `sieve dedup`).
type Config struct {
	// Mode is exact, url, minhash or all. Default minhash, as FineWeb.
	Mode    string        `yaml:"mode" json:"mode"`
	MinHash MinHashConfig `yaml:"minhash" json:"minhash"`
	// KeepColumn, when set, names a numeric column: the document with the
	// highest value survives in each cluster (ties and nulls: first seen).
	KeepColumn string `yaml:"keep_highest" json:"keep_highest,omitempty"`
	// Workers compute signatures in parallel (0 = GOMAXPROCS).
	Workers int `yaml:"workers" json:"-"`
	// Output is where and how the surviving rows are written; set by the
	// caller, not by a pipeline definition (the pipeline's writer decides).
	Output Output `yaml:"-" json:"-"`
}

// Output says where DedupShards writes the surviving rows and in which
// container. The zero value writes OUT/shards in each input's own format
// (Arrow IPC stream or file uncompressed, Parquet with zstd).
type Output struct {
	// Dir holds the output shards (default OUT/shards).
	Dir string
	// Format is a shard.Format; "" keeps each input's format.
	Format shard.Format
	// Compression is the format's (see shard.WriterOptions); "" is its
	// default.
	Compression string
}

// DefaultConfig returns MinHash dedup with datatrove's parameters.
func DefaultConfig() Config {
	return Config{
		Mode:    ModeMinHash,
		MinHash: MinHashConfig{NGram: 5, Bands: 14, Rows: 8, Seed: 1},
	}
}

// Validate reports a clear error for an unusable configuration.
func (c Config) Validate() error {
	switch c.Mode {
	case ModeExact, ModeURL, ModeMinHash, ModeAll:
	default:
		return fmt.Errorf("dedup mode %q: want exact, url, minhash or all", c.Mode)
	}
	m := c.MinHash
	if c.usesMinHash() {
		if m.NGram < 1 || m.NGram > 64 {
			return fmt.Errorf("minhash n_grams %d: want 1..64", m.NGram)
		}
		if m.Bands < 1 || m.Bands > 255 {
			return fmt.Errorf("minhash num_buckets %d: want 1..255", m.Bands)
		}
		if m.Rows < 1 || m.Rows > 64 {
			return fmt.Errorf("minhash hashes_per_bucket %d: want 1..64", m.Rows)
		}
	}
	return nil
}

func (c Config) usesMinHash() bool { return c.Mode == ModeMinHash || c.Mode == ModeAll }
func (c Config) usesExact() bool   { return c.Mode == ModeExact || c.Mode == ModeAll }
func (c Config) usesURL() bool     { return c.Mode == ModeURL || c.Mode == ModeAll }
