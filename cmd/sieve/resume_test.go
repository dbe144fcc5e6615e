package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/shard"
)

// sieveCmd returns the sieve command run by this test binary (see TestMain).
func sieveCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "SIEVE_AS_MAIN=1")
	return cmd
}

// manyInputs links every shared WARC several times under other names, so a
// run takes long enough to be killed in the middle.
func manyInputs(t *testing.T, copies int) string {
	src := testdata.Shared(t, "warc")
	files, _ := filepath.Glob(filepath.Join(src, "*.warc*"))
	dir := t.TempDir()
	for c := 0; c < copies; c++ {
		for _, f := range files {
			abs, _ := filepath.Abs(f)
			if err := os.Symlink(abs, filepath.Join(dir, fmt.Sprintf("c%02d-%s", c, filepath.Base(f)))); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func shardRows(t *testing.T, out string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(out, "shards", "*.arrow"))
	var rows []string
	for _, p := range files {
		docs, err := shard.ReadDocuments(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			rows = append(rows, filepath.Base(p)+"\x00"+d.ID+"\x00"+d.WARCFilename+"\x00"+d.Text)
		}
	}
	sort.Strings(rows)
	return rows
}

// A run killed with SIGKILL at several moments and started again each time
// ends with exactly the rows (and shard names) of an uninterrupted run.
func TestKilledRunResumesToSameOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	in := manyInputs(t, 4)
	pipe := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(pipe, []byte("name: t\nsteps:\n  - extract: {}\n  - dedup: {}\n"), 0o644)

	clean := filepath.Join(t.TempDir(), "clean")
	if out, err := sieveCmd(t, "run", "-q", "--workers", "2", "--pipeline", pipe, "-o", clean, in).CombinedOutput(); err != nil {
		t.Fatalf("clean run: %v\n%s", err, out)
	}
	want := shardRows(t, clean)
	if len(want) == 0 {
		t.Fatal("clean run wrote nothing")
	}

	killed := filepath.Join(t.TempDir(), "killed")
	kills := 0
	for _, delay := range []time.Duration{150 * time.Millisecond, 400 * time.Millisecond, 700 * time.Millisecond, time.Second, 1500 * time.Millisecond} {
		cmd := sieveCmd(t, "run", "-q", "--workers", "2", "--pipeline", pipe, "-o", killed, in)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run ended with %v\n%s", err, stderr.String())
			}
		case <-time.After(delay):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			kills++
		}
	}
	final := sieveCmd(t, "run", "-q", "--workers", "2", "--pipeline", pipe, "-o", killed, in)
	if out, err := final.CombinedOutput(); err != nil {
		t.Fatalf("resumed run: %v\n%s", err, out)
	}
	if kills == 0 {
		t.Log("the machine was fast enough that no run was killed; the comparison still holds")
	}
	got := shardRows(t, killed)
	if len(got) != len(want) {
		t.Fatalf("after %d kills: %d rows, uninterrupted: %d", kills, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("after %d kills row %d differs:\n%.200q\n%.200q", kills, i, got[i], want[i])
		}
	}
	// Nothing temporary is left in the output folders.
	filepath.WalkDir(killed, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".tmp") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}

// Exit status: 0 when all input was read, 1 when some was damaged (with a
// summary on stderr; 0 with --allow-damaged, as the deploy scripts run it),
// 2 for usage errors (a misplaced dedup step among them), 3 when sieve
// could not finish (here: OUT is a file, so nothing can be written).
func TestExitStatus(t *testing.T) {
	warcs := testdata.Shared(t, "warc")
	pipe := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(pipe, []byte("name: t\nsteps:\n  - extract: {}\n"), 0o644)
	misplaced := filepath.Join(t.TempDir(), "m.yaml")
	os.WriteFile(misplaced, []byte("name: t\nsteps:\n  - extract: {}\n  - dedup: {}\n  - length: {}\n"), 0o644)
	notDir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notDir, []byte("x"), 0o644)
	cases := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"run", "-q", "--pipeline", pipe, "-o", t.TempDir(), filepath.Join(warcs, "warcio__example.warc.gz")}, 0, "documents written"},
		{[]string{"run", "-q", "--pipeline", pipe, "-o", t.TempDir(), filepath.Join(warcs, "malformed")}, 1, "damaged"},
		{[]string{"run", "-q", "--pipeline", pipe, "-o", t.TempDir(), filepath.Join(warcs, "arc")}, 1, "ARC"},
		{[]string{"run", "-q", "--allow-damaged", "--pipeline", pipe, "-o", t.TempDir(), filepath.Join(warcs, "malformed")}, 0, "damaged"},
		{[]string{"run", "-q", filepath.Join(warcs, "warcio__example.warc.gz")}, 2, "-o OUT is required"},
		{[]string{"run", "-q", "-o", t.TempDir(), "/no/such/file.warc"}, 2, "no such file"},
		{[]string{"run", "--pipeline", "nonesuch", "-o", t.TempDir()}, 2, "no shipped pipeline"},
		{[]string{"no-such-command"}, 2, "unknown command"},
		{[]string{"run", "-q", "--pipeline", misplaced, "-o", t.TempDir(), filepath.Join(warcs, "warcio__example.warc.gz")}, 2, "dedup must be the last step"},
		{[]string{"run", "-q", "--pipeline", pipe, "-o", filepath.Join(notDir, "out"), filepath.Join(warcs, "warcio__example.warc.gz")}, 3, "not a directory"},
		{[]string{"inspect", filepath.Join(warcs, "warcio__example.warc.gz")}, 1, "Arrow"},
	}
	for _, c := range cases {
		cmd := sieveCmd(t, c.args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.code || !strings.Contains(stderr.String(), c.stderr) {
			t.Errorf("sieve %v: exit %d, want %d; stderr:\n%s", c.args, code, c.code, stderr.String())
		}
	}
}
