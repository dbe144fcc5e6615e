package storage

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sieve-data/sieve/ingest"
	"github.com/sieve-data/sieve/internal/testdata"
)

// docsOf reads every document of a WARC stream: id and text.
func docsOf(t *testing.T, r io.Reader, name string) [][2]string {
	t.Helper()
	src, err := ingest.NewSource(r, name, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	for {
		d, err := src.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, [2]string{d.ID, d.Text})
	}
}

// TestS3WARCThroughDroppingConnection is the runner's real use: a gzipped
// Common Crawl-style WARC streamed from S3 into the WARC reader while the
// connection breaks every 60 kB gives the same documents as the local file.
func TestS3WARCThroughDroppingConnection(t *testing.T) {
	bucket := newBucket(t)
	local := filepath.Join(testdata.Shared(t, "warc"), "dolma__sample-0000.warc.gz")
	data, err := os.ReadFile(local)
	if err != nil {
		t.Fatal(err)
	}
	loc := "s3://" + bucket + "/crawl-data/segments/1/warc/dolma__sample-0000.warc.gz"
	putObject(t, loc, data)

	f, err := os.Open(local)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := docsOf(t, f, local)
	if len(want) < 10 {
		t.Fatalf("only %d documents in %s", len(want), local)
	}

	p := newCutProxy(t, testServer.addr, 60<<10, 3, false)
	s := testStorage(t, p.endpoint(), nil)
	r, err := s.Open(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := docsOf(t, r, loc)
	if p.cuts.Load() != 3 {
		t.Fatalf("the proxy cut %d connections, want 3", p.cuts.Load())
	}
	if len(got) != len(want) {
		t.Fatalf("%d documents over S3, %d from the local file", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("document %d differs: %q vs %q", i, got[i][0], want[i][0])
		}
	}
}
