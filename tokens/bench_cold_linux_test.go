package tokens

import (
	"runtime"
	"syscall"
	"testing"
	"unsafe"
)

// BenchmarkCountMixCold is BenchmarkCountMix with the caches cold, as in a
// pipeline run: between two documents the other steps (extraction,
// language id, the filters) read megabytes of their own and evict the
// counter's tables from the core's caches and TLB. A sweep over 6 MB
// stands in for them between documents, and only the counting is timed,
// by the thread's CPU clock (the sweep is not counted). Each pass starts
// with empty piece caches, as a run does. Reports µs of CPU per KB of
// text; compare with BenchmarkCountMix, which repeats warm.
func BenchmarkCountMixCold(b *testing.B) {
	countCold(b, mixTexts(b, 2000))
}

// countCold counts texts as BenchmarkCountMixCold describes and reports
// µs of CPU per KB and CPU seconds a pass over texts.
func countCold(b *testing.B, texts []string) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	shared := counter(b)
	var size int64
	for _, s := range texts {
		size += int64(len(s))
	}
	sweep := make([]byte, 6<<20)
	var sink byte
	b.ResetTimer()
	var cpu, n int64
	for i := 0; i < b.N; i++ {
		c := &Counter{encoding: shared.encoding, tokens: shared.tokens, pairs: shared.pairs}
		c.scratch.New = func() any { return &scratch{cache: newPieceCache()} }
		for _, s := range texts {
			for j := 0; j < len(sweep); j += 64 {
				sink ^= sweep[j]
				sweep[j] = sink
			}
			t0 := threadCPU()
			c.Count(s)
			cpu += threadCPU() - t0
		}
		n += size
	}
	b.ReportMetric(float64(cpu)/1e3/(float64(n)/1e3), "cpu-µs/KB")
	b.ReportMetric(float64(cpu)/1e9/float64(b.N), "cpu-s/pass")
}

// threadCPU is the calling thread's CPU time in ns (CLOCK_THREAD_CPUTIME_ID).
func threadCPU() int64 {
	var ts syscall.Timespec
	const clockThreadCPUTimeID = 3
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}
