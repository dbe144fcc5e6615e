package langid

import (
	"runtime"
	"testing"
)

// TestModelMemory builds every table and reports (and bounds) the memory
// they hold: the budget for the detector is 1 GB.
func TestModelMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds all n-gram tables")
	}
	if _, err := tablesUpTo(maxNgram); err != nil {
		t.Fatal(err)
	}
	var total int64
	for n := 1; n <= maxNgram; n++ {
		tab := models.tables[n]
		t.Logf("%d-grams: %d keys in %d slots, %d entries, %.1f MB", n, countKeys(tab), len(tab.keys), len(tab.langs), float64(tab.bytes())/1e6)
		total += tab.bytes()
	}
	for n := 2; n <= 3; n++ {
		tab := models.backoff[n]
		t.Logf("%d-gram back-off entries: %d, %.1f MB", n, len(tab.langs), float64(int64(len(tab.langs))*5+int64(len(tab.start))*4)/1e6)
		total += int64(len(tab.langs))*5 + int64(len(tab.start))*4
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("tables %.0f MB; heap in use after GC %.0f MB; skipped model n-grams %d", float64(total)/1e6, float64(ms.HeapInuse)/1e6, models.skipped.Load())
	if total > 1<<30 {
		t.Errorf("tables hold %d bytes, over the 1 GB budget", total)
	}
}

func countKeys(t *ngramTable) int {
	n := 0
	for _, k := range t.keys {
		if k != 0 {
			n++
		}
	}
	return n
}
