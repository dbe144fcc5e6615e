package stats

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
)

// LogInterval is how often Progress writes a line when its output is not
// a terminal.
var LogInterval = 10 * time.Second

// Progress shows how a run advances: files done of total, documents/s,
// MB/s and the time left. On a terminal it draws a live bar (mpb); on any
// other writer (a log file, CI) it writes a plain line every LogInterval.
// All methods are safe for concurrent use; a nil *Progress does nothing.
type Progress struct {
	totalFiles int
	totalBytes int64
	start      time.Time
	files      atomic.Int64
	bytes      atomic.Int64
	docs       atomic.Int64

	out   io.Writer
	bars  *mpb.Progress
	bar   *mpb.Bar
	stop  chan struct{}
	done  sync.WaitGroup
	close sync.Once
}

// NewProgress starts a progress display for totalFiles files of totalBytes
// bytes on out. quiet (or a nil out) shows nothing.
func NewProgress(totalFiles int, totalBytes int64, quiet bool, out io.Writer) *Progress {
	f, ok := out.(*os.File)
	return newProgress(totalFiles, totalBytes, quiet, out, ok && term.IsTerminal(int(f.Fd())))
}

func newProgress(totalFiles int, totalBytes int64, quiet bool, out io.Writer, bar bool) *Progress {
	p := &Progress{totalFiles: totalFiles, totalBytes: totalBytes, start: time.Now(), out: out, stop: make(chan struct{})}
	if quiet || out == nil {
		return p
	}
	if bar {
		p.bars = mpb.New(mpb.WithOutput(out), mpb.WithWidth(40), mpb.WithRefreshRate(250*time.Millisecond), mpb.WithAutoRefresh())
		p.bar = p.bars.AddBar(max(totalBytes, 1),
			mpb.PrependDecorators(decor.Any(func(decor.Statistics) string {
				return fmt.Sprintf("files %d/%d", p.files.Load(), p.totalFiles)
			}, decor.WCSyncSpaceR)),
			mpb.AppendDecorators(
				decor.Percentage(decor.WCSyncSpace),
				decor.Any(func(decor.Statistics) string { return " " + p.rates() }),
			),
		)
		return p
	}
	p.done.Add(1)
	go p.logLoop()
	return p
}

// FileDone records a finished input file of the given size, and docs
// documents if they were not already counted with Docs.
func (p *Progress) FileDone(bytes int64, docs int64) {
	if p == nil {
		return
	}
	p.files.Add(1)
	p.bytes.Add(bytes)
	p.docs.Add(docs)
	if p.bar != nil {
		p.bar.IncrInt64(bytes)
	}
}

// Docs records n more documents read.
func (p *Progress) Docs(n int64) {
	if p == nil {
		return
	}
	p.docs.Add(n)
}

// Close stops the display; the bar is drawn complete.
func (p *Progress) Close() {
	if p == nil {
		return
	}
	p.close.Do(func() {
		close(p.stop)
		p.done.Wait()
		if p.bar != nil {
			p.bar.SetTotal(-1, true)
			p.bars.Wait()
		}
	})
}

// Line is the progress as one line of text.
func (p *Progress) Line() string {
	pct := 100.0
	if p.totalBytes > 0 {
		pct = float64(p.bytes.Load()) * 100 / float64(p.totalBytes)
	}
	return fmt.Sprintf("files %d/%d, %.1f of %.1f MB (%.0f%%), %d documents, %s",
		p.files.Load(), p.totalFiles, float64(p.bytes.Load())/1e6, float64(p.totalBytes)/1e6, pct, p.docs.Load(), p.rates())
}

func (p *Progress) rates() string {
	secs := time.Since(p.start).Seconds()
	if secs <= 0 {
		secs = 1e-9
	}
	done := p.bytes.Load()
	eta := "ETA ?"
	if done > 0 && p.totalBytes >= done {
		left := time.Duration(float64(p.totalBytes-done) / float64(done) * secs * float64(time.Second))
		eta = "ETA " + left.Round(time.Second).String()
	}
	return fmt.Sprintf("%.0f docs/s, %.1f MB/s, %s", float64(p.docs.Load())/secs, float64(done)/1e6/secs, eta)
}

func (p *Progress) logLoop() {
	defer p.done.Done()
	t := time.NewTicker(LogInterval)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			fmt.Fprintf(p.out, "sieve: progress: %s\n", p.Line())
		}
	}
}
