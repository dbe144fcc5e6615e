package dedup

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sieve-data/sieve/storage"
)

// DedupShards reads the input shards in the order given, decides which
// documents are duplicates, writes the survivors to outDir/shards (every
// input column unchanged, plus dedup_cluster_id and dedup_cluster_size),
// outDir/dedup/removed.arrow and outDir/dedup/stats.json, and returns the
// counts. "First" is the smallest position in that order, so the result
// does not depend on how the shards were produced.
//
// Memory: the key tables take at most 10 bytes per document per key space
// (14 for the default MinHash, plus one each for exact and url) and the
// cluster state 5 bytes per document: ≤ 145 bytes per document for the
// default configuration. Sketches and ids go to a temporary folder under
// outDir/dedup and are read back only for removed documents.
func DedupShards(ctx context.Context, inputs []string, outDir string, cfg Config) (*Result, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkNoOverwrite(inputs, outDir); err != nil {
		return nil, err
	}
	haveURL, err := inputsHaveURL(inputs)
	if err != nil {
		return nil, err
	}
	if cfg.Mode == ModeURL && !haveURL {
		return nil, fmt.Errorf("mode url needs a url column in every shard")
	}
	sp := layoutFor(cfg, haveURL)
	dedupDir := joinLoc(outDir, "dedup")
	// The work files are local: next to the output when it is local, in
	// the temp folder when the output is on S3.
	workParent := dedupDir
	if storage.IsRemote(outDir) {
		workParent = tempDir()
	}
	if err := os.MkdirAll(workParent, 0o755); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(workParent, "work-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)

	rows, err := countRows(inputs)
	if err != nil {
		return nil, err
	}
	tables := make([]*keyTable, sp.n)
	for i := range tables {
		tables[i] = newKeyTable(int(rows))
	}
	var links linkSet
	links.uf.parent = make([]uint32, 0, rows)
	links.method = make([]byte, 0, rows)
	store, err := createDocStore(filepath.Join(work, "docs"), filepath.Join(work, "ids"), sp)
	if err != nil {
		return nil, err
	}
	stats := newStats(cfg, sp)
	spans := make([]shardSpan, len(inputs))
	for i, p := range inputs {
		spans[i] = shardSpan{Index: i, Path: p}
	}
	var dense uint64
	indices := make([]int, len(inputs))
	for i := range indices {
		indices[i] = i
	}
	err = scanShards(ctx, inputs, indices, cfg, sp, func(d *scannedDoc) error {
		if dense >= 1<<32-1 {
			return errors.New("more than 4,294,967,294 documents in one dedup run; use the staged mode over smaller groups")
		}
		spans[d.shard].Rows++
		doc := uint32(dense)
		links.grow(int(dense) + 1)
		for s := range sp.n {
			if !d.valid[s] {
				continue
			}
			if first, found := tables[s].firstOrAdd(d.keys[s], doc); found {
				links.link(first, doc, methodCode(sp.method(s)))
			}
		}
		if sp.bands > 0 && !d.valid[sp.firstBand] {
			stats.NoShingles++
		}
		dense++
		return store.add(d)
	})
	if err != nil {
		store.abort()
		return nil, err
	}
	if err := store.close(); err != nil {
		return nil, err
	}
	stats.Documents = int64(dense)
	var at uint64
	for i := range spans {
		spans[i].Dense, spans[i].StoreOffset = at, int(at)
		at += uint64(spans[i].Rows)
	}
	for _, t := range tables {
		stats.IndexBytes += t.bytes()
	}
	stats.IndexBytes += int64(cap(links.uf.parent))*4 + int64(cap(links.method))
	if dense > 0 {
		stats.IndexBytesPerDoc = float64(stats.IndexBytes) / float64(dense)
	}
	tables = nil // the tables are not needed for resolving

	stores, err := openDocStores([]string{filepath.Join(work, "docs")}, []string{filepath.Join(work, "ids")}, spans, sp)
	if err != nil {
		return nil, err
	}
	defer stores.close()
	decisions := filepath.Join(work, "decisions")
	removedPath := joinLoc(dedupDir, "removed.arrow")
	res, err := resolve(&links, stores, cfg.KeepColumn != "", sp.bands > 0, decisions, removedPath)
	if err != nil {
		return nil, err
	}
	stats.addResolution(res)

	out := &Result{RemovedPath: removedPath}
	dc, err := openDecisions(decisions)
	if err != nil {
		return nil, err
	}
	defer dc.close()
	names := outputNames(inputs)
	var kept int64
	for i, span := range spans {
		dir := cmp.Or(cfg.Output.Dir, joinLoc(outDir, "shards"))
		p := joinLoc(dir, names[i])
		k, err := filterShard(ctx, span, p, dc, cfg.Output)
		if err != nil {
			return nil, err
		}
		kept += k
		out.Shards = append(out.Shards, p)
	}
	if kept != stats.Kept {
		return nil, fmt.Errorf("dedup wrote %d documents, expected %d", kept, stats.Kept)
	}
	stats.ElapsedSecs = time.Since(start).Seconds()
	out.Stats = stats
	return out, writeJSONAtomic(joinLoc(dedupDir, "stats.json"), stats)
}

// countRows counts the rows of the shards, to size the key tables.
func countRows(paths []string) (int64, error) {
	var n int64
	for _, p := range paths {
		r, err := openShard(p)
		if err != nil {
			return 0, err
		}
		for {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				r.Close()
				return 0, fmt.Errorf("%s: %w", p, err)
			}
			n += rec.NumRows()
			rec.Release()
		}
		r.Close()
	}
	return n, nil
}
