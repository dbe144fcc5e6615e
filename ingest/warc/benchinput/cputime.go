package benchinput

import (
	"syscall"
	"time"
)

// CPUTime returns the user+system CPU time of this process so far. The
// benchmark machine is shared, so wall-clock MB/s swing with the load;
// MB per CPU-second is the steadier figure to compare readers by.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
