package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"

	"github.com/spf13/cobra"
)

// Profiling switches of `sieve run`: what to measure before optimising.
var profileFlags struct {
	cpu, mem, trace string
}

func addProfileFlags(c *cobra.Command) {
	f := c.Flags()
	f.StringVar(&profileFlags.cpu, "cpuprofile", "", "write a CPU profile (go tool pprof) to this file")
	f.StringVar(&profileFlags.mem, "memprofile", "", "write a heap profile at the end of the run to this file")
	f.StringVar(&profileFlags.trace, "trace", "", "write an execution trace (go tool trace) to this file")
}

// startProfiles starts the requested profiles; the returned function stops
// them and writes the heap profile.
func startProfiles() (stop func(), err error) {
	var stops []func()
	stopAll := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	if profileFlags.cpu != "" {
		f, err := os.Create(profileFlags.cpu)
		if err != nil {
			return nil, usageError{err}
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, err
		}
		stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
	}
	if profileFlags.trace != "" {
		f, err := os.Create(profileFlags.trace)
		if err != nil {
			stopAll()
			return nil, usageError{err}
		}
		if err := trace.Start(f); err != nil {
			f.Close()
			stopAll()
			return nil, err
		}
		stops = append(stops, func() { trace.Stop(); f.Close() })
	}
	if profileFlags.mem != "" {
		path := profileFlags.mem
		stops = append(stops, func() {
			f, err := os.Create(path)
			if err != nil {
				fmt.Fprintln(os.Stderr, "sieve: memprofile:", err)
				return
			}
			runtime.GC()
			if err := pprof.WriteHeapProfile(f); err != nil {
				fmt.Fprintln(os.Stderr, "sieve: memprofile:", err)
			}
			f.Close()
		})
	}
	return stopAll, nil
}
