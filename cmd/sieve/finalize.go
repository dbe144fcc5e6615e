package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/sieve-data/sieve/shard"
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
report.html), and writes the Hugging Face datasets metadata (state.json,
dataset_info.json) for the shards folder, so that datasets.load_from_disk
opens it. It refuses while a task's completion marker is missing.

The language and domain tables count what the tasks wrote; when staged dedup
ran afterwards, its own counts are in its OUT/dedup/stats.json.`,
	Example: `  sieve finalize out
  sieve finalize --shards dedup-out/shards out`,
	Args: cobra.ExactArgs(1),
	RunE: func(cmd *cobra.Command, args []string) error {
		out := args[0]
		statsPaths, _ := filepath.Glob(filepath.Join(out, "stats-*.json"))
		if len(statsPaths) == 0 {
			return usagef("no stats-*.json in %s: was it written by sieve run --tasks N?", out)
		}
		sort.Strings(statsPaths)
		var tasks int
		total := stats.NewCollector(stats.DefaultConfig())
		for _, p := range statsPaths {
			c, err := stats.Load(p)
			if err != nil {
				return err
			}
			if tasks == 0 {
				tasks = c.Run.Tasks
			}
			total.Merge(c)
		}
		for i := 0; i < tasks; i++ {
			if _, err := os.Stat(filepath.Join(out, "completions", fmt.Sprintf("%05d", i))); err != nil {
				return fmt.Errorf("task %d of %d has not completed (no %s)", i, tasks, filepath.Join(out, "completions", fmt.Sprintf("%05d", i)))
			}
		}
		if err := total.Save(filepath.Join(out, "stats.json")); err != nil {
			return err
		}
		var ref *stats.Reference
		if finalizeFlags.reference != "" {
			var err error
			if ref, err = stats.LoadReference(finalizeFlags.reference); err != nil {
				return usageError{err}
			}
		}
		if err := stats.WriteReport(out, total, ref); err != nil {
			return err
		}
		dir := finalizeFlags.shards
		if dir == "" {
			dir = filepath.Join(out, "shards")
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.arrow"))
		sort.Strings(files)
		if len(files) > 0 {
			r, err := shard.Open(files[0])
			if err != nil {
				return err
			}
			schema := r.Schema()
			r.Close()
			names := make([]string, len(files))
			for i, f := range files {
				names[i] = filepath.Base(f)
			}
			if err := shard.WriteDatasetMetadata(dir, names, schema); err != nil {
				return err
			}
		}
		fmt.Fprintf(os.Stderr, "sieve: merged %d tasks' stats into %s; %d shards in %s described for datasets.load_from_disk\n",
			len(statsPaths), filepath.Join(out, "stats.json"), len(files), dir)
		return nil
	},
}

func init() {
	finalizeCmd.Flags().StringVar(&finalizeFlags.shards, "shards", "", "shards folder to describe (default OUT/shards)")
	finalizeCmd.Flags().StringVar(&finalizeFlags.reference, "reference", "", "CSV of reference language shares for the report")
	rootCmd.AddCommand(finalizeCmd)
}
