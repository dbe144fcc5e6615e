package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sieve-data/sieve/data"
	"github.com/sieve-data/sieve/stats"
)

var reportFlags struct {
	out             string
	reference       string
	minLanguageDocs int
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

The language table is compared with Common Crawl's published language
distribution of its newest shipped crawl (CC-MAIN-2024-42: CLD2 on all fetched
HTML pages, before any filtering) unless --reference names another CSV
(language,share rows, ISO 639-1 or 639-3 codes, shares as fractions or
percentages, or Common Crawl's own plots/languages.csv, whose last crawl is
used) or is "none".`,
	Example: `  sieve report -o report out/stats.json
  sieve report -o report --reference my-languages.csv out/stats-*.json
  sieve report -o report --reference none out/stats.json
  sieve report -o report out/`,
	Args: cobra.MinimumNArgs(1),
	RunE: runReport,
}

// referenceHelp is the --reference flag's help (run, report, finalize).
const referenceHelp = "CSV of reference language shares (language,share) for the report; default: the shipped Common Crawl " + data.CommonCrawlCrawl + " table; \"none\": no comparison"

func init() {
	f := reportCmd.Flags()
	f.StringVarP(&reportFlags.out, "out", "o", "", "output folder (required)")
	f.StringVar(&reportFlags.reference, "reference", "", referenceHelp)
	f.IntVar(&reportFlags.minLanguageDocs, "min-language-docs", stats.DefaultConfig().MinLanguageDocs, "documents a language needs (read by the filters) for its own row in the filters × languages table")
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
	ref, err := stats.ResolveReference(reportFlags.reference)
	if err != nil {
		return usageError{err}
	}
	cfg := stats.DefaultConfig()
	if reportFlags.minLanguageDocs < 1 {
		return usagef("--min-language-docs %d: want at least 1", reportFlags.minLanguageDocs)
	}
	cfg.MinLanguageDocs = reportFlags.minLanguageDocs
	total := stats.NewCollector(cfg)
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
