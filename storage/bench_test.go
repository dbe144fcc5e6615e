package storage

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
)

// benchPayload is the real WARC bytes repeated to about 8 MiB, so that one
// iteration moves a shard-sized object in several 2 MiB parts.
func benchPayload(b *testing.B) []byte {
	data := realWARCs(b)
	return bytes.Repeat(data, max(1, (8<<20)/len(data)))
}

func benchWriteRead(b *testing.B, s *Storage, root string) {
	data := benchPayload(b)
	ctx := context.Background()
	b.Run("write", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; b.Loop(); i++ {
			w, err := s.Create(ctx, Join(root, fmt.Sprintf("w%d", i%4)))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := w.Write(data); err != nil {
				b.Fatal(err)
			}
			if err := w.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "objects/s")
	})
	loc := Join(root, "r")
	if err := s.WriteFile(ctx, loc, data); err != nil {
		b.Fatal(err)
	}
	b.Run("read", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			r, err := s.Open(ctx, loc)
			if err != nil {
				b.Fatal(err)
			}
			n, err := io.Copy(io.Discard, r)
			r.Close()
			if err != nil || n != int64(len(data)) {
				b.Fatalf("read %d bytes, %v", n, err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "objects/s")
	})
}

func BenchmarkLocal(b *testing.B) {
	benchWriteRead(b, New(Options{}), b.TempDir())
}

func BenchmarkS3(b *testing.B) {
	bucket := newBucket(b)
	s := testStorage(b, testServer.opts.Endpoint, func(o *Options) { o.PartSize = 2 << 20 })
	benchWriteRead(b, s, "s3://"+bucket+"/bench")
}

// BenchmarkS3ReadWithCuts reads through a proxy that drops a connection
// every 1 MiB: the cost of resuming.
func BenchmarkS3ReadWithCuts(b *testing.B) {
	bucket := newBucket(b)
	data := benchPayload(b)
	loc := "s3://" + bucket + "/cut"
	if err := testStorage(b, testServer.opts.Endpoint, nil).WriteFile(context.Background(), loc, data); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		b.StopTimer()
		p := newCutProxyTB(b, testServer.addr, 1<<20, 1000)
		s := testStorage(b, p.endpoint(), nil)
		b.StartTimer()
		r, err := s.Open(context.Background(), loc)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, r)
		r.Close()
		if err != nil || n != int64(len(data)) {
			b.Fatalf("read %d bytes, %v", n, err)
		}
		b.StopTimer()
		p.close()
		b.StartTimer()
	}
}
