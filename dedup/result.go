package dedup

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sieve-data/sieve/storage"
)

// Stats are the counts of one dedup run (OUT/dedup/stats.json).
type Stats struct {
	Mode      string           `json:"mode"`
	Documents int64            `json:"documents"`
	Kept      int64            `json:"kept"`
	Removed   int64            `json:"removed"`
	RemovedBy map[string]int64 `json:"removed_by_method"`
	// Clusters counts clusters of two or more documents.
	Clusters       int64 `json:"clusters"`
	LargestCluster int64 `json:"largest_cluster"`
	// NoShingles counts documents with no token, which MinHash cannot place
	// (exact and url dedup still apply to them).
	NoShingles int64 `json:"no_shingles"`
	// URLSkipped is true when mode all found no url column.
	URLSkipped bool           `json:"url_skipped,omitempty"`
	MinHash    *MinHashReport `json:"minhash,omitempty"`
	// IndexBytes is the memory of the in-memory key tables and cluster
	// arrays (one-process mode), and per document.
	IndexBytes       int64   `json:"index_bytes,omitempty"`
	IndexBytesPerDoc float64 `json:"index_bytes_per_doc,omitempty"`
	ElapsedSecs      float64 `json:"elapsed_secs"`
}

// MinHashReport records the LSH parameters used.
type MinHashReport struct {
	MinHashConfig
	Permutations int     `json:"permutations"`
	Threshold    float64 `json:"jaccard_threshold"`
}

// Result is what DedupShards returns.
type Result struct {
	// Shards are the output shards, in input order.
	Shards []string
	// RemovedPath is OUT/dedup/removed.arrow.
	RemovedPath string
	Stats       Stats
}

func newStats(cfg Config, sp spaces) Stats {
	s := Stats{Mode: cfg.Mode, RemovedBy: map[string]int64{}}
	if sp.bands > 0 {
		s.MinHash = &MinHashReport{MinHashConfig: cfg.MinHash, Permutations: cfg.MinHash.Permutations(), Threshold: cfg.MinHash.Threshold()}
	}
	s.URLSkipped = cfg.Mode == ModeAll && sp.url < 0
	return s
}

func (s *Stats) addResolution(r *resolution) {
	s.Removed = int64(len(r.removed))
	s.Kept = s.Documents - s.Removed
	s.Clusters = r.clusters
	s.LargestCluster = r.largest
	for k, v := range r.byMethod {
		s.RemovedBy[k] = v
	}
}

func writeJSONAtomic(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return store().WriteFile(storeCtx(), path, append(b, '\n'))
}

func readJSON(path string, v any) error {
	b, err := store().ReadFile(storeCtx(), path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// outputNames gives each input shard its output file name: its base name,
// or, when two inputs share a base name, the name prefixed with the input's
// position.
func outputNames(inputs []string) []string {
	seen := map[string]int{}
	for _, p := range inputs {
		seen[baseName(p)]++
	}
	names := make([]string, len(inputs))
	for i, p := range inputs {
		b := baseName(p)
		if seen[b] > 1 {
			b = fmt.Sprintf("%05d-%s", i, b)
		}
		names[i] = b
	}
	return names
}

// inputsHaveURL reports whether every input shard has a url column; it
// also checks that each input opens as an Arrow shard.
func inputsHaveURL(inputs []string) (bool, error) {
	all := true
	for _, p := range inputs {
		s, err := inputSchema(p)
		if err != nil {
			return false, err
		}
		if len(s.FieldIndices("url")) == 0 {
			all = false
		}
	}
	return all, nil
}

// inputSchema reads a shard's schema: a local shard is opened (and so
// checked) whole, a remote one's schema is read from its head alone.
func inputSchema(loc string) (*arrow.Schema, error) {
	if storage.IsRemote(loc) {
		return remoteSchema(loc)
	}
	r, err := openShard(loc)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return r.Schema(), nil
}

// checkNoOverwrite refuses an output folder whose shards/ would replace
// one of the inputs.
func checkNoOverwrite(inputs []string, outDir string) error {
	names := outputNames(inputs)
	for i, in := range inputs {
		out := joinLoc(outDir, "shards", names[i])
		if storage.IsRemote(in) || storage.IsRemote(out) {
			if in == out {
				return fmt.Errorf("output %s would overwrite input %s; choose another -o", out, in)
			}
			continue
		}
		a, err1 := filepath.Abs(in)
		b, err2 := filepath.Abs(out)
		if err1 == nil && err2 == nil && a == b {
			return fmt.Errorf("output %s would overwrite input %s; choose another -o", b, in)
		}
	}
	return nil
}
