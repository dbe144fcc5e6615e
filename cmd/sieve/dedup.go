package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sieve-data/sieve/dedup"
	"github.com/sieve-data/sieve/storage"
)

var dedupFlags struct {
	mode      string
	out       string
	keep      string
	ngram     int
	bands     int
	rows      int
	seed      uint64
	workers   int
	tasks     int
	taskIndex int
}

var dedupCmd = &cobra.Command{
	Use:   "dedup [--mode exact|url|minhash|all] -o OUT SHARD.arrow|SHARD.parquet...",
	Short: "Remove exact and near-duplicate documents from Arrow or Parquet shards",
	Long: `Dedup reads Arrow shards (IPC stream or file format, any writer's) or Parquet
files that have at least an id and a text column (utf8, large_utf8,
string_view or dictionary-encoded); every other column is carried through
unchanged, and each output shard has its input's format.

Modes:
  exact    xxh3-128 of the normalised text (NFKC, lower case, punctuation
           removed, digits folded, whitespace collapsed)
  url      normalised url column (scheme, www., default port, fragment and
           trailing slash ignored)
  minhash  MinHash LSH over word 5-grams of the normalised text, datatrove's
           defaults: 14 bands x 8 hashes, seed 1 (Chinese, Japanese, Thai:
           character 5-grams)
  all      all three (url only when the shards have a url column)

One document per cluster survives: the first (shards in the order given, rows
in order) or, with --keep-highest COL, the one with the highest COL.

Outputs in OUT:
  shards/<name>         survivors, plus dedup_cluster_id (int64) and
                        dedup_cluster_size (int32) for re-weighting
  dedup/removed.arrow   id, duplicate_of, jaccard (estimated), method,
                        dedup_cluster_id, dedup_cluster_size
  stats.json            counts (also in dedup/stats.json)

For runs split over many machines use the four stages below, each with the
same SHARD list; the result is identical to the one-process mode.

OUT and SHARD may be s3://bucket/prefix locations (credentials and endpoint
from the AWS_* environment): a prefix takes the *.arrow (else *.parquet)
objects directly under it, a glob matches keys. Stage files are streamed to and from S3 and
appear only when complete; remote shards are copied to $SIEVE_WORK_DIR (else
the temp folder) while they are read or written.`,
	Example: `  sieve dedup -o deduped out/shards/*.arrow
  sieve dedup --mode all --keep-highest fineweb_score -o deduped shards/
  sieve dedup --mode exact -o deduped a.arrow b.arrow
  sieve dedup -o deduped fineweb/data/CC-MAIN-2024-10/   # Parquet in, Parquet out
  sieve dedup --bands 20 --rows 10 -o deduped shards/   # stricter: threshold 0.74
  sieve dedup signatures --tasks 8 --task-index $I -o s3://bucket/dedup s3://bucket/run/shards/`,
	Args: cobra.ArbitraryArgs,
	RunE: func(cmd *cobra.Command, args []string) error {
		cfg, inputs, err := dedupSetup(args, true)
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return runDedupOneProcess(ctx, cmd.ErrOrStderr(), inputs, dedupFlags.out, cfg)
	},
}

// runDedupOneProcess deduplicates inputs into out and writes out/stats.json.
func runDedupOneProcess(ctx context.Context, log io.Writer, inputs []string, out string, cfg dedup.Config) error {
	printThreshold(log, cfg)
	res, err := dedup.DedupShards(ctx, inputs, out, cfg)
	if err != nil {
		return err
	}
	st := res.Stats
	fmt.Fprintf(log, "sieve dedup: %d documents, %d kept, %d removed %v, %d clusters (largest %d) in %.2fs; index %.0f bytes/document\n",
		st.Documents, st.Kept, st.Removed, st.RemovedBy, st.Clusters, st.LargestCluster, st.ElapsedSecs, st.IndexBytesPerDoc)
	fmt.Fprintf(log, "sieve dedup: shards in %s, removed list in %s\n", storage.Join(out, "shards"), res.RemovedPath)
	return writeStatsJSON(ctx, storage.Join(out, "stats.json"), st)
}

// writeStatsJSON writes st to loc (local or s3://) atomically.
func writeStatsJSON(ctx context.Context, loc string, st any) error {
	b, err := dedupStatsJSON(st)
	if err != nil {
		return err
	}
	return storage.WriteFile(ctx, loc, b)
}

func printThreshold(log io.Writer, cfg dedup.Config) {
	if cfg.Mode == dedup.ModeMinHash || cfg.Mode == dedup.ModeAll {
		m := cfg.MinHash
		fmt.Fprintf(log, "sieve dedup: MinHash %d-grams, %d bands x %d hashes = %d permutations, seed %d: Jaccard threshold (1/b)^(1/r) = %.3f\n",
			m.NGram, m.Bands, m.Rows, m.Permutations(), m.Seed, m.Threshold())
	}
}

// dedupSetup builds the configuration from the flags and expands the
// SHARD arguments (files, or folders whose *.arrow files, else *.parquet
// files, are taken in name order).
func dedupSetup(args []string, needInputs bool) (dedup.Config, []string, error) {
	cfg := dedup.DefaultConfig()
	cfg.Mode = dedupFlags.mode
	cfg.KeepColumn = dedupFlags.keep
	cfg.MinHash = dedup.MinHashConfig{NGram: dedupFlags.ngram, Bands: dedupFlags.bands, Rows: dedupFlags.rows, Seed: dedupFlags.seed}
	cfg.Workers = dedupFlags.workers
	if err := cfg.Validate(); err != nil {
		return cfg, nil, usageError{err}
	}
	if dedupFlags.out == "" {
		return cfg, nil, usagef("-o OUT is required")
	}
	if !needInputs {
		if len(args) > 0 {
			return cfg, nil, usagef("this stage takes no SHARD arguments (they were given to signatures)")
		}
		return cfg, nil, nil
	}
	inputs, err := expandShards(args)
	if err != nil {
		return cfg, nil, usageError{err}
	}
	if len(inputs) == 0 {
		return cfg, nil, usagef("no input shards given")
	}
	return cfg, inputs, nil
}

// expandShards expands SHARD arguments: local ones as expandArgs does,
// s3:// ones through storage (an object, a glob, or a prefix whose *.arrow
// objects directly under it are taken in name order).
func expandShards(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if !storage.IsRemote(a) {
			m, err := expandArgs([]string{a}, "*.arrow")
			if err != nil {
				// A folder of Parquet shards (sieve's, FineWeb's).
				if pm, perr := expandArgs([]string{a}, "*.parquet"); perr == nil {
					m, err = pm, nil
				}
			}
			if err != nil {
				return nil, err
			}
			out = append(out, m...)
			continue
		}
		m, err := expandRemoteShards(context.Background(), a)
		if err != nil {
			return nil, err
		}
		out = append(out, m...)
	}
	return out, nil
}

func expandRemoteShards(ctx context.Context, loc string) ([]string, error) {
	if storage.HasGlob(loc) {
		es, err := storage.Glob(ctx, loc)
		if err != nil {
			return nil, err
		}
		if len(es) == 0 {
			return nil, fmt.Errorf("%s: no object matches", loc)
		}
		return entryLocs(es), nil
	}
	es, err := storage.List(ctx, loc)
	if err != nil {
		return nil, err
	}
	if len(es) == 1 && es[0].Loc == loc {
		return []string{loc}, nil
	}
	// A folder: its own *.arrow (or *.parquet) objects, not those of
	// sub-folders or of sibling keys that merely start with the same
	// letters.
	dir := strings.TrimSuffix(loc, "/") + "/"
	var out []string
	for _, e := range es {
		rest, ok := strings.CutPrefix(e.Loc, dir)
		if ok && !strings.Contains(rest, "/") && (strings.HasSuffix(rest, ".arrow") || strings.HasSuffix(rest, ".parquet")) {
			out = append(out, e.Loc)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no *.arrow or *.parquet objects under the prefix", loc)
	}
	return out, nil
}

func entryLocs(es []storage.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Loc
	}
	return out
}

func stageContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func checkTaskFlags() error {
	if dedupFlags.tasks < 1 || dedupFlags.taskIndex < 0 || dedupFlags.taskIndex >= dedupFlags.tasks {
		return usagef("--task-index %d must be in 0..%d (--tasks %d)", dedupFlags.taskIndex, dedupFlags.tasks-1, dedupFlags.tasks)
	}
	return nil
}

var dedupSignaturesCmd = &cobra.Command{
	Use:   "signatures --tasks N --task-index I [flags] -o OUT SHARD.arrow...",
	Short: "Stage 1: keys and sketches of this task's shards (every task gets the same SHARD list)",
	Long: `Task I of N reads shards I, I+N, I+2N, ... of the SHARD list and writes, under
OUT/dedup/stage, one sorted key file per LSH band (and for exact/url), the
documents' sketches and ids, and a manifest written last. All files carry a
record count and checksum; later stages refuse partial or corrupt files.`,
	Example: `  # on each of 64 machines, I = 0..63:
  sieve dedup signatures --tasks 64 --task-index $I -o /mnt/out shards/*.arrow`,
	RunE: func(cmd *cobra.Command, args []string) error {
		if err := checkTaskFlags(); err != nil {
			return err
		}
		cfg, inputs, err := dedupSetup(args, true)
		if err != nil {
			return err
		}
		printThreshold(cmd.ErrOrStderr(), cfg)
		ctx, stop := stageContext()
		defer stop()
		return dedup.Signatures(ctx, inputs, dedupFlags.out, cfg, dedupFlags.tasks, dedupFlags.taskIndex)
	},
}

var dedupBucketsCmd = &cobra.Command{
	Use:   "buckets --tasks N --task-index I -o OUT",
	Short: "Stage 2: merge the sorted key files of each band and write duplicate pairs",
	Long: `Task I of N takes key spaces (bands) I, I+N, ... and merge-sorts every
signatures task's key file for them into a pair file. Up to one task per band
(14 by default, plus exact and url) runs in parallel.`,
	Example: `  sieve dedup buckets --tasks 14 --task-index $I -o /mnt/out`,
	RunE: func(cmd *cobra.Command, args []string) error {
		if err := checkTaskFlags(); err != nil {
			return err
		}
		if len(args) > 0 || dedupFlags.out == "" {
			return usagef("buckets takes -o OUT and no SHARD arguments")
		}
		ctx, stop := stageContext()
		defer stop()
		return dedup.Buckets(ctx, dedupFlags.out, dedupFlags.tasks, dedupFlags.taskIndex)
	},
}

var dedupClustersCmd = &cobra.Command{
	Use:   "clusters -o OUT",
	Short: "Stage 3: union-find over all pairs; writes removed.arrow and the decisions",
	Long: `Clusters reads every pair file once, joins duplicates with union-find over a
dense array (4 bytes per document), picks each cluster's survivor and writes
OUT/dedup/removed.arrow, OUT/dedup/stats.json and the decisions the filter
tasks read. It runs as one task; it is I/O-bound (see the report numbers).`,
	Example: `  sieve dedup clusters -o /mnt/out`,
	RunE: func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 || dedupFlags.out == "" {
			return usagef("clusters takes -o OUT and no SHARD arguments")
		}
		ctx, stop := stageContext()
		defer stop()
		st, err := dedup.Clusters(ctx, dedupFlags.out)
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "sieve dedup: %d documents, %d to remove %v, %d clusters (largest %d)\n",
			st.Documents, st.Removed, st.RemovedBy, st.Clusters, st.LargestCluster)
		return writeStatsJSON(ctx, storage.Join(dedupFlags.out, "stats.json"), st)
	},
}

var dedupFilterCmd = &cobra.Command{
	Use:     "filter --tasks N --task-index I -o OUT",
	Short:   "Stage 4: write this task's shards without the removed documents",
	Example: `  sieve dedup filter --tasks 64 --task-index $I -o /mnt/out`,
	RunE: func(cmd *cobra.Command, args []string) error {
		if err := checkTaskFlags(); err != nil {
			return err
		}
		if len(args) > 0 || dedupFlags.out == "" {
			return usagef("filter takes -o OUT and no SHARD arguments")
		}
		ctx, stop := stageContext()
		defer stop()
		shards, kept, err := dedup.Filter(ctx, dedupFlags.out, dedupFlags.tasks, dedupFlags.taskIndex)
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "sieve dedup: task %d wrote %d documents to %d shards\n", dedupFlags.taskIndex, kept, len(shards))
		return nil
	},
}

func init() {
	def := dedup.DefaultConfig()
	pf := dedupCmd.PersistentFlags()
	pf.StringVarP(&dedupFlags.out, "out", "o", "", "output folder or s3://bucket/prefix (required)")
	pf.StringVar(&dedupFlags.mode, "mode", def.Mode, "exact, url, minhash or all")
	pf.StringVar(&dedupFlags.keep, "keep-highest", "", "numeric column: keep the document with the highest value in each cluster (default: the first)")
	pf.IntVar(&dedupFlags.ngram, "ngram", def.MinHash.NGram, "MinHash shingle size in words (characters for CJK/Thai)")
	pf.IntVar(&dedupFlags.bands, "bands", def.MinHash.Bands, "MinHash LSH bands (buckets)")
	pf.IntVar(&dedupFlags.rows, "rows", def.MinHash.Rows, "MinHash hashes per band")
	pf.Uint64Var(&dedupFlags.seed, "seed", def.MinHash.Seed, "MinHash permutation seed")
	pf.IntVar(&dedupFlags.workers, "workers", 0, "goroutines computing signatures (0 = all cores)")
	for _, c := range []*cobra.Command{dedupSignaturesCmd, dedupBucketsCmd, dedupFilterCmd} {
		c.Flags().IntVar(&dedupFlags.tasks, "tasks", 1, "number of tasks of this stage")
		c.Flags().IntVar(&dedupFlags.taskIndex, "task-index", 0, "this task, 0..tasks-1")
	}
	dedupCmd.AddCommand(dedupSignaturesCmd, dedupBucketsCmd, dedupClustersCmd, dedupFilterCmd)
	rootCmd.AddCommand(dedupCmd)
}

func dedupStatsJSON(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
