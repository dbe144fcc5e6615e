package pypeers

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
)

// peersRoot is where scripts/install-python-peers puts its venvs and data:
// $SIEVE_PYTHON_PEERS, else <user cache dir>/sieve/python-peers (the
// script's default, $XDG_CACHE_HOME or ~/.cache).
func peersRoot(t *testing.T) string {
	t.Helper()
	if r := os.Getenv("SIEVE_PYTHON_PEERS"); r != "" {
		return r
	}
	c, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(c, "sieve", "python-peers")
}

// venvPython returns the python of the test venv. Without it the test is
// skipped, except under CI, where scripts/test has installed it.
func venvPython(t *testing.T) string {
	t.Helper()
	py := filepath.Join(peersRoot(t), "test", "bin", "python")
	if _, err := os.Stat(py); err != nil {
		msg := "Python venv missing (run scripts/install-python-peers): " + err.Error()
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return py
}

// runPython runs script (a file of this folder) with args and returns its
// stdout; a non-zero exit fails the test with stderr.
func runPython(t *testing.T, py, script string, env []string, args ...string) []byte {
	t.Helper()
	dir := filepath.Join(testdata.RepoRoot(t), "tools", "pypeers")
	cmd := exec.Command(py, append([]string{filepath.Join(dir, script)}, args...)...)
	cmd.Env = append(os.Environ(), append([]string{"HF_DATASETS_OFFLINE=1", "HF_HUB_OFFLINE=1"}, env...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\nstdout: %.2000s\nstderr: %.4000s", script, args, err, stdout.String(), stderr.String())
	}
	return stdout.Bytes()
}

// buildSieve builds cmd/sieve once per test binary.
func buildSieve(t *testing.T) string {
	t.Helper()
	root := testdata.RepoRoot(t)
	bin := filepath.Join(t.TempDir(), "sieve")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/sieve")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/sieve: %v\n%s", err, b)
	}
	return bin
}
