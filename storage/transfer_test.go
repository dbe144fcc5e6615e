package storage

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestUploadDownloadLocal(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src.bin")
	data := bytes.Repeat([]byte("sieve\x00"), 100_000)
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	up := filepath.Join(dir, "up", "deeper", "copy.bin")
	if err := Upload(ctx, src, up); err != nil {
		t.Fatal(err)
	}
	down := filepath.Join(dir, "down", "copy.bin")
	if err := Download(ctx, up, down); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(down); !bytes.Equal(got, data) {
		t.Fatalf("round trip changed the bytes: %d of %d", len(got), len(data))
	}
	if err := Upload(ctx, filepath.Join(dir, "missing"), filepath.Join(dir, "never")); err == nil {
		t.Error("uploading a missing file succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "never")); !os.IsNotExist(err) {
		t.Errorf("failed upload left a file: %v", err)
	}
	if err := Download(ctx, filepath.Join(dir, "missing"), filepath.Join(dir, "d2", "x")); err == nil {
		t.Error("downloading a missing location succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "d2", "x")); !os.IsNotExist(err) {
		t.Errorf("failed download left a file: %v", err)
	}
}
