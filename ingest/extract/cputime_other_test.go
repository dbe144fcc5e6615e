//go:build !unix

package extract

// processCPUSeconds is not measured here: the per CPU-second metrics are
// left out.
func processCPUSeconds() float64 { return 0 }
