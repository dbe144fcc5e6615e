package storage

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestLocalRoundTrip(t *testing.T) {
	data := realWARCs(t)
	ctx := context.Background()
	dir := t.TempDir()
	loc := Join(dir, "out", "shards", "000.warc")
	w, err := Create(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, w, data)
	if _, err := os.Stat(loc); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("before Commit the file is visible: %v", err)
	}
	if got, _ := List(ctx, dir); len(got) != 0 {
		t.Fatalf("List shows an unfinished write: %v", got)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatalf("Abort after Commit = %v", err)
	}
	got, err := ReadFile(ctx, loc)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("ReadFile: %d bytes, %v; want the %d written", len(got), err, len(data))
	}
	if size, err := Stat(ctx, loc); err != nil || size != int64(len(data)) {
		t.Fatalf("Stat = %d, %v", size, err)
	}
	st, _ := os.Stat(loc)
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
}

func TestLocalAbortAndList(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for name, n := range map[string]int{"b/2": 2, "a/1": 1, "a/z/3": 3} {
		if err := WriteFile(ctx, Join(dir, name), bytes.Repeat([]byte("x"), n)); err != nil {
			t.Fatal(err)
		}
	}
	w, err := Create(ctx, Join(dir, "a", "aborted"))
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("half"))
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err == nil {
		t.Fatal("Commit after Abort succeeded")
	}
	got, err := List(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{Join(dir, "a", "1"), 1}, {Join(dir, "a", "z", "3"), 3}, {Join(dir, "b", "2"), 2}}
	if len(got) != len(want) {
		t.Fatalf("List = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("List[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "a"))
	if len(entries) != 2 {
		t.Fatalf("Abort left files behind: %v", entries)
	}
	if one, err := List(ctx, Join(dir, "b", "2")); err != nil || len(one) != 1 {
		t.Errorf("List of a file = %v, %v", one, err)
	}
	if none, err := List(ctx, Join(dir, "missing")); err != nil || len(none) != 0 {
		t.Errorf("List of a missing folder = %v, %v", none, err)
	}
	if ok, err := Exists(ctx, Join(dir, "missing")); ok || err != nil {
		t.Errorf("Exists(missing) = %v, %v", ok, err)
	}
	if _, err := Open(ctx, Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(missing) = %v", err)
	}
	if err := Remove(ctx, Join(dir, "missing")); err != nil {
		t.Errorf("Remove(missing) = %v", err)
	}
	if _, err := Open(ctx, dir); err == nil {
		t.Error("Open of a folder succeeded")
	}
}

func TestLocalGlob(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"s1/warc/a.warc.gz", "s1/wet/a.wet.gz", "s2/warc/b.warc.gz"} {
		if err := WriteFile(ctx, Join(dir, name), []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Glob(ctx, Join(dir, "*", "warc", "*.warc.gz"))
	if err != nil || len(got) != 2 || got[0].Loc != Join(dir, "s1/warc/a.warc.gz") || got[1].Loc != Join(dir, "s2/warc/b.warc.gz") {
		t.Fatalf("Glob = %v, %v", got, err)
	}
	if !HasGlob("s3://b/*/x") || HasGlob("s3://b/x") {
		t.Error("HasGlob wrong")
	}
}
