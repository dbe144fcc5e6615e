package storage

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/sieve-data/sieve/internal/s3test"
)

// testServer is the real S3 server (versitygw) that TestMain starts on a
// loopback port through scripts/s3-test-server.
var testServer struct {
	opts    Options // endpoint and credentials
	addr    string  // host:port
	missing string  // why there is no server
}

func TestMain(m *testing.M) {
	srv, stop := s3test.Start("..")
	if srv.Missing != "" {
		testServer.missing = srv.Missing
	} else {
		testServer.opts = Options{Endpoint: srv.Endpoint, Region: srv.Region, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey}
		testServer.addr = strings.TrimPrefix(srv.Endpoint, "http://")
	}
	code := m.Run()
	stop()
	os.Exit(code)
}

// needS3 skips a test without a server, but fails it under CI, where the
// install step has run and a missing server is a broken setup.
func needS3(t testing.TB) {
	t.Helper()
	if testServer.missing == "" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but there is no S3 test server: %s", testServer.missing)
	}
	t.Skip("no S3 test server: " + testServer.missing)
}

var bucketSeq atomic.Int64

// newBucket creates a fresh bucket on the test server and returns its name.
func newBucket(t testing.TB) string {
	t.Helper()
	needS3(t)
	s, err := newS3Store(testServer.opts.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("sieve-test-%d-%d", os.Getpid(), bucketSeq.Add(1))
	if err := s.core.MakeBucket(context.Background(), name, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("make bucket %s: %v", name, err)
	}
	return name
}

// testStorage returns a Storage for the test server at endpoint (the server
// itself, or a fault proxy in front of it) with a fast retry policy.
func testStorage(t testing.TB, endpoint string, tweak func(*Options)) *Storage {
	t.Helper()
	needS3(t)
	o := testServer.opts
	o.Endpoint = endpoint
	o.Retry = Retry{Attempts: 6, Base: time.Millisecond, Max: 20 * time.Millisecond}
	if tweak != nil {
		tweak(&o)
	}
	return New(o)
}
