package storage

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"testing"
)

// checkFile reads data back through File's three access paths.
func checkFile(t *testing.T, f File, data []byte) {
	t.Helper()
	if f.Size() != int64(len(data)) {
		t.Fatalf("Size = %d, want %d", f.Size(), len(data))
	}
	// A footer, as an Arrow IPC file reader starts with.
	tail := make([]byte, 10)
	if n, err := f.ReadAt(tail, int64(len(data)-10)); n != 10 || err != nil || !bytes.Equal(tail, data[len(data)-10:]) {
		t.Fatalf("ReadAt(footer) = %d, %v", n, err)
	}
	// Past the end: short read with io.EOF, as io.ReaderAt requires.
	buf := make([]byte, 100)
	if n, err := f.ReadAt(buf, int64(len(data)-40)); n != 40 || err != io.EOF || !bytes.Equal(buf[:40], data[len(data)-40:]) {
		t.Fatalf("ReadAt(across the end) = %d, %v", n, err)
	}
	if _, err := f.ReadAt(buf, int64(len(data))); err != io.EOF {
		t.Fatalf("ReadAt(at the end) = %v, want io.EOF", err)
	}
	mid := int64(len(data) / 3)
	if _, err := f.Seek(mid, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(rest, data[mid:]) {
		t.Fatalf("Read after Seek(%d): %d bytes, %v", mid, len(rest), err)
	}
	if pos, _ := f.Seek(-5, io.SeekEnd); pos != int64(len(data)-5) {
		t.Fatalf("Seek from end = %d", pos)
	}
	last, _ := io.ReadAll(f)
	if !bytes.Equal(last, data[len(data)-5:]) {
		t.Fatalf("Read after Seek from end = %q", last)
	}
}

func TestLocalOpenFile(t *testing.T) {
	data := realWARCs(t)
	loc := filepath.Join(t.TempDir(), "x")
	if err := WriteFile(context.Background(), loc, data); err != nil {
		t.Fatal(err)
	}
	f, err := OpenFile(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	checkFile(t, f, data)
}

func TestS3OpenFile(t *testing.T) {
	bucket := newBucket(t)
	data := realWARCs(t)
	loc := "s3://" + bucket + "/shards/x.arrow"
	putObject(t, loc, data)
	// Through a proxy that cuts the first 3 connections mid-answer: the
	// ranged reads and the streaming read retry and resume.
	p := newCutProxy(t, testServer.addr, 200<<10, 3, false)
	s := testStorage(t, p.endpoint(), nil)
	f, err := s.OpenFile(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	checkFile(t, f, data)
	whole := make([]byte, len(data))
	if n, err := f.ReadAt(whole, 0); n != len(data) || err != nil || !bytes.Equal(whole, data) {
		t.Fatalf("ReadAt(all) = %d, %v", n, err)
	}
	if p.cuts.Load() == 0 {
		t.Fatal("the proxy cut nothing: the test did not exercise retries")
	}
}
