package storage

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
)

func mustWrite(t *testing.T, w Writer, data []byte) {
	t.Helper()
	// Odd-sized writes, so part boundaries fall inside Write calls.
	for len(data) > 0 {
		k := min(len(data), 7919)
		if _, err := w.Write(data[:k]); err != nil {
			t.Fatal(err)
		}
		data = data[k:]
	}
}

func readAll(t *testing.T, s *Storage, loc string) ([]byte, *s3Reader) {
	t.Helper()
	r, err := s.Open(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %s: %v", loc, err)
	}
	return got, r.(*s3Reader)
}

func TestS3MultipartRoundTrip(t *testing.T) {
	bucket := newBucket(t)
	data := bigPayload(t, 3*MinPartSize)
	const part = MinPartSize
	s := testStorage(t, testServer.opts.Endpoint, func(o *Options) { o.PartSize = part })
	ctx := context.Background()
	loc := "s3://" + bucket + "/out/shards/000.warc"

	w, err := s.Create(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, w, data)
	sw := w.(*s3Writer)
	if sw.partsStarted() < 3 {
		t.Fatalf("%d bytes in %d-byte parts uploaded only %d parts before Commit; the test wants > 2", len(data), part, sw.partsStarted())
	}
	if ok, err := s.Exists(ctx, loc); err != nil || ok {
		t.Fatalf("before Commit: Exists = %v, %v; want false (multipart uploads are invisible)", ok, err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	wantParts := (len(data) + part - 1) / part
	if len(sw.parts) != wantParts {
		t.Errorf("uploaded %d parts, want %d", len(sw.parts), wantParts)
	}
	if err := w.Abort(); err != nil {
		t.Errorf("Abort after Commit = %v, want nil (no-op)", err)
	}
	size, err := s.Stat(ctx, loc)
	if err != nil || size != int64(len(data)) {
		t.Fatalf("Stat = %d, %v; want %d", size, err, len(data))
	}
	got, _ := readAll(t, s, loc)
	if !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes that differ from the %d written", len(got), len(data))
	}
	if _, err := w.Write([]byte("x")); err == nil {
		t.Error("Write after Commit succeeded")
	}
}

func TestS3SmallObjectsAndMarkers(t *testing.T) {
	bucket := newBucket(t)
	s := testStorage(t, testServer.opts.Endpoint, nil)
	ctx := context.Background()
	for _, data := range [][]byte{nil, []byte("{\"done\":true}\n")} {
		loc := Join("s3://"+bucket, "out", "_SUCCESS")
		if err := s.WriteFile(ctx, loc, data); err != nil {
			t.Fatal(err)
		}
		got, err := s.ReadFile(ctx, loc)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("ReadFile = %q, %v; want %q", got, err, data)
		}
	}
}

func TestS3AbortLeavesNothing(t *testing.T) {
	bucket := newBucket(t)
	data := bigPayload(t, 3*MinPartSize)
	s := testStorage(t, testServer.opts.Endpoint, func(o *Options) { o.PartSize = MinPartSize })
	ctx := context.Background()
	loc := "s3://" + bucket + "/out/shard.arrow"
	w, err := s.Create(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, w, data[:3*MinPartSize+1000])
	if n := w.(*s3Writer).partsStarted(); n < 3 {
		t.Fatalf("only %d parts uploaded before Abort", n)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err == nil {
		t.Fatal("Commit after Abort succeeded")
	}
	if ok, err := s.Exists(ctx, loc); ok || err != nil {
		t.Fatalf("after Abort: Exists = %v, %v", ok, err)
	}
	if got, err := s.List(ctx, "s3://"+bucket); err != nil || len(got) != 0 {
		t.Fatalf("after Abort: List = %v, %v; want nothing", got, err)
	}
	st, _ := s.s3()
	ups, err := st.core.ListMultipartUploads(ctx, bucket, "", "", "", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(ups.Uploads) != 0 {
		t.Fatalf("after Abort %d multipart uploads are still open: %+v", len(ups.Uploads), ups.Uploads)
	}
}

func TestS3List(t *testing.T) {
	bucket := newBucket(t)
	s := testStorage(t, testServer.opts.Endpoint, nil)
	ctx := context.Background()
	root := "s3://" + bucket + "/crawl"
	files := map[string]int{"b/2.warc.gz": 20, "a/1.warc.gz": 10, "a/sub/3.warc.gz": 30, "z.warc": 5}
	for name, n := range files {
		if err := s.WriteFile(ctx, Join(root, name), bytes.Repeat([]byte("w"), n)); err != nil {
			t.Fatal(err)
		}
	}
	// Neighbours that must not show: same string prefix, other folder; and
	// an upload that never commits.
	if err := s.WriteFile(ctx, "s3://"+bucket+"/crawl-other/x", []byte("x")); err != nil {
		t.Fatal(err)
	}
	w, _ := s.Create(ctx, Join(root, "unfinished"))
	w.Write([]byte("partial"))
	defer w.Abort()

	got, err := s.List(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{root + "/a/1.warc.gz", 10}, {root + "/a/sub/3.warc.gz", 30},
		{root + "/b/2.warc.gz", 20}, {root + "/z.warc", 5},
	}
	if len(got) != len(want) {
		t.Fatalf("List = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("List[%d] = %v, want %v (all: %v)", i, got[i], want[i], got)
		}
	}
	if got, err := s.List(ctx, root+"/"); err != nil || len(got) != 4 {
		t.Errorf("List with trailing slash = %v, %v", got, err)
	}
	if got, err := s.List(ctx, root+"/z.warc"); err != nil || len(got) != 1 || got[0] != want[3] {
		t.Errorf("List of one object = %v, %v", got, err)
	}
	if got, err := s.List(ctx, root+"/nothing-here"); err != nil || len(got) != 0 {
		t.Errorf("List of a missing prefix = %v, %v; want empty, nil", got, err)
	}
}

func TestS3Missing(t *testing.T) {
	bucket := newBucket(t)
	s := testStorage(t, testServer.opts.Endpoint, nil)
	ctx := context.Background()
	loc := "s3://" + bucket + "/no/such/key"
	if _, err := s.Open(ctx, loc); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open missing = %v, want fs.ErrNotExist", err)
	}
	if _, err := s.Stat(ctx, loc); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat missing = %v, want fs.ErrNotExist", err)
	}
	if ok, err := s.Exists(ctx, loc); ok || err != nil {
		t.Errorf("Exists missing = %v, %v", ok, err)
	}
	if err := s.Remove(ctx, loc); err != nil {
		t.Errorf("Remove missing = %v, want nil", err)
	}
	if err := s.WriteFile(ctx, loc, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(ctx, loc); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Exists(ctx, loc); ok {
		t.Error("object still there after Remove")
	}
	if _, err := s.Open(ctx, "s3://"+bucket+"/"); err == nil || !strings.Contains(err.Error(), "not an object") {
		t.Errorf("Open of a bucket = %v, want a clear error", err)
	}
}

// putObject stores data through the server directly (no proxy).
func putObject(t *testing.T, loc string, data []byte) {
	t.Helper()
	s := testStorage(t, testServer.opts.Endpoint, nil)
	if err := s.WriteFile(context.Background(), loc, data); err != nil {
		t.Fatal(err)
	}
}

func TestS3ReadResumesAfterDroppedConnections(t *testing.T) {
	bucket := newBucket(t)
	data := realWARCs(t)
	loc := "s3://" + bucket + "/crawl/all.warc"
	putObject(t, loc, data)

	// Every one of the first 4 connections dies after 150 kB of response
	// (headers included), a cut in the middle of the body each time.
	p := newCutProxy(t, testServer.addr, 150<<10, 4, false)
	s := testStorage(t, p.endpoint(), nil)
	got, r := readAll(t, s, loc)
	if !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes through a cutting proxy; they differ from the %d-byte object", len(got), len(data))
	}
	if p.cuts.Load() != 4 || r.Resumes < 4 {
		t.Fatalf("proxy cut %d connections, reader resumed %d times; want 4 and >= 4", p.cuts.Load(), r.Resumes)
	}
}

func TestS3ReadResumesAfterStall(t *testing.T) {
	bucket := newBucket(t)
	data := realWARCs(t)
	loc := "s3://" + bucket + "/crawl/all.warc"
	putObject(t, loc, data)

	p := newCutProxy(t, testServer.addr, 300<<10, 1, true)
	s := testStorage(t, p.endpoint(), func(o *Options) { o.StallTimeout = 300 * time.Millisecond })
	start := time.Now()
	got, r := readAll(t, s, loc)
	if !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes after a stall; they differ from the %d-byte object", len(got), len(data))
	}
	if r.Resumes < 1 || time.Since(start) > 20*time.Second {
		t.Fatalf("resumes %d after %v; want a resume soon after the 300 ms stall", r.Resumes, time.Since(start))
	}
}

func TestS3ReadGivesUpWhenEveryConnectionDrops(t *testing.T) {
	bucket := newBucket(t)
	data := realWARCs(t)
	loc := "s3://" + bucket + "/crawl/all.warc"
	putObject(t, loc, data)

	// Connections die before a single body byte: no progress, so the
	// attempts run out and the error says where the read stopped.
	p := newCutProxy(t, testServer.addr, 0, 1000, false)
	s := testStorage(t, p.endpoint(), nil)
	_, err := s.Open(context.Background(), loc)
	if err == nil || !strings.Contains(err.Error(), "giving up after 6 attempts") {
		t.Fatalf("Open through a proxy that drops everything = %v; want giving up after 6 attempts", err)
	}
}

func TestS3SlowDownIsRetried(t *testing.T) {
	bucket := newBucket(t)
	data := realWARCs(t)
	loc := "s3://" + bucket + "/crawl/all.warc"
	putObject(t, loc, data)

	p := newThrottleProxy(t, testServer.addr, 3, isGet)
	s := testStorage(t, p.endpoint(), nil)
	got, _ := readAll(t, s, loc)
	if !bytes.Equal(got, data) {
		t.Fatal("bytes read after SlowDown answers differ from the object")
	}
	if p.throttled.Load() != 3 {
		t.Fatalf("proxy throttled %d requests, want 3", p.throttled.Load())
	}

	// Writes: the first 2 part uploads are throttled, the object still
	// arrives whole.
	data = bigPayload(t, 2*MinPartSize)
	wp := newThrottleProxy(t, testServer.addr, 2, isPartUpload)
	ws := testStorage(t, wp.endpoint(), func(o *Options) { o.PartSize = MinPartSize })
	out := "s3://" + bucket + "/out/throttled.bin"
	w, err := ws.Create(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, w, data)
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if wp.throttled.Load() != 2 {
		t.Fatalf("proxy throttled %d part uploads, want 2", wp.throttled.Load())
	}
	back, _ := readAll(t, s, out)
	if !bytes.Equal(back, data) {
		t.Fatal("object written through throttling differs")
	}
}

func TestS3SlowDownGivesUp(t *testing.T) {
	bucket := newBucket(t)
	loc := "s3://" + bucket + "/x"
	putObject(t, loc, []byte("x"))
	p := newThrottleProxy(t, testServer.addr, 1000, isGet)
	s := testStorage(t, p.endpoint(), nil)
	_, err := s.Open(context.Background(), loc)
	var er minio.ErrorResponse
	if !errors.As(err, &er) || er.Code != "SlowDown" || !strings.Contains(err.Error(), "giving up after 6 attempts") {
		t.Fatalf("Open under endless SlowDown = %v; want SlowDown after 6 attempts", err)
	}
	if got := p.throttled.Load(); got != 6 {
		t.Fatalf("%d requests sent, want 6", got)
	}
}

func TestS3ResumeRefusesAChangedObject(t *testing.T) {
	bucket := newBucket(t)
	data := realWARCs(t)
	loc := "s3://" + bucket + "/crawl/all.warc"
	putObject(t, loc, data)

	p := newCutProxy(t, testServer.addr, 100<<10, 1, false)
	s := testStorage(t, p.endpoint(), nil)
	r, err := s.Open(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	buf := make([]byte, 32<<10)
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatal(err)
	}
	// Replace the object while the reader is mid-stream; the resume must
	// not splice bytes of the new version onto the old one.
	changed := append([]byte("CHANGED"), data...)
	putObject(t, loc, changed)
	got, err := io.ReadAll(r)
	if err == nil {
		t.Fatalf("read of a replaced object succeeded with %d bytes", len(got)+len(buf))
	}
	var er minio.ErrorResponse
	if !errors.As(err, &er) || er.Code != "PreconditionFailed" {
		t.Fatalf("error = %v; want a precondition failure (ETag changed)", err)
	}
}

func TestS3Glob(t *testing.T) {
	bucket := newBucket(t)
	s := testStorage(t, testServer.opts.Endpoint, nil)
	ctx := context.Background()
	// The layout of a Common Crawl dump, in miniature.
	crawl := "s3://" + bucket + "/crawl-data/CC-MAIN-2024-22/segments"
	var want []Entry
	for _, seg := range []string{"1715971057216.39", "1715971057216.40"} {
		for _, kind := range []string{"warc", "wat", "wet"} {
			for i := 0; i < 2; i++ {
				loc := Join(crawl, seg, kind, "CC-MAIN-"+seg+"-0000"+string(rune('0'+i))+"."+kind+".gz")
				if err := s.WriteFile(ctx, loc, []byte(kind)); err != nil {
					t.Fatal(err)
				}
				if kind == "warc" {
					want = append(want, Entry{loc, 4})
				}
			}
		}
	}
	got, err := s.Glob(ctx, crawl+"/*/warc/*.warc.gz")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("Glob = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Glob[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if got, err := s.Glob(ctx, crawl+"/*/nothing/*"); err != nil || len(got) != 0 {
		t.Errorf("Glob with no match = %v, %v", got, err)
	}
	if _, err := s.Glob(ctx, crawl+"/[/x"); err == nil {
		t.Error("Glob accepted a malformed pattern")
	}
}

func TestS3FailedUploadLeavesNothing(t *testing.T) {
	bucket := newBucket(t)
	data := bigPayload(t, 3*MinPartSize)
	// Every part upload is throttled for good: the write must fail with
	// SlowDown, abort the upload, and leave neither object nor parts.
	p := newThrottleProxy(t, testServer.addr, 1000, isPartUpload)
	s := testStorage(t, p.endpoint(), func(o *Options) { o.PartSize = MinPartSize })
	ctx := context.Background()
	loc := "s3://" + bucket + "/out/doomed.arrow"
	w, err := s.Create(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	var werr error
	for off := 0; off < len(data) && werr == nil; off += 1 << 20 {
		_, werr = w.Write(data[off:min(off+1<<20, len(data))])
	}
	cerr := w.Commit()
	var er minio.ErrorResponse
	if cerr == nil || !errors.As(cerr, &er) || er.Code != "SlowDown" {
		t.Fatalf("Commit = %v (write error %v); want the SlowDown failure", cerr, werr)
	}
	if ok, err := s.Exists(ctx, loc); ok || err != nil {
		t.Fatalf("after a failed upload: Exists = %v, %v", ok, err)
	}
	st, _ := s.s3()
	ups, err := st.core.ListMultipartUploads(ctx, bucket, "", "", "", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(ups.Uploads) != 0 {
		t.Fatalf("a failed upload left %d multipart uploads open", len(ups.Uploads))
	}
}

// A slow consumer is not a stalled connection: the stall timer runs only
// while a Read waits on the network.
func TestS3SlowConsumerIsNotAStall(t *testing.T) {
	bucket := newBucket(t)
	data := realWARCs(t)
	loc := "s3://" + bucket + "/crawl/all.warc"
	putObject(t, loc, data)
	s := testStorage(t, testServer.opts.Endpoint, func(o *Options) { o.StallTimeout = 50 * time.Millisecond })
	r, err := s.Open(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []byte
	buf := make([]byte, 256<<10)
	for i := 0; i < 100; i++ {
		n, err := r.Read(buf)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(120 * time.Millisecond)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, want the %d of the object", len(got), len(data))
	}
	if n := r.(*s3Reader).Resumes; n != 0 {
		t.Fatalf("%d reconnections for a slow reader on a healthy connection, want 0", n)
	}
}
