package main

import (
	"os"
	"testing"
)

// TestMain lets tests run the real sieve command as a separate process (to
// kill it, or to check exit codes) without a separate build: the test binary
// re-executes itself with SIEVE_AS_MAIN=1 and then behaves as sieve.
func TestMain(m *testing.M) {
	if os.Getenv("SIEVE_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}
