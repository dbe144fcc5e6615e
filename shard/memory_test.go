package shard

import (
	"runtime"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/pipeline"
)

// TestWriterMemoryIsBounded writes 40 MB of text and checks that the heap
// stays near one record batch, not the input size.
func TestWriterMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 40 MB")
	}
	text := strings.Repeat("Ordinary web text, repeated to five kilobytes. ", 105)
	w, err := NewWriter(WriterOptions{Dir: t.TempDir(), Prefix: "m", BatchRows: 256, MaxBytes: 16 << 20})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak uint64
	for i := range 8000 {
		d := pipeline.Document{ID: "x", Text: text, TokenCount: -1}
		if err := w.Write(&d); err != nil {
			t.Fatal(err)
		}
		if i%500 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	files, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Errorf("40 MB at MaxBytes=16MiB gave %d shards", len(files))
	}
	if grown := int64(peak) - int64(base); grown > 24<<20 {
		t.Errorf("heap grew by %d MB while writing 40 MB", grown>>20)
	}
}
