package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"sort"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sieve-data/sieve/pipelines"
	"github.com/sieve-data/sieve/runner"
	"github.com/sieve-data/sieve/stats"
	"github.com/sieve-data/sieve/storage"
)

// defaultInput is the real sample shipped in the repository, so that
// `sieve run -o out` works from a fresh clone.
const defaultInput = "testdata/sample"

var runFlags struct {
	pipeline  string
	workers   int
	out       string
	quiet     bool
	reference string
	tasks     int
	taskIndex int
	dryRun    bool
	workDir   string
	// allowDamaged: a task that read damaged input still succeeds. A batch
	// chain (Slurm afterok, an Indexed Job) must not stop a whole dump
	// because one WARC file was truncated; the damage is in the stats.
	allowDamaged bool
}

var runCmd = &cobra.Command{
	Use:   "run [flags] -o OUT [INPUT...]",
	Short: "Run a pipeline over WARC files or datasets and write shards, stats and a report",
	Long: `Run reads WARC files (.warc, .warc.gz, WET), keeps HTML 200 responses,
extracts their main text and applies the pipeline's steps; or reads
datasets of text (JSONL, Parquet, Arrow: the pipeline's reader, or by file
name) and applies every step but extract, carrying their other columns
through. INPUT are files, folders (walked recursively) or glob patterns;
without INPUT the real sample in ` + defaultInput + ` is used.

Outputs in OUT:
  shards/*.arrow          Arrow IPC shards (Hugging Face datasets.load_from_disk opens the folder),
                          or *.parquet, *.jsonl.gz with the pipeline's writer: {format: parquet|jsonl}
  stats.json              counts per step, drop reason, skip reason, language, domain
  report.html, report.md  the audit report (report.json holds the same numbers)
  removed/*               dropped documents with step and reason (pipeline writer.removed: true)

A killed run, started again with the same arguments, redoes only the input
files that had not finished and gives the same shards.

Scale-out: --tasks N --task-index I takes every N-th file of the sorted input
list starting at I (the index defaults from SLURM_ARRAY_TASK_ID minus
SLURM_ARRAY_TASK_MIN, or Kubernetes' JOB_COMPLETION_INDEX; the count from
SLURM_ARRAY_TASK_COUNT or SIEVE_TASKS). Shard names carry the input file's
index, so tasks never collide. A task writes OUT/completions/I when its
shards and stats are in place and is skipped when run again. With several
tasks the pipeline's dedup step is left to the staged 'sieve dedup' commands
(deploy/ chains them), and 'sieve finalize OUT' merges the tasks' stats into
one report and writes the Hugging Face metadata for OUT/shards.

` + exitStatusHelp,
	Example: `  sieve run -o out                                # the shipped sample, default pipeline
  sieve run --pipeline extract -o out crawl/*.warc.gz
  sieve run --pipeline my.yaml --workers 8 -o out /data/CC-MAIN-2024-22/
  sieve run --pipeline fineweb -o out --reference cc-languages.csv data/
  sieve run --tasks 100 --task-index 7 -o out 'crawl/*.warc.gz'   # one task of 100
  sieve run --tasks 100 --dry-run -o out 'crawl/*.warc.gz'        # print the split
  AWS_ENDPOINT_URL=http://127.0.0.1:9000 sieve run -o s3://bucket/out 's3://commoncrawl/crawl-data/CC-MAIN-2024-22/segments/*/warc/*.warc.gz'`,
	RunE: runRun,
}

func init() {
	f := runCmd.Flags()
	f.StringVarP(&runFlags.pipeline, "pipeline", "p", pipelines.Default, "shipped pipeline name ("+fmt.Sprint(pipelines.Names())+") or a YAML file")
	f.IntVarP(&runFlags.workers, "workers", "w", runtime.NumCPU(), "input files processed in parallel")
	f.StringVarP(&runFlags.out, "out", "o", "", "output folder (required)")
	f.BoolVarP(&runFlags.quiet, "quiet", "q", false, "no progress display")
	f.StringVar(&runFlags.reference, "reference", "", referenceHelp)
	f.IntVar(&runFlags.tasks, "tasks", -1, "number of tasks the input is split into (default from Slurm/SIEVE_TASKS, else 1)")
	f.IntVar(&runFlags.taskIndex, "task-index", -1, "this task's index, 0-based (default from Slurm/Kubernetes, else 0)")
	f.StringVar(&runFlags.workDir, "work-dir", "", "with an s3:// OUT: where each task keeps its local folder (one per OUT and task) before uploading (default: $SIEVE_WORK_DIR, else the temp folder); finished input files are resumed from S3 even without it")
	f.BoolVar(&runFlags.allowDamaged, "allow-damaged", false, "exit 0 when the run finished but some input was damaged (still counted in stats.json and summarised on stderr); for schedulers that chain jobs on success")
	f.BoolVar(&runFlags.dryRun, "dry-run", false, "print the split of the input over tasks (files and bytes per task) and exit")
	addProfileFlags(runCmd)
	rootCmd.AddCommand(runCmd)
}

func runRun(cmd *cobra.Command, args []string) error {
	if runFlags.out == "" {
		return usagef("-o OUT is required")
	}
	if runFlags.workers < 1 {
		return usagef("--workers must be at least 1")
	}
	cfg, err := runner.LoadConfig(runFlags.pipeline)
	if err != nil {
		return usageError{err}
	}
	if len(args) == 0 {
		if _, err := os.Stat(defaultInput); err != nil {
			return usagef("no INPUT given and the default sample %s is not here (run from the repository root, or name input files)", defaultInput)
		}
		args = []string{defaultInput}
	}
	inputs, err := runner.ExpandInputsFor(args, cfg.Reader.Type)
	if err != nil {
		return usageError{err}
	}
	if len(inputs) == 0 {
		return usagef("no input files in %v", args)
	}
	tasks, index, err := runner.TaskFromEnv(runFlags.tasks, runFlags.taskIndex, os.LookupEnv)
	if err != nil {
		return usageError{err}
	}
	if runFlags.dryRun {
		return printSplit(cmd.OutOrStdout(), inputs, tasks)
	}
	inputs = runner.TaskSlice(inputs, tasks, index)
	ref, err := stats.ResolveReference(runFlags.reference)
	if err != nil {
		return usageError{err}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	opts := runner.Options{Config: cfg, Inputs: inputs, OutDir: runFlags.out, Workers: runFlags.workers, Reference: ref,
		Tasks: tasks, TaskIndex: index, WorkDir: cmp.Or(runFlags.workDir, os.Getenv("SIEVE_WORK_DIR"))}
	if !runFlags.quiet {
		opts.Progress = os.Stderr
	}
	stopProfiles, err := startProfiles()
	if err != nil {
		return err
	}
	sum, err := runner.Run(ctx, opts)
	stopProfiles()
	if err != nil {
		return err
	}
	if sum.AlreadyComplete {
		fmt.Fprintf(os.Stderr, "sieve: task %d of %d was already complete (%s); nothing to do\n", index, tasks, sum.StatsPath)
	}
	printSummary(sum, runFlags.out)
	if sum.Damaged > 0 {
		printDamage(sum)
		if runFlags.allowDamaged {
			return nil
		}
		return errDamaged
	}
	return nil
}

func printSummary(sum *runner.Summary, out string) {
	secs := sum.Elapsed.Seconds()
	if secs <= 0 {
		secs = 1e-9
	}
	// The rates are in the units of bench/run and the README's sizing
	// table: HTML pages (200 responses that entered the pipeline) per
	// second and MB of (uncompressed) WARC per second; the file bytes read
	// are given beside them.
	in := sum.Stats.InputTotals()
	warcMB := float64(in.UncompressedBytes) / 1e6
	// Datasets (JSONL, Parquet, Arrow) count rows and lines, not records.
	pages, rate, warc := "HTML pages", "pages/s", "WARC"
	if dataset := in.RecordsByType["row"] + in.RecordsByType["line"]; dataset > 0 && dataset == in.Records-in.Skipped["line_too_long"] {
		pages, rate, warc = "dataset rows", "rows/s", "text"
	}
	fmt.Fprintf(os.Stderr, "sieve: %d documents written from %d %s in %d records (%.1f MB of %s, %.1f MB read)",
		sum.Documents, in.Documents, pages, in.Records, warcMB, warc, float64(sum.InputBytes)/1e6)
	if sum.AlreadyComplete || sum.SkippedDone > 0 || secs < 0.01 {
		// Rates over no time are noise (a complete task reads nothing),
		// and after a resume the counts include files read before.
		fmt.Fprintln(os.Stderr)
	} else {
		fmt.Fprintf(os.Stderr, " in %.2fs: %.0f %s, %.1f MB/s of %s\n", secs, float64(in.Documents)/secs, rate, warcMB/secs, warc)
	}
	if line := timeLine(sum.Stats.TimeRows()); line != "" && !sum.AlreadyComplete {
		fmt.Fprintln(os.Stderr, "sieve: time:", line)
	}
	if sum.SkippedDone > 0 {
		fmt.Fprintf(os.Stderr, "sieve: %d input files were already done by an earlier run and were not read again\n", sum.SkippedDone)
	}
	fmt.Fprintf(os.Stderr, "sieve: shards in %s, stats in %s", storage.Join(out, "shards"), sum.StatsPath)
	if sum.ReportDir != "" {
		fmt.Fprintf(os.Stderr, ", report in %s", storage.Join(sum.ReportDir, "report.html"))
	}
	fmt.Fprintln(os.Stderr)
}

// timeLine says where the run's time went, in shares of the measured
// time: the phases outside the steps, and the steps together with the
// three costliest named ("steps 70% (extract 25%, tokens 14%, langid
// 11%)"). The report's "Where the time went" table has every row.
func timeLine(rows []stats.TimeRow) string {
	var parts []string
	var steps []stats.TimeRow
	var stepShare float64
	stepsAt := -1 // the steps' place among the phases, in run order
	for _, r := range rows {
		if r.Step {
			if stepsAt < 0 {
				stepsAt = len(parts)
				parts = append(parts, "")
			}
			steps = append(steps, r)
			stepShare += r.Share
			continue
		}
		name, _, _ := strings.Cut(r.What, " (")
		parts = append(parts, fmt.Sprintf("%s %.0f%%", name, r.Share*100))
	}
	if stepsAt >= 0 {
		sort.SliceStable(steps, func(i, j int) bool { return steps[i].Share > steps[j].Share })
		var top []string
		for _, s := range steps[:min(3, len(steps))] {
			top = append(top, fmt.Sprintf("%s %.0f%%", s.What, s.Share*100))
		}
		parts[stepsAt] = fmt.Sprintf("steps %.0f%% (%s)", stepShare*100, strings.Join(top, ", "))
	}
	return strings.Join(parts, ", ")
}

// printSplit shows how the inputs fall into tasks, for sizing a job array.
func printSplit(w io.Writer, inputs []runner.InputFile, tasks int) error {
	fmt.Fprintf(w, "%d input files in %d tasks\n", len(inputs), tasks)
	fmt.Fprintf(w, "%6s %8s %14s\n", "task", "files", "bytes")
	for i := 0; i < tasks; i++ {
		var n int
		var b int64
		for _, f := range runner.TaskSlice(inputs, tasks, i) {
			n++
			b += f.Size
		}
		fmt.Fprintf(w, "%6d %8d %14d\n", i, n, b)
	}
	return nil
}

// printDamage is the stderr summary behind exit status 1: which files were
// damaged, where, and how.
func printDamage(sum *runner.Summary) {
	fmt.Fprintf(os.Stderr, "sieve: %d damaged places in the input (the readable records around them were kept):\n", sum.Damaged)
	shown := 0
	for _, f := range sum.Stats.Files {
		if f.DamagedCount == 0 {
			continue
		}
		if shown == 10 {
			fmt.Fprintf(os.Stderr, "  ... more files in %s (files section)\n", sum.StatsPath)
			break
		}
		shown++
		first := ""
		if len(f.Damaged) > 0 {
			first = fmt.Sprintf(": at byte %d: %s", f.Damaged[0].Offset, f.Damaged[0].Msg)
			if f.Damaged[0].Offset < 0 { // a dataset's row: the message names it
				first = ": " + f.Damaged[0].Msg
			}
		}
		fmt.Fprintf(os.Stderr, "  %s: %d damaged%s\n", f.Path, f.DamagedCount, first)
	}
}
