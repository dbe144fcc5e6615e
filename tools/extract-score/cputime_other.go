//go:build !unix

package main

import "time"

// processCPU is not measured here: rates print as n/a.
func processCPU() time.Duration { return 0 }
