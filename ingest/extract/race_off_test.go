//go:build !race

package extract

// raceSlowdown scales time bounds in tests: the race detector makes code
// several times slower.
const raceSlowdown = 1
