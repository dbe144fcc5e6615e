package stats

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the progress goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProgressLogLinesWhenNotATerminal(t *testing.T) {
	old := LogInterval
	LogInterval = 20 * time.Millisecond
	defer func() { LogInterval = old }()
	var out syncBuffer
	p := NewProgress(4, 4_000_000, false, &out)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.Docs(250)
			p.FileDone(1_000_000, 0)
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "files 4/4") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	p.Close()
	p.Close() // idempotent
	s := out.String()
	for _, want := range []string{"sieve: progress: files 4/4", "4.0 of 4.0 MB (100%)", "1000 documents", "docs/s", "MB/s", "ETA 0s"} {
		if !strings.Contains(s, want) {
			t.Errorf("progress output lacks %q:\n%s", want, s)
		}
	}
}

func TestProgressQuiet(t *testing.T) {
	var out syncBuffer
	old := LogInterval
	LogInterval = time.Millisecond
	defer func() { LogInterval = old }()
	p := NewProgress(1, 10, true, &out)
	p.Docs(5)
	p.FileDone(10, 0)
	time.Sleep(20 * time.Millisecond)
	p.Close()
	if out.String() != "" {
		t.Fatalf("quiet progress wrote %q", out.String())
	}
	var nilP *Progress
	nilP.Docs(1)
	nilP.FileDone(1, 1)
	nilP.Close()
}

func TestProgressLine(t *testing.T) {
	p := NewProgress(2, 0, true, nil)
	p.FileDone(0, 3)
	if l := p.Line(); !strings.HasPrefix(l, "files 1/2, 0.0 of 0.0 MB (100%), 3 documents") {
		t.Fatalf("line %q", l)
	}
}

// TestProgressBar drives the terminal bar (mpb) into a buffer: it draws
// the counts and Close returns.
func TestProgressBar(t *testing.T) {
	var out syncBuffer
	p := newProgress(2, 2_000_000, false, &out, true)
	p.Docs(10)
	p.FileDone(1_000_000, 0)
	p.FileDone(1_000_000, 5)
	done := make(chan struct{})
	go func() { p.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
	if s := out.String(); !strings.Contains(s, "files 2/2") || !strings.Contains(s, "100 %") {
		t.Fatalf("bar output:\n%q", s)
	}
}
