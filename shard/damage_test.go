package shard

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/pipeline"
)

// allocatedBy returns the bytes allocated while fn ran.
func allocatedBy(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestFuzzFindingsStayBounded replays the inputs the fuzzer found (kept
// under testdata/fuzz/FuzzOpen) and checks more than "no panic": each must
// be refused with an error while allocating little. The first one, a
// stream whose first 4 bytes read as a 1.8 GB metadata length, made
// arrow-go's ipc.NewReader allocate it (NewReader ignores the size limits).
func TestFuzzFindingsStayBounded(t *testing.T) {
	entries, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzOpen", "*"))
	if err != nil || len(entries) == 0 {
		t.Fatalf("no fuzz findings to replay (%v)", err)
	}
	for _, e := range entries {
		data := readFuzzEntry(t, e)
		p := filepath.Join(t.TempDir(), "f.arrow")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var rows int
		var rerr error
		n := allocatedBy(func() { rows, rerr = countRows(p) })
		if n > 64<<20 {
			t.Errorf("%s: reading a %d-byte file allocated %d MB", e, len(data), n>>20)
		}
		t.Logf("%s: %d rows, err %v, %d KB allocated", filepath.Base(e), rows, rerr, n>>10)
	}
}

// readFuzzEntry decodes a "go test fuzz v1" file holding one []byte.
func readFuzzEntry(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(b), "\n", 2)
	if len(lines) != 2 || lines[0] != "go test fuzz v1" {
		t.Fatalf("%s: not a fuzz corpus file", path)
	}
	lit := strings.TrimSpace(lines[1])
	lit = strings.TrimSuffix(strings.TrimPrefix(lit, "[]byte("), ")")
	s, err := strconv.Unquote(lit)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return []byte(s)
}

// TestDamagedCompressedLength rewrites the 8-byte uncompressed-length
// prefix of a zstd buffer to 1 TiB: arrow-go would allocate that before
// decompressing; the reader must refuse it with an error instead.
func TestDamagedCompressedLength(t *testing.T) {
	const textLen = 123457 // a length whose int64 bytes occur nowhere else
	d := pipeline.Document{ID: "x", Text: strings.Repeat("z", textLen), TokenCount: -1}
	for _, format := range []Format{FormatStream, FormatFile} {
		dir := t.TempDir()
		files := writeAll(t, WriterOptions{Dir: dir, Prefix: "z", Format: format, Compression: CompressionZstd}, []pipeline.Document{d})
		data, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		var want, huge [8]byte
		binary.LittleEndian.PutUint64(want[:], textLen)
		binary.LittleEndian.PutUint64(huge[:], 1<<40)
		if bytes.Count(data, want[:]) != 1 {
			t.Fatalf("%s: uncompressed length prefix found %d times", format, bytes.Count(data, want[:]))
		}
		damaged := bytes.Replace(data, want[:], huge[:], 1)
		p := filepath.Join(dir, "damaged.arrow")
		if err := os.WriteFile(p, damaged, 0o644); err != nil {
			t.Fatal(err)
		}
		var rerr error
		n := allocatedBy(func() { _, rerr = countRows(p) })
		if rerr == nil || errors.Is(rerr, io.EOF) {
			t.Errorf("%s: damaged length read without error", format)
		}
		if n > 64<<20 {
			t.Errorf("%s: damaged length made the reader allocate %d MB", format, n>>20)
		}
	}
}
