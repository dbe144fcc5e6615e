package runner

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sieve-data/sieve/ingest"
	"github.com/sieve-data/sieve/stats"
	"github.com/sieve-data/sieve/storage"
)

// readers opens a run's input files with the configured reader (or the
// one their extension names). The dataset readers' carried-through
// columns are fixed for the run from its first dataset input, so every
// shard has one schema.
type readers struct {
	cfg     ReaderConfig
	extra   []arrow.Field
	signals []string // quality signals the datasets hold already
	workDir string   // where remote datasets are copied to be read
}

func newReaders(ctx context.Context, c *Config, inputs []InputFile, workDir string) (*readers, error) {
	r := &readers{cfg: c.Reader, workDir: workDir}
	for _, f := range inputs {
		typ := r.typeOf(f.Path)
		if !ingest.IsTable(typ) {
			continue
		}
		if c.hasStep("extract") {
			return nil, fmt.Errorf("%s is read as %s, which gives text, not HTML: remove the extract step (it needs a warc or wet reader)", f.Path, typ)
		}
		if r.extra != nil {
			continue
		}
		local, done, err := r.local(ctx, f.Path)
		if err != nil {
			return nil, err
		}
		r.extra, r.signals, err = ingest.DetectExtra(typ, local, c.Reader.Fields)
		done()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		if r.extra == nil {
			r.extra = []arrow.Field{}
		}
	}
	return r, nil
}

func (r *readers) typeOf(path string) string {
	if r.cfg.Type != "" {
		return r.cfg.Type
	}
	return ingest.TypeOf(path)
}

// local returns a local path for loc: loc itself, or a copy of a remote
// dataset (Parquet is read by offsets, from the end); done removes it.
func (r *readers) local(ctx context.Context, loc string) (string, func(), error) {
	return storage.LocalCopy(ctx, loc, r.workDir)
}

// open opens one input file, local or s3://.
func (r *readers) open(ctx context.Context, loc string) (ingest.Reader, error) {
	typ := r.typeOf(loc)
	if ingest.IsTable(typ) {
		local, done, err := r.local(ctx, loc)
		if err != nil {
			return nil, err
		}
		src, err := ingest.OpenTable(typ, local, ingest.TableOptions{Fields: r.cfg.Fields, Extra: r.extra})
		if err != nil {
			done()
			return nil, err
		}
		return &closing{Reader: src, path: loc, done: done}, nil
	}
	// The file runner is done with each document before it reads the
	// next, and the extract step drops HTML: the pages need no copy.
	opts := ingest.Options{MaxPayload: r.cfg.MaxPayloadBytes, BorrowHTML: true}
	if !storage.IsRemote(loc) {
		return ingest.Open(loc, opts)
	}
	rc, err := storage.Open(ctx, loc)
	if err != nil {
		return nil, err
	}
	s, err := ingest.NewSource(rc, loc, opts)
	if err != nil {
		rc.Close()
		return nil, err
	}
	return &closing{Reader: s, body: rc}, nil
}

// closing is a reader that also closes the object stream it reads, or
// removes the local copy it reads, and reports the input's own path.
type closing struct {
	ingest.Reader
	path string
	body io.Closer
	done func()
}

func (c *closing) Stats() *stats.FileStats {
	s := c.Reader.Stats()
	if c.path != "" {
		s.Path = c.path
	}
	return s
}

func (c *closing) Close() error {
	err := c.Reader.Close()
	if c.body != nil {
		if cerr := c.body.Close(); err == nil {
			err = cerr
		}
	}
	if c.done != nil {
		c.done()
	}
	return err
}
