//go:build race

package tokens

// raceEnabled trims the slowest comparisons under the race detector, where
// the regex reference runs ten times slower; the full set runs without it.
const raceEnabled = true
