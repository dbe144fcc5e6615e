package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sieve-data/sieve/langid"
	"github.com/sieve-data/sieve/pipeline"
	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/stats"
)

// Decider is implemented by filters whose decision can be replayed from the
// quality signals they stored (and the document's language), without the
// text: the basis of `sieve refilter`.
type Decider interface {
	Decide(signals map[string]float64, lang string) pipeline.Outcome
}

// RefilterResult says what a refilter run did.
type RefilterResult struct {
	Shards   []string
	Stats    *stats.Collector
	Replayed []string // steps whose decisions were replayed
	Ignored  []string // steps that only annotate or transform, left out
	Kept     int64
}

// Refilter re-applies the decisions of c's filters, with c's thresholds, to
// existing shards: from their quality_signals column (and language columns
// for language_filter), never re-reading WARCs or re-extracting text. Every
// input column is carried through; a shard keeps its name under outDir/shards.
// Steps that transform or annotate (extract, langid, pii, tokens, dedup) are
// not replayed.
func Refilter(ctx context.Context, c *Config, inputs []string, outDir string) (*RefilterResult, error) {
	plan, err := Build(c)
	if err != nil {
		return nil, err
	}
	defer plan.Close()
	res := &RefilterResult{Stats: stats.NewCollector(stats.DefaultConfig())}
	var steps []pipeline.Step
	var ids []string
	for i, s := range plan.Steps {
		id := plan.StepNames[i]
		switch s.(type) {
		case *langid.Filter:
			steps = append(steps, s)
		case Decider:
			steps = append(steps, replayStep{s})
		default:
			res.Ignored = append(res.Ignored, id)
			continue
		}
		ids = append(ids, id)
		res.Replayed = append(res.Replayed, id)
	}
	if plan.Dedup != nil {
		res.Ignored = append(res.Ignored, "dedup")
	}
	dir := filepath.Join(outDir, shardsDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	chain := pipeline.NewChain(steps)
	chain.IDs = ids
	chain.OnDrop = func(step, reason string, d *pipeline.Document) { res.Stats.ObserveDropped(step, reason, d) }
	seen := map[string]bool{}
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out := filepath.Join(dir, filepath.Base(in))
		if seen[out] {
			return nil, fmt.Errorf("two inputs named %s: refilter keeps shard names", filepath.Base(in))
		}
		seen[out] = true
		n, err := refilterShard(ctx, chain, res.Stats, in, out)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in, err)
		}
		res.Kept += n
		res.Shards = append(res.Shards, out)
	}
	res.Stats.AddSteps(ids, chain.Metrics)
	return res, nil
}

// replayStep turns a Decider into a step that decides from stored signals.
type replayStep struct{ s pipeline.Step }

func (r replayStep) Name() string { return r.s.Name() }
func (r replayStep) Process(d *pipeline.Document, _ *pipeline.Metrics) pipeline.Outcome {
	return r.s.(Decider).Decide(d.Signals, d.Language)
}

func refilterShard(ctx context.Context, chain *pipeline.Chain, col *stats.Collector, in, out string) (int64, error) {
	r, err := shard.Open(in)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	format, err := shard.DetectFormat(in)
	if err != nil {
		return 0, err
	}
	w, err := shard.CreateRecordWriter(out, r.Schema(), format, "")
	if err != nil {
		return 0, err
	}
	var kept int64
	mem := memory.NewGoAllocator()
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			w.Abort()
			return 0, err
		}
		docs, err := shard.DocumentsFrom(rec)
		if err != nil {
			w.Abort()
			return 0, err
		}
		keep := make([]bool, len(docs))
		for i := range docs {
			if keep[i] = chain.Process(&docs[i]); keep[i] {
				col.ObservePassed(&docs[i])
				col.ObserveKept(&docs[i])
				kept++
			}
		}
		filtered, err := keepRows(mem, rec, keep)
		if err != nil {
			w.Abort()
			return 0, err
		}
		err = w.Write(filtered)
		filtered.Release()
		if err != nil {
			w.Abort()
			return 0, err
		}
	}
	return kept, w.Close()
}

// keepRows returns the rows of rec where keep is true, every column carried
// through: runs of kept rows are sliced and the slices concatenated.
func keepRows(mem memory.Allocator, rec arrow.RecordBatch, keep []bool) (arrow.RecordBatch, error) {
	type run struct{ from, to int64 }
	var runs []run
	var n int64
	for i := 0; i < len(keep); i++ {
		if !keep[i] {
			continue
		}
		j := i
		for j < len(keep) && keep[j] {
			j++
		}
		runs = append(runs, run{int64(i), int64(j)})
		n += int64(j - i)
		i = j
	}
	cols := make([]arrow.Array, rec.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for c := range cols {
		full := rec.Column(c)
		if len(runs) == 0 {
			cols[c] = array.NewSlice(full, 0, 0)
			continue
		}
		parts := make([]arrow.Array, len(runs))
		for k, r := range runs {
			parts[k] = array.NewSlice(full, r.from, r.to)
		}
		joined, err := array.Concatenate(parts, mem)
		for _, p := range parts {
			p.Release()
		}
		if err != nil {
			return nil, err
		}
		cols[c] = joined
	}
	return array.NewRecordBatch(rec.Schema(), cols, n), nil
}
