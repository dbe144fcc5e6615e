package storage

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
)

// realWARCs returns the shared real WARC files concatenated (about 1.1 MB),
// in name order: the bytes the storage tests move around.
func realWARCs(t testing.TB) []byte {
	t.Helper()
	dir := testdata.Shared(t, "warc")
	files, err := filepath.Glob(filepath.Join(dir, "*.warc*"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var buf bytes.Buffer
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
	}
	if buf.Len() < 500_000 {
		t.Fatalf("shared WARC files hold only %d bytes; the tests need > 500 kB", buf.Len())
	}
	return buf.Bytes()
}

// bigPayload is the real WARC bytes repeated past n bytes: S3 parts are at
// least 5 MiB, so a test of > 2 parts needs more than the 1.1 MB of files.
func bigPayload(t testing.TB, n int) []byte {
	data := realWARCs(t)
	return bytes.Repeat(data, n/len(data)+1)
}
