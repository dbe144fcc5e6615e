package main

import (
	"cmp"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/sieve-data/sieve/runner"
	"github.com/sieve-data/sieve/stats"
	"github.com/sieve-data/sieve/storage"
)

var finalizeFlags struct {
	shards    string
	reference string
	workDir   string
}

var finalizeCmd = &cobra.Command{
	Use:   "finalize OUT",
	Short: "After a run split into tasks: merge the tasks' stats and write the dataset metadata",
	Long: `Finalize completes a run that was split with --tasks: it merges
OUT/stats-*.json into OUT/stats.json and the report (report.json, report.md,
report.html), counting languages, domains, lengths and tokens from the final
shards (--shards: the staged dedup's output, whose dedup/stats.json beside
it fills the dedup section), and writes the Hugging Face datasets metadata
(state.json, dataset_info.json) for the shards folder, so that
datasets.load_from_disk opens it. It refuses while a task's completion
marker is missing. A split run with a dedup step and a JSONL writer writes
Arrow shards for the staged dedup (which does not read JSONL): finalize
then exports the final shards to JSONL in the shards folder and removes the
Arrow shards and their metadata.

OUT and --shards may be s3://bucket/prefix locations: what finalize reads
(the tasks' stats and completion markers, the shards, dedup/stats.json) is
copied to --work-dir first, and what it writes is uploaded back.`,
	Example: `  sieve finalize out
  sieve finalize --shards out-dedup/shards out
  sieve finalize --shards s3://bucket/dedup/shards s3://bucket/run`,
	Args: cobra.ExactArgs(1),
	RunE: func(cmd *cobra.Command, args []string) error {
		ref, err := stats.ResolveReference(finalizeFlags.reference)
		if err != nil {
			return usageError{err}
		}
		ctx, stop := stageContext()
		defer stop()
		workDir := cmp.Or(finalizeFlags.workDir, os.Getenv("SIEVE_WORK_DIR")) // as for sieve dedup
		res, err := runner.FinalizeAnywhere(ctx, args[0], finalizeFlags.shards, workDir, ref)
		if err != nil {
			return err
		}
		what := "described for datasets.load_from_disk"
		if len(res.Replaced) > 0 {
			what = "exported from the staged dedup's Arrow shards"
		}
		fmt.Fprintf(os.Stderr, "sieve: merged %d tasks' stats into %s; %d documents in %d shards %s\n",
			res.Tasks, storage.Join(args[0], "stats.json"), res.Documents, len(res.Shards), what)
		return nil
	},
}

func init() {
	finalizeCmd.Flags().StringVar(&finalizeFlags.shards, "shards", "", "shards folder to count and describe (default OUT/shards)")
	finalizeCmd.Flags().StringVar(&finalizeFlags.reference, "reference", "", referenceHelp)
	finalizeCmd.Flags().StringVar(&finalizeFlags.workDir, "work-dir", "", "local folder for copies of s3:// inputs (default: $SIEVE_WORK_DIR, else the temp folder)")
	rootCmd.AddCommand(finalizeCmd)
}
