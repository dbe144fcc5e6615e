package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/sieve-data/sieve/dedup"
	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/stats"
)

// output is the run's writer: the final format and compression, and how
// the stages before it are written. Arrow is the stage format: the steps'
// shards, dedup's input and output are Arrow IPC; an Arrow writer format
// writes them in place (with its compression, after dedup too), a
// Parquet or JSONL one is exported from them at the end, while the kept
// documents are counted for the report.
type output struct {
	cfg         WriterConfig
	format      shard.Format
	deferred    bool // see deferExport
	compression string
}

func newOutput(c WriterConfig) (output, error) {
	f, comp, err := c.format()
	if err != nil {
		return output{}, fmt.Errorf("writer: %w", err)
	}
	return output{cfg: c, format: f, compression: comp}, nil
}

// exported reports a final format written from Arrow stage shards by
// the run itself (not when the export is deferred to finalize).
func (o output) exported() bool {
	return !o.deferred && o.format != shard.FormatStream && o.format != shard.FormatFile
}

// deferExport makes a task of a run split into tasks with a dedup step
// write Arrow stream shards for the staged `sieve dedup` commands, which
// do not read JSONL; finalize exports the survivors to the final format
// that the completion marker names (exportFormat). removed/ is written
// in the final format still.
func (o output) deferExport() output {
	o.deferred = true
	return o
}

// exportFormat is the final format a task leaves to finalize, nil when
// its shards are final.
func (o output) exportFormat() *finalFormat {
	if !o.deferred {
		return nil
	}
	return &finalFormat{Format: o.format, Compression: o.compression}
}

// finalFormat is the writer a completion marker asks finalize to export to.
type finalFormat struct {
	Format      shard.Format `json:"format"`
	Compression string       `json:"compression,omitempty"`
}

func (o output) container() shard.ContainerOptions {
	return shard.ContainerOptions{RowGroupBytes: o.cfg.RowGroupBytes}
}

// stageOptions configure the writer of one input file's kept documents:
// the final shards themselves for an Arrow format without dedup.
func (o output) stageOptions(dir, prefix string, signals []string, extra []arrow.Field) shard.WriterOptions {
	opts := shard.WriterOptions{Dir: dir, Prefix: prefix, MaxBytes: o.cfg.MaxShardBytes, SignalNames: signals, Extra: extra}
	if o.deferred {
		opts.Format = shard.FormatStream
	} else if !o.exported() {
		opts.Format, opts.Compression = o.format, o.compression
	}
	return opts
}

// removedOptions configure the writer of removed/: the final format.
func (o output) removedOptions(dir, prefix string, signals []string, extra []arrow.Field) shard.WriterOptions {
	return shard.WriterOptions{Dir: dir, Prefix: prefix, Format: o.format, Compression: o.compression,
		MaxBytes: o.cfg.MaxShardBytes, SignalNames: signals, Removed: true, Container: o.container(), Extra: extra}
}

// dedupOutput is where and how dedup writes the survivors: OUT/shards in
// the final Arrow format, or Arrow streams under work/ to export from.
func (o output) dedupOutput(outDir string) dedup.Output {
	if o.exported() {
		return dedup.Output{Dir: filepath.Join(outDir, workDir, "dedup"), Format: shard.FormatStream}
	}
	return dedup.Output{Format: o.format, Compression: o.compression}
}

// export writes every Arrow shard of files to dir in the final format,
// under the same name with the format's suffix, observing the kept
// documents into col; it returns the new paths and the rows written.
func (o output) export(ctx context.Context, files []string, dir string, col *stats.Collector) ([]string, int64, error) {
	// What an earlier attempt left of this task's shards goes first; other
	// tasks sharing OUT/shards keep theirs (names start with the input's
	// index).
	for _, p := range files {
		if idx, _, ok := strings.Cut(filepath.Base(p), "-"); ok {
			removeWithPrefix(dir, idx+"-")
		}
	}
	var out []string
	var rows int64
	for _, p := range files {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		dst := filepath.Join(dir, strings.TrimSuffix(filepath.Base(p), ".arrow")+shard.Suffix(o.format, o.compression))
		n, err := o.exportOne(p, dst, col)
		if err != nil {
			return nil, 0, err
		}
		rows += n
		out = append(out, dst)
	}
	return out, rows, nil
}

func (o output) exportOne(src, dst string, col *stats.Collector) (int64, error) {
	r, err := shard.Open(src)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	w, err := shard.CreateRecordWriter(dst, r.Schema(), o.format, o.compression)
	if err != nil {
		return 0, err
	}
	var n int64
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil {
			err = observeBatch(rec, col)
		}
		if err == nil {
			err = w.Write(rec)
		}
		if err != nil {
			w.Abort()
			return 0, fmt.Errorf("%s: %w", src, err)
		}
		n += rec.NumRows()
	}
	return n, w.Close()
}
