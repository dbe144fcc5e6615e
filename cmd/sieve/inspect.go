package main

import (
	"encoding/json"
	"errors"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/sieve-data/sieve/shard"
)

var inspectFlags struct {
	rows  int
	json  bool
	width int
}

var inspectCmd = &cobra.Command{
	Use:   "inspect SHARD.arrow|SHARD.parquet [-n N] [--json]",
	Short: "Show the schema, row count and first rows of an Arrow or Parquet shard",
	Long: `Inspect opens one Arrow shard (IPC stream or file format, zstd-compressed
or not: sieve's own output or another tool's Arrow IPC file, strings of any
encoding) or Parquet file and prints its format, schema, number of record
batches and rows, and its first N rows.
Strings are cut to --width characters for display (0 shows them whole).
A damaged or truncated shard is reported as an error (exit status 1).

` + exitStatusHelp,
	Example: `  sieve inspect OUT/shards/000003-00000.arrow
  sieve inspect -n 10 --width 80 OUT/removed/000003-00000.arrow
  sieve inspect fineweb/data/CC-MAIN-2024-10/000_00000.parquet
  sieve inspect --json -n 1 OUT/shards/000003-00000.arrow | jq .schema`,
	Args: cobra.ExactArgs(1),
	RunE: func(cmd *cobra.Command, args []string) error {
		if inspectFlags.rows < 0 {
			return usagef("-n must be 0 or more, got %d", inspectFlags.rows)
		}
		if inspectFlags.width < 0 {
			return usagef("--width must be 0 or more, got %d", inspectFlags.width)
		}
		sum, err := shard.Summarize(args[0], inspectFlags.rows, inspectFlags.width)
		if errors.Is(err, fs.ErrNotExist) {
			return usageError{err}
		}
		if err != nil {
			return damagedInput{err}
		}
		out := cmd.OutOrStdout()
		if !inspectFlags.json {
			return sum.WriteText(out)
		}
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	},
}

func init() {
	inspectCmd.Flags().IntVarP(&inspectFlags.rows, "rows", "n", 3, "number of rows to show")
	inspectCmd.Flags().BoolVar(&inspectFlags.json, "json", false, "print JSON instead of text")
	inspectCmd.Flags().IntVar(&inspectFlags.width, "width", 200, "cut strings longer than this many characters (0: no cut)")
	rootCmd.AddCommand(inspectCmd)
}
