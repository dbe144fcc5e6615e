// Package testdata locates the shared real-world test data that sits beside
// the repository (../shared/testdata: real WARC files, HTML pages with
// expected text, labelled language-id sentences).
package testdata

import (
	"os"
	"path/filepath"
	"testing"
)

// RepoRoot returns the directory holding go.mod, found by walking up from
// the current directory (go test runs in the package directory).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// Shared returns the path of ../shared/testdata/<sub> next to the repository.
// When the folder is missing the test is skipped, except under CI (CI=true),
// where the data is always laid out and a missing folder is a failure.
func Shared(t testing.TB, sub string) string {
	t.Helper()
	if env := os.Getenv("SIEVE_SHARED_TESTDATA"); env != "" {
		return filepath.Join(env, sub)
	}
	p := filepath.Join(RepoRoot(t), "..", "shared", "testdata", sub)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared test data missing under CI: %v", err)
		}
		t.Skipf("shared test data not found (%v); set SIEVE_SHARED_TESTDATA", err)
	}
	return p
}
