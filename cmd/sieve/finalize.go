package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sieve-data/sieve/runner"
	"github.com/sieve-data/sieve/stats"
)

var finalizeFlags struct {
	shards    string
	reference string
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
marker is missing.`,
	Example: `  sieve finalize out
  sieve finalize --shards out-dedup/shards out`,
	Args: cobra.ExactArgs(1),
	RunE: func(cmd *cobra.Command, args []string) error {
		var ref *stats.Reference
		if finalizeFlags.reference != "" {
			var err error
			if ref, err = stats.LoadReference(finalizeFlags.reference); err != nil {
				return usageError{err}
			}
		}
		res, err := runner.Finalize(args[0], finalizeFlags.shards, ref)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "sieve: merged %d tasks' stats into %s; %d documents in %d shards described for datasets.load_from_disk\n",
			res.Tasks, filepath.Join(args[0], "stats.json"), res.Documents, len(res.Shards))
		return nil
	},
}

func init() {
	finalizeCmd.Flags().StringVar(&finalizeFlags.shards, "shards", "", "shards folder to count and describe (default OUT/shards)")
	finalizeCmd.Flags().StringVar(&finalizeFlags.reference, "reference", "", "CSV of reference language shares for the report")
	rootCmd.AddCommand(finalizeCmd)
}
