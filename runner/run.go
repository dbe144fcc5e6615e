// Package runner assembles a pipeline from its YAML definition and runs it
// over WARC files: one streaming pass per input file, files spread over
// worker goroutines, each file's output written to its own shards so that
// a killed run resumes where it stopped and gives the same output.
package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sieve-data/sieve/dedup"
	"github.com/sieve-data/sieve/ingest/warc"
	"github.com/sieve-data/sieve/pipeline"
	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/stats"
	"github.com/sieve-data/sieve/storage"
)

// Options are the run's settings that do not belong to the pipeline.
type Options struct {
	Config  *Config
	Inputs  []InputFile // the files of this task (see TaskSlice)
	OutDir  string
	Workers int
	// TaskIndex names this task's outputs (stats, completion marker).
	TaskIndex int
	Tasks     int
	// WorkDir is where a run with an s3:// OutDir keeps its local folder,
	// one per OUT and task (sieve-<hash of OUT>-task<N>), before it uploads
	// its outputs (default: the system's temporary directory). Each finished
	// input file is also uploaded with its marker at once, so the per-file
	// resume holds even when the folder is lost between attempts.
	WorkDir string
	// Progress receives the live progress display; nil for none.
	Progress io.Writer
	// Reference is an optional language distribution for the report.
	Reference *stats.Reference
	// NoReport skips report.{json,md,html} (stats.json is always written).
	NoReport bool
}

// Summary is what a finished run reports.
type Summary struct {
	Stats       *stats.Collector
	Elapsed     time.Duration
	Documents   int64 // documents written
	InputBytes  int64
	Damaged     int64 // damaged places in the input
	ShardFiles  []string
	StatsPath   string
	ReportDir   string
	SkippedDone int // files found already done by an earlier, interrupted run
	// AlreadyComplete: the task's completion marker was there; nothing ran.
	AlreadyComplete bool

	export *finalFormat // for the completion marker, see completion.Export
}

// Layout of OUT:
//
//	shards/               final shards in the writer's format (+ Hugging Face
//	                      state.json, dataset_info.json for Arrow streams)
//	removed/              dropped documents with step and reason, when writer.removed
//	dedup/                dedup's removed.arrow
//	stats.json            this task's merged counters (stats-<task>.json with --tasks)
//	report.{json,md,html} the audit report
//	work/files/NNNNNN.json  per-input-file completion markers (resume)
//	work/stage1/          Arrow stage shards when the pipeline deduplicates or
//	                      writes Parquet or JSONL
//	work/dedup/           dedup's Arrow output when it is exported to Parquet
//	                      or JSONL (work/ is removed once the task has completed)
//	completions/NNNNN     written last: the task is complete
const (
	shardsDir      = "shards"
	removedDir     = "removed"
	workDir        = "work"
	completionsDir = "completions"
)

// completion is the content of OUT/completions/<task>.
type completion struct {
	Task      int      `json:"task"`
	Tasks     int      `json:"tasks"`
	Inputs    int      `json:"inputs"`
	Stats     string   `json:"stats"`
	Shards    []string `json:"shards"`
	Documents int64    `json:"documents"`
	// Export is the final format finalize writes the shards in, when the
	// task left that to it (see output.deferExport).
	Export *finalFormat `json:"export,omitempty"`
}

// CompletionPath is the marker a task writes when it is complete.
func CompletionPath(outDir string, task int) string {
	return filepath.Join(outDir, completionsDir, fmt.Sprintf("%05d", task))
}

// fileMarker is written atomically after an input file's shards are in
// place; a rerun skips the file and reuses the counters stored here.
type fileMarker struct {
	Path    string           `json:"path"`
	Size    int64            `json:"size"`
	Shards  []string         `json:"shards"`
	Removed []string         `json:"removed,omitempty"`
	Stats   *stats.Collector `json:"stats"`
}

// runHooks let a run with a remote OUT act at two moments of a local run.
type runHooks struct {
	// afterFile is called once an input file's shards and marker are in
	// place locally (also for a file found done already); it may be called
	// from several worker goroutines at once.
	afterFile func(markerPath string, m *fileMarker) error
	// beforeCompletion is called before the completion marker is written.
	beforeCompletion func(*Summary) error
}

// runLocal executes the pipeline over opts.Inputs with a local OUT.
func runLocal(ctx context.Context, opts Options, hooks runHooks) (*Summary, error) {
	start := time.Now()
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.Tasks < 1 {
		opts.Tasks = 1
	}
	statsName := "stats.json"
	if opts.Tasks > 1 {
		statsName = fmt.Sprintf("stats-%05d.json", opts.TaskIndex)
	}
	statsPath := filepath.Join(opts.OutDir, statsName)
	if sum, ok := completedTask(ctx, opts.OutDir, opts); ok {
		// Left over by a run killed after completing.
		removeWork(opts.OutDir, opts.Inputs)
		return sum, nil
	}
	plan, err := Build(opts.Config)
	if err != nil {
		return nil, err
	}
	defer plan.Close()
	startupSecs := time.Since(start).Seconds()
	stats.PreloadSiteCategories()
	out, err := newOutput(opts.Config.Writer)
	if err != nil {
		return nil, err
	}
	// With several tasks no task sees the whole corpus: near-duplicates are
	// removed by the staged `sieve dedup` commands over all tasks' shards,
	// which read Arrow and Parquet and write each shard in its input's
	// format. They do not read JSONL: a JSONL run writes Arrow shards and
	// leaves the export to finalize.
	if opts.Tasks > 1 && plan.Dedup != nil {
		if out.format == shard.FormatJSONL {
			out = out.deferExport()
		}
		plan.Dedup = nil
	}
	finalShards := filepath.Join(opts.OutDir, shardsDir)
	stage1 := finalShards
	if plan.Dedup != nil || out.exported() {
		stage1 = filepath.Join(opts.OutDir, workDir, "stage1")
	}
	markers := filepath.Join(opts.OutDir, workDir, "files")
	for _, d := range []string{stage1, finalShards, markers} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	var removed string
	if opts.Config.Writer.Removed {
		removed = filepath.Join(opts.OutDir, removedDir)
		if err := os.MkdirAll(removed, 0o755); err != nil {
			return nil, err
		}
	}

	var totalBytes int64
	for _, f := range opts.Inputs {
		totalBytes += f.Size
	}
	prog := stats.NewProgress(len(opts.Inputs), totalBytes, opts.Progress == nil, progressOut(opts.Progress))

	rs, err := newReaders(ctx, opts.Config, opts.Inputs, opts.WorkDir)
	if err != nil {
		return nil, err
	}
	// Signals a dataset holds already stay in the output beside the ones
	// the steps compute (a step's own value replaces the stored one).
	plan.SignalNames = unionSorted(plan.SignalNames, rs.signals)
	fr := &fileRunner{plan: plan, opts: opts, out: out, readers: rs, stage1: stage1, removedDir: removed, markers: markers, progress: prog,
		afterFile: hooks.afterFile}
	results, skipped, err := fr.all(ctx)
	prog.Close()
	if err != nil {
		return nil, err
	}

	total := stats.NewCollector(stats.DefaultConfig())
	var stageFiles []string
	for _, m := range results {
		total.Merge(m.Stats)
		stageFiles = append(stageFiles, m.Shards...)
	}
	sort.Strings(stageFiles)

	total.Time.StartupSecs += startupSecs
	shardFiles := stageFiles
	if plan.Dedup != nil {
		t0 := time.Now()
		shardFiles, err = runDedup(ctx, plan, opts.OutDir, stageFiles, total, out)
		if err != nil {
			return nil, err
		}
		total.Time.DedupSecs += time.Since(t0).Seconds()
	}
	t0 := time.Now()
	// Kept-document statistics are read from the final Arrow shards (or
	// while they are exported to the writer's format), so the report
	// describes exactly what was written, after dedup.
	var docs int64
	if out.exported() {
		shardFiles, docs, err = out.export(ctx, shardFiles, finalShards, total)
	} else {
		docs, err = observeShards(shardFiles, total, opts.Workers)
	}
	if err != nil {
		return nil, err
	}
	total.Time.StatsSecs += time.Since(t0).Seconds()
	schema, err := shard.WithExtra(shard.Schema(plan.SignalNames, false), rs.extra)
	if err != nil {
		return nil, err
	}
	if plan.Dedup != nil {
		schema = dedup.OutputSchema(schema)
	}
	// Hugging Face datasets reads the stream format only from .arrow
	// files; file-format shards are for pyarrow.feather, polars and
	// DuckDB, Parquet and JSONL for everything, which need no metadata.
	if opts.Tasks == 1 && out.format == shard.FormatStream {
		if err := writeDatasetMetadata(finalShards, shardFiles, schema); err != nil {
			return nil, err
		}
	}

	sum := &Summary{Stats: total, Elapsed: time.Since(start), Documents: docs, InputBytes: totalBytes,
		ShardFiles: shardFiles, SkippedDone: skipped, export: out.exportFormat()}
	sum.Damaged = total.DamagedCount()
	total.SetRun(stats.RunInfo{
		Pipeline:    opts.Config.Name,
		Inputs:      len(opts.Inputs),
		InputBytes:  totalBytes,
		Workers:     opts.Workers,
		Task:        opts.TaskIndex,
		Tasks:       max(opts.Tasks, 1),
		ElapsedSecs: sum.Elapsed.Seconds(),
		Documents:   docs,
	})
	sum.StatsPath = statsPath
	if err := total.Save(sum.StatsPath); err != nil {
		return nil, err
	}
	if !opts.NoReport && opts.Tasks == 1 {
		sum.ReportDir = opts.OutDir
		if err := stats.WriteReport(opts.OutDir, total, opts.Reference); err != nil {
			return nil, fmt.Errorf("writing report: %w", err)
		}
	}
	if hooks.beforeCompletion != nil {
		if err := hooks.beforeCompletion(sum); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(filepath.Join(opts.OutDir, completionsDir), 0o755); err != nil {
		return nil, err
	}
	c := completion{Task: opts.TaskIndex, Tasks: opts.Tasks, Inputs: len(opts.Inputs), Stats: statsPath,
		Shards: shardFiles, Documents: docs, Export: out.exportFormat()}
	if err := writeJSONAtomic(CompletionPath(opts.OutDir, opts.TaskIndex), c); err != nil {
		return nil, err
	}
	removeWork(opts.OutDir, opts.Inputs)
	return sum, nil
}

// removeWork removes what only resuming needed once the task's completion
// marker is written: the pre-dedup shards and the per-file markers of
// this task's inputs (other tasks sharing OUT keep theirs), then the work
// folders if nothing else is left in them. Best effort: a leftover is
// clutter, never wrong, because the completion marker is checked first.
func removeWork(outDir string, inputs []InputFile) {
	work := filepath.Join(outDir, workDir)
	os.RemoveAll(filepath.Join(work, "stage1"))
	os.RemoveAll(filepath.Join(work, "dedup"))
	for _, f := range inputs {
		os.Remove(filepath.Join(work, "files", markerName(f)))
	}
	os.Remove(filepath.Join(work, "files")) // only if empty
	os.Remove(work)
}

func progressOut(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// fileRunner processes one input file end to end.
type fileRunner struct {
	plan       *Plan
	opts       Options
	out        output
	readers    *readers
	stage1     string
	removedDir string
	markers    string
	progress   *stats.Progress
	afterFile  func(markerPath string, m *fileMarker) error // optional, see runHooks
}

// all processes every input file on opts.Workers goroutines and returns
// the files' markers in input order, and how many were done already.
func (fr *fileRunner) all(ctx context.Context) ([]*fileMarker, int, error) {
	inputs := fr.opts.Inputs
	results := make([]*fileMarker, len(inputs))
	var firstErr error
	var mu sync.Mutex
	jobs := make(chan int)
	var wg sync.WaitGroup
	skipped := 0
	for w := 0; w < fr.opts.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				m, reused, err := fr.file(ctx, inputs[i])
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if reused {
					skipped++
				}
				results[i] = m
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range inputs {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, 0, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	return results, skipped, nil
}

func (fr *fileRunner) markerPath(f InputFile) string {
	return filepath.Join(fr.markers, markerName(f))
}

// markerName is the name of an input file's marker in work/files.
func markerName(f InputFile) string { return fmt.Sprintf("%06d.json", f.Index) }

func (fr *fileRunner) file(ctx context.Context, f InputFile) (*fileMarker, bool, error) {
	prefix := fmt.Sprintf("%06d", f.Index)
	if m, err := readMarker(fr.markerPath(f)); err == nil && m.Path == f.Path && m.Size == f.Size && filesExist(m.Shards) && filesExist(m.Removed) {
		if fr.afterFile != nil {
			if err := fr.afterFile(fr.markerPath(f), m); err != nil {
				return nil, false, err
			}
		}
		fr.progress.FileDone(f.Size, 0)
		return m, true, nil
	}
	// Whatever an interrupted attempt left for this file is removed first,
	// so the retry writes the same shards an uninterrupted run would.
	for _, dir := range []string{fr.stage1, fr.removedDir} {
		if dir != "" {
			removeWithPrefix(dir, prefix+"-")
		}
	}

	col := stats.NewCollector(stats.DefaultConfig())
	w, err := shard.NewWriter(fr.out.stageOptions(fr.stage1, prefix, fr.plan.SignalNames, fr.readers.extra))
	if err != nil {
		return nil, false, err
	}
	var rw *shard.Writer
	if fr.removedDir != "" {
		rw, err = shard.NewWriter(fr.out.removedOptions(fr.removedDir, prefix, fr.plan.SignalNames, fr.readers.extra))
		if err != nil {
			w.Abort()
			return nil, false, err
		}
	}
	abort := func(err error) (*fileMarker, bool, error) {
		w.Abort()
		if rw != nil {
			rw.Abort()
		}
		return nil, false, err
	}

	chain := pipeline.NewChain(fr.plan.Steps)
	chain.IDs = fr.plan.StepNames
	var writeErr error
	chain.OnDrop = func(step, reason string, d *pipeline.Document) {
		col.ObserveDropped(step, reason, d)
		if rw != nil && writeErr == nil {
			writeErr = rw.WriteRemoved(d, step, reason)
		}
	}

	src, err := fr.readers.open(ctx, f.Path)
	if err != nil {
		// An unreadable file does not stop the others: it is counted as
		// damaged input and reported.
		col.AddFile(stats.FileStats{Path: f.Path, CompressedBytes: f.Size, DamagedCount: 1,
			Damaged: []warc.Damage{{Offset: 0, Msg: err.Error()}}})
		return fr.finish(f, col, w, rw, chain)
	}
	defer src.Close()
	var docs int64
	// Where the time goes outside the steps (the chain times those):
	// reading and writing, a clock reading around each (~40 ns of ~1 ms
	// a document).
	var readTime, writeTime time.Duration
	// Documents go through the steps after extraction a batch at a time
	// (pipeline.Batch: each step's tables stay in the CPU caches), with
	// the same results as one at a time.
	batch := chain.NewBatch(batchDocs, batchTextBytes)
	done := func(d *pipeline.Document, kept bool) error {
		if kept {
			col.ObservePassed(d)
			t1 := time.Now()
			err := w.Write(d)
			writeTime += time.Since(t1)
			if err != nil {
				return err
			}
		}
		return writeErr
	}
	for {
		if err := ctx.Err(); err != nil {
			return abort(err)
		}
		t0 := time.Now()
		d, err := src.Next()
		readTime += time.Since(t0)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return abort(fmt.Errorf("%s: %w", f.Path, err))
		}
		if batch.Add(d) {
			if err := batch.Flush(done); err != nil {
				return abort(err)
			}
		}
		docs++
		if docs%256 == 0 {
			fr.progress.Docs(256)
		}
	}
	if err := batch.Flush(done); err != nil {
		return abort(err)
	}
	fr.progress.Docs(docs % 256)
	col.Time.ReadSecs += readTime.Seconds()
	col.Time.WriteSecs += writeTime.Seconds()
	col.AddFile(*src.Stats())
	return fr.finish(f, col, w, rw, chain)
}

// A file runner's batch of documents (pipeline.Batch): enough documents
// for a step's tables to stay in the caches across them, and a bound on the
// text it holds. Each document in flight holds a word analysis (the
// filters' pool keeps up to 64 Ki tokens, a few MB, per analysis), so the
// batch is small: on the docs corpus 16 documents save 4-5% of the CPU
// (64 save 6%, for ~130 MB more peak memory per worker at 200 MB), and a
// few long pages end it early (512 KB of text: on the cc corpus the peak
// heap stays at or below the unbatched one's, 130-201 MiB from 100 to
// 500 MB of input against 157-215).
const (
	batchDocs      = 16
	batchTextBytes = 512 << 10
)

func (fr *fileRunner) finish(f InputFile, col *stats.Collector, w, rw *shard.Writer, chain *pipeline.Chain) (*fileMarker, bool, error) {
	col.AddSteps(fr.plan.StepNames, chain.Metrics)
	t0 := time.Now()
	files, err := w.Close()
	col.Time.WriteSecs += time.Since(t0).Seconds()
	if err != nil {
		if rw != nil {
			rw.Abort()
		}
		return nil, false, err
	}
	m := &fileMarker{Path: f.Path, Size: f.Size, Shards: files, Stats: col}
	if rw != nil {
		if m.Removed, err = rw.Close(); err != nil {
			return nil, false, err
		}
	}
	if err := writeJSONAtomic(fr.markerPath(f), m); err != nil {
		return nil, false, err
	}
	if fr.afterFile != nil {
		if err := fr.afterFile(fr.markerPath(f), m); err != nil {
			return nil, false, err
		}
	}
	fr.progress.FileDone(f.Size, 0)
	return m, false, nil
}

func runDedup(ctx context.Context, plan *Plan, outDir string, stageFiles []string, total *stats.Collector, out output) ([]string, error) {
	final := filepath.Join(outDir, shardsDir)
	removeWithPrefix(final, "")
	cfg := *plan.Dedup
	cfg.Output = out.dedupOutput(outDir)
	if cfg.Output.Dir != "" {
		removeWithPrefix(cfg.Output.Dir, "")
	}
	res, err := dedup.DedupShards(ctx, stageFiles, outDir, cfg)
	if err != nil {
		return nil, fmt.Errorf("dedup: %w", err)
	}
	total.AddDedup(stats.DedupStats{DocsIn: res.Stats.Documents, Removed: res.Stats.RemovedBy})
	return res.Shards, nil
}

// observeShards counts the kept documents of the shard files into col,
// in file order. Measuring the texts, the costly part, runs on up to
// workers goroutines, a file each, a few files ahead of the counting: this
// pass runs alone after the main one, and in order the statistics are the
// same however many measure (the top-k tables depend on the order).
func observeShards(files []string, col *stats.Collector, workers int) (int64, error) {
	ahead := min(max(workers, 1), len(files))
	results := make([]chan measuredShard, len(files))
	start := func(i int) {
		results[i] = make(chan measuredShard, 1) // a goroutine never waits to hand over
		go func() { results[i] <- measureShard(files[i]) }()
	}
	for i := 0; i < ahead; i++ {
		start(i)
	}
	var n int64
	for i := range files {
		m := <-results[i]
		if i+ahead < len(files) {
			start(i + ahead)
		}
		if m.err != nil {
			return n, m.err
		}
		m.observe(col)
		n += m.rows
	}
	return n, nil
}

// measuredShard is a shard's kept documents, their texts measured and
// dropped (so a few files in flight hold little memory), and the sizes of
// the duplicate clusters they stand for.
type measuredShard struct {
	docs     []pipeline.Document
	text     []stats.KeptText
	clusters []int64
	rows     int64
	err      error
}

func measureShard(p string) (m measuredShard) {
	r, err := shard.Open(p)
	if err != nil {
		m.err = err
		return m
	}
	defer r.Close()
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return m
		}
		if err == nil {
			err = m.add(rec)
		}
		if err != nil {
			m.err = fmt.Errorf("%s: %w", p, err)
			return m
		}
		m.rows += rec.NumRows()
	}
}

func (m *measuredShard) add(rec arrow.RecordBatch) error {
	docs, err := shard.DocumentsFrom(rec)
	if err != nil {
		return err
	}
	for i := range docs {
		m.text = append(m.text, stats.MeasureKept(docs[i].Text))
		docs[i].Text = ""
	}
	m.docs = append(m.docs, docs...)
	m.clusters = appendClusterSizes(m.clusters, rec)
	return nil
}

// observe counts the measured documents into col, in their order.
func (m *measuredShard) observe(col *stats.Collector) {
	for k := range m.docs {
		col.ObserveKeptText(&m.docs[k], m.text[k])
	}
	// After dedup every kept document stands for its cluster.
	for _, size := range m.clusters {
		col.ObserveClusterSize(size)
	}
}

// appendClusterSizes appends the batch's duplicate cluster sizes (the
// column dedup adds), if it has them.
func appendClusterSizes(dst []int64, rec arrow.RecordBatch) []int64 {
	if idx := rec.Schema().FieldIndices(dedup.ColClusterSize); len(idx) == 1 {
		if sizes, ok := rec.Column(idx[0]).(*array.Int32); ok {
			for i := 0; i < sizes.Len(); i++ {
				dst = append(dst, int64(sizes.Value(i)))
			}
		}
	}
	return dst
}

// observeBatch counts a batch of kept documents into col.
func observeBatch(rec arrow.RecordBatch, col *stats.Collector) error {
	var m measuredShard
	if err := m.add(rec); err != nil {
		return err
	}
	m.observe(col)
	return nil
}

func writeDatasetMetadata(dir string, files []string, schema *arrow.Schema) error {
	rel := make([]string, len(files))
	for i, f := range files {
		rel[i] = filepath.Base(f)
	}
	return shard.WriteDatasetMetadata(dir, rel, schema)
}

func readMarker(path string) (*fileMarker, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m fileMarker
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if m.Stats == nil {
		return nil, fmt.Errorf("%s: no stats", path)
	}
	return &m, nil
}

func filesExist(paths []string) bool {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	return true
}

// removeWithPrefix deletes files in dir whose names start with prefix
// (all files when prefix is empty), including temporary ones.
func removeWithPrefix(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasPrefix(e.Name(), prefix) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// writeJSONAtomic writes v as JSON to path through storage.WriteFile
// (temporary file, fsync, rename), so a reader never sees a half-written
// marker.
func writeJSONAtomic(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return storage.WriteFile(context.Background(), path, b)
}

// unionSorted returns the sorted union of a and b without duplicates.
func unionSorted(a, b []string) []string {
	out := append(append([]string(nil), a...), b...)
	sort.Strings(out)
	return slices.Compact(out)
}
