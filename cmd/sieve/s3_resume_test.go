package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A run whose OUT is on S3, killed with SIGKILL after some input files are
// done and started again in a fresh work folder (a new pod: nothing local
// survives), reads only the unfinished files again and ends with the rows
// of an uninterrupted run; no work/ object is left on S3.
func TestS3RunResumesPerFileInFreshFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an S3 server and spawns processes")
	}
	root, srv, st := startS3(t, "crawl")
	ctx := context.Background()

	// Every sample WARC under several names, on S3 and in a local folder
	// with the same names for the uninterrupted reference run.
	const copies = 8
	files, _ := filepath.Glob(filepath.Join(root, "testdata", "sample", "*.warc*"))
	localIn := t.TempDir()
	inputs := 0
	for c := 0; c < copies; c++ {
		for _, f := range files {
			name := fmt.Sprintf("c%02d-%s", c, filepath.Base(f))
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.WriteFile(ctx, "s3://crawl/in/"+name, b); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(localIn, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
			inputs++
		}
	}

	pipe := filepath.Join(t.TempDir(), "p.yaml")
	// Dropped documents are written too, so their shards take the per-file
	// way as well.
	os.WriteFile(pipe, []byte("name: t\nwriter:\n  removed: true\nsteps:\n  - extract: {}\n  - dedup: {}\n"), 0o644)
	local := filepath.Join(t.TempDir(), "local")
	if b, err := sieveCmd(t, "run", "-q", "--workers", "1", "--pipeline", pipe, "-o", local, localIn).CombinedOutput(); err != nil {
		t.Fatalf("local run: %v\n%s", err, b)
	}
	rowsIn := func(dir string) []string {
		var rows []string
		paths, _ := filepath.Glob(filepath.Join(local, dir, "*.arrow"))
		for _, p := range paths {
			rows = append(rows, idsOf(t, p)...)
		}
		sort.Strings(rows)
		return rows
	}
	want, wantRemoved := rowsIn("shards"), rowsIn("removed")
	if len(want) == 0 || len(wantRemoved) == 0 {
		t.Fatalf("local run wrote %d rows, %d removed rows", len(want), len(wantRemoved))
	}

	runS3 := func() *bytes.Buffer {
		cmd := sieveCmd(t, "run", "-q", "--workers", "1", "--pipeline", pipe,
			"--work-dir", filepath.Join(t.TempDir(), "w"), "-o", "s3://crawl/out", "s3://crawl/in/")
		cmd.Env = append(cmd.Env, srv.Env()...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		// Kill once some, but not all, files are marked done on S3.
		deadline := time.After(2 * time.Minute)
		for {
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("s3 run: %v\n%s", err, out.String())
				}
				return nil
			case <-deadline:
				cmd.Process.Signal(syscall.SIGKILL)
				<-done
				t.Fatal("s3 run did not finish in 2 minutes")
			case <-time.After(20 * time.Millisecond):
			}
			marks, _ := st.List(ctx, "s3://crawl/out/work/files/")
			if len(marks) >= 3 && len(marks) < inputs {
				cmd.Process.Signal(syscall.SIGKILL)
				<-done
				return &out
			}
		}
	}
	if runS3() == nil {
		t.Fatal("the first run finished before it could be killed; use more inputs")
	}
	marks, _ := st.List(ctx, "s3://crawl/out/work/files/")
	for _, m := range marks {
		b, _ := st.ReadFile(ctx, m.Loc)
		if bytes.Contains(b, []byte(`"`+os.TempDir())) || bytes.Contains(b, []byte(`"/`)) {
			t.Fatalf("marker %s names local paths: %.300s", m.Loc, b)
		}
	}

	// The rerun, in a fresh folder, must finish (no more kills); two
	// workers upload finished files concurrently.
	cmd := sieveCmd(t, "run", "--workers", "2", "--pipeline", pipe,
		"--work-dir", filepath.Join(t.TempDir(), "fresh"), "-o", "s3://crawl/out", "s3://crawl/in/")
	cmd.Env = append(cmd.Env, srv.Env()...)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("resumed s3 run: %v\n%s", err, b)
	}
	m := regexp.MustCompile(`(\d+) input files were already done by an earlier run`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("the resumed run did not reuse the files done before the kill:\n%s", b)
	}
	if n, _ := strconv.Atoi(string(m[1])); n < len(marks) || n >= inputs {
		t.Fatalf("resumed run reused %d files; %d were marked on S3 of %d inputs", n, len(marks), inputs)
	} else {
		t.Logf("killed with %d of %d files marked on S3; the rerun reused %d", len(marks), inputs, n)
	}

	entries, err := st.List(ctx, "s3://crawl/out/")
	if err != nil {
		t.Fatal(err)
	}
	var got, gotRemoved []string
	dl := t.TempDir()
	for _, e := range entries {
		rel := strings.TrimPrefix(e.Loc, "s3://crawl/out/")
		if strings.HasPrefix(rel, "work/") {
			t.Errorf("%s left on S3 after completion", rel)
		}
		dir, _, _ := strings.Cut(rel, "/")
		if (dir == "shards" || dir == "removed") && strings.HasSuffix(rel, ".arrow") {
			p := filepath.Join(dl, dir+"-"+filepath.Base(rel))
			if err := st.Download(ctx, e.Loc, p); err != nil {
				t.Fatal(err)
			}
			if dir == "shards" {
				got = append(got, idsOf(t, p)...)
			} else {
				gotRemoved = append(gotRemoved, idsOf(t, p)...)
			}
		}
	}
	sort.Strings(got)
	sort.Strings(gotRemoved)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("resumed S3 run rows (%d) differ from the uninterrupted local run's (%d)", len(got), len(want))
	}
	if strings.Join(gotRemoved, "\n") != strings.Join(wantRemoved, "\n") {
		t.Fatalf("resumed S3 run removed rows (%d) differ from the uninterrupted local run's (%d)", len(gotRemoved), len(wantRemoved))
	}
}
