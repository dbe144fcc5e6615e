package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sieve-data/sieve/stats"
)

var reportFlags struct {
	out       string
	reference string
}

var reportCmd = &cobra.Command{
	Use:   "report -o DIR [--reference CSV] STATS.json...",
	Short: "Merge per-task stats.json files into report.json, report.md and report.html",
	Long: `Report merges the statistics of one or more runs or tasks (the stats.json or
stats-NNNNN.json files that sieve run writes) and writes the audit report:
report.json (all numbers), report.md and report.html (one self-contained page
with SVG charts: languages, tokens per 1,000 characters, domains, the filter
funnel with examples of dropped documents, lengths, dedup clusters, damaged
input). A folder argument stands for the stats*.json files in it.

--reference takes a CSV of language,share rows (for example a Common Crawl
crawl's published language distribution, ISO 639-1 or 639-3 codes, shares as
fractions or percentages) to show side by side with the corpus.`,
	Example: `  sieve report -o report out/stats.json
  sieve report -o report --reference cc-main-2024-22-languages.csv out/stats-*.json
  sieve report -o report out/`,
	Args: cobra.MinimumNArgs(1),
	RunE: runReport,
}

func init() {
	f := reportCmd.Flags()
	f.StringVarP(&reportFlags.out, "out", "o", "", "output folder (required)")
	f.StringVar(&reportFlags.reference, "reference", "", "CSV of reference language shares (language,share)")
	rootCmd.AddCommand(reportCmd)
}

func runReport(cmd *cobra.Command, args []string) error {
	if reportFlags.out == "" {
		return usagef("-o DIR is required")
	}
	paths, err := statsFiles(args)
	if err != nil {
		return usageError{err}
	}
	var ref *stats.Reference
	if reportFlags.reference != "" {
		if ref, err = stats.LoadReference(reportFlags.reference); err != nil {
			return usageError{err}
		}
	}
	total := stats.NewCollector(stats.DefaultConfig())
	for _, p := range paths {
		c, err := stats.Load(p)
		if err != nil {
			return usageError{err}
		}
		total.Merge(c)
	}
	if err := stats.WriteReport(reportFlags.out, total, ref); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "sieve: merged %d stats files; report in %s\n", len(paths), filepath.Join(reportFlags.out, "report.html"))
	return nil
}

// statsFiles expands folder arguments to the stats*.json files inside.
func statsFiles(args []string) ([]string, error) { return expandArgs(args, "stats*.json") }
