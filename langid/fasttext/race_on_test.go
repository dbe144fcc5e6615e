//go:build race

package fasttext

const raceEnabled = true
