package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sieve-data/sieve/runner"
	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/stats"
)

var refilterFlags struct {
	pipeline string
	out      string
}

var refilterCmd = &cobra.Command{
	Use:   "refilter --pipeline FILE.yaml -o OUT SHARD.arrow...",
	Short: "Re-apply a pipeline's filter thresholds to existing shards, from their stored signals",
	Long: `Refilter replays the decisions of the pipeline's filters (Gopher, C4,
FineWeb, URL, length, language_filter) on shards that sieve run wrote, using
the quality_signals column and the language columns: no WARC is read again and
no text is re-extracted, so trying other thresholds takes seconds. Every
column is carried through; shards keep their names under OUT/shards, with
OUT/stats.json and the report counting what each filter removed.

Steps that transform or annotate (extract, langid, pii, tokens, dedup) are not
replayed. Only documents the original run kept are in the shards, so
refiltering can only make a selection stricter.`,
	Example: `  sieve refilter --pipeline strict.yaml -o out-strict out/shards/*.arrow
  sieve refilter --pipeline fineweb -o out-en out/shards/   # with language_filter languages: [en]`,
	Args: cobra.MinimumNArgs(1),
	RunE: func(cmd *cobra.Command, args []string) error {
		if refilterFlags.out == "" {
			return usagef("-o OUT is required")
		}
		cfg, err := runner.LoadConfig(refilterFlags.pipeline)
		if err != nil {
			return usageError{err}
		}
		inputs, err := expandArgs(args, "*.arrow")
		if err != nil {
			return usageError{err}
		}
		ctx, stop := stageContext()
		defer stop()
		res, err := runner.Refilter(ctx, cfg, inputs, refilterFlags.out)
		if err != nil {
			return err
		}
		if err := res.Stats.Save(filepath.Join(refilterFlags.out, "stats.json")); err != nil {
			return err
		}
		if err := stats.WriteReport(refilterFlags.out, res.Stats, nil); err != nil {
			return err
		}
		if len(res.Shards) > 0 {
			if r, err := shard.Open(res.Shards[0]); err == nil {
				schema := r.Schema()
				r.Close()
				names := make([]string, len(res.Shards))
				for i, s := range res.Shards {
					names[i] = filepath.Base(s)
				}
				// File-format shards cannot be described for datasets; that
				// is not an error of the refilter.
				_ = shard.WriteDatasetMetadata(filepath.Join(refilterFlags.out, "shards"), names, schema)
			}
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "sieve: replayed %s (not replayed: %s); %d documents kept in %d shards under %s\n",
			strings.Join(res.Replayed, ", "), strings.Join(res.Ignored, ", "), res.Kept, len(res.Shards), filepath.Join(refilterFlags.out, "shards"))
		return nil
	},
}

func init() {
	refilterCmd.Flags().StringVarP(&refilterFlags.pipeline, "pipeline", "p", "", "pipeline whose filter thresholds to apply: shipped name or YAML file (required)")
	refilterCmd.Flags().StringVarP(&refilterFlags.out, "out", "o", "", "output folder (required)")
	refilterCmd.MarkFlagRequired("pipeline")
	rootCmd.AddCommand(refilterCmd)
}
