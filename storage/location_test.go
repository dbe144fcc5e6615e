package storage

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
)

func TestIsRemoteAndJoin(t *testing.T) {
	cases := []struct {
		loc  string
		elem []string
		want string
	}{
		{"s3://bucket/prefix", []string{"shards", "000.arrow"}, "s3://bucket/prefix/shards/000.arrow"},
		{"s3://bucket/prefix/", []string{"x"}, "s3://bucket/prefix/x"},
		{"s3://bucket", []string{"a/b", "c"}, "s3://bucket/a/b/c"},
		{"s3://bucket", nil, "s3://bucket"},
		{"s3://bucket/a", []string{"..", "..", "..", "other"}, "s3://bucket/other"},
		{"s3://bucket/a//b", []string{"./c"}, "s3://bucket/a/b/c"},
		{"out", []string{"shards", "0.arrow"}, filepath.Join("out", "shards", "0.arrow")},
		{"/abs/out", []string{"_SUCCESS"}, filepath.Join("/abs/out", "_SUCCESS")},
	}
	for _, c := range cases {
		if got := Join(c.loc, c.elem...); got != c.want {
			t.Errorf("Join(%q, %q) = %q, want %q", c.loc, c.elem, got, c.want)
		}
	}
	for loc, want := range map[string]bool{"s3://b/k": true, "/data/s3://x": false, "S3://b/k": false, "out": false, "": false} {
		if IsRemote(loc) != want {
			t.Errorf("IsRemote(%q) = %v", loc, !want)
		}
	}
}

func TestParseS3(t *testing.T) {
	good := map[string]objectName{
		"s3://commoncrawl/crawl-data/CC-MAIN-2024-22/x.warc.gz": {"commoncrawl", "crawl-data/CC-MAIN-2024-22/x.warc.gz"},
		"s3://my.bucket-1":    {"my.bucket-1", ""},
		"s3://my.bucket-1/p/": {"my.bucket-1", "p/"},
	}
	for loc, want := range good {
		got, err := parseS3(loc)
		if err != nil || got != want {
			t.Errorf("parseS3(%q) = %+v, %v; want %+v", loc, got, err, want)
		}
		if got.String() != strings.TrimSuffix(loc, "") {
			t.Errorf("%+v.String() = %q, want %q", got, got.String(), loc)
		}
	}
	bad := map[string]string{
		"s3:///key":        "no bucket",
		"s3://Bucket/key":  "may hold only",
		"s3://b/key":       "3 to 63",
		"/local/path":      "not an s3://",
		"s3://bu cket/key": "may hold only",
		"s3://bucket/" + strings.Repeat("k", 1025): "1024",
	}
	for loc, msg := range bad {
		if _, err := parseS3(loc); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("parseS3(%q) = %v, want an error with %q", loc, err, msg)
		}
	}
	for _, loc := range []string{"s3://bucket", "s3://bucket/", "s3://bucket/folder/"} {
		if _, err := objectKey(loc); err == nil {
			t.Errorf("objectKey(%q) accepted a bucket or folder", loc)
		}
	}
}

// FuzzParseS3 checks that any string parses or fails cleanly, and that a
// parsed location prints back to itself and joins without leaving its bucket.
func FuzzParseS3(f *testing.F) {
	for _, s := range []string{"s3://commoncrawl/crawl-data/x.warc.gz", "s3://b", "s3:///", "s3://abc/../..", "s3://abc//x//", "out/x", ""} {
		f.Add(s, "x/../y")
	}
	f.Fuzz(func(t *testing.T, loc, elem string) {
		o, err := parseS3(loc)
		if err != nil {
			return
		}
		if o.String() != strings.TrimSuffix(loc, "/") && o.String() != loc {
			t.Fatalf("parseS3(%q).String() = %q", loc, o.String())
		}
		j := Join(loc, elem)
		jo, err := parseS3(j)
		if err == nil && jo.Bucket != o.Bucket {
			t.Fatalf("Join(%q, %q) = %q left bucket %q", loc, elem, j, o.Bucket)
		}
		if !strings.HasPrefix(j, s3Scheme+o.Bucket) {
			t.Fatalf("Join(%q, %q) = %q", loc, elem, j)
		}
	})
}

func TestRetryable(t *testing.T) {
	cases := map[string]struct {
		err  error
		want bool
	}{
		"slowdown":     {minio.ErrorResponse{Code: "SlowDown", StatusCode: 503}, true},
		"500":          {minio.ErrorResponse{Code: "Whatever", StatusCode: 500}, true},
		"no such key":  {minio.ErrorResponse{Code: "NoSuchKey", StatusCode: 404}, false},
		"denied":       {minio.ErrorResponse{Code: "AccessDenied", StatusCode: 403}, false},
		"reset":        {&url.Error{Op: "Get", URL: "u", Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}}, true},
		"truncated":    {fmt.Errorf("body: %w", io.ErrUnexpectedEOF), true},
		"no host":      {&url.Error{Op: "Get", URL: "u", Err: &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", IsNotFound: true}}}, false},
		"bad cert":     {&url.Error{Op: "Get", URL: "u", Err: &tls.CertificateVerificationError{Err: errors.New("x509: unknown authority")}}, false},
		"idle closed":  {&url.Error{Op: "Get", URL: "u", Err: errors.New("http: server closed idle connection")}, true},
		"closed":       {&url.Error{Op: "Get", URL: "u", Err: errors.New("Connection closed by foreign host u. Retry again.")}, true},
		"cancelled":    {fmt.Errorf("x: %w", context.Canceled), false},
		"stalled read": {fmt.Errorf("%w after 1s", errStalled), true},
	}
	for name, c := range cases {
		if got := retryable(c.err); got != c.want {
			t.Errorf("%s: retryable(%v) = %v, want %v", name, c.err, got, c.want)
		}
	}
	r := Retry{Attempts: 5, Base: 100 * time.Millisecond, Max: time.Second}
	for n := 0; n < 10; n++ {
		ceil := min(time.Second, 100*time.Millisecond<<n)
		if d := r.backoff(n); d < 0 || d >= ceil {
			t.Errorf("backoff(%d) = %v, want in [0, %v)", n, d, ceil)
		}
	}
}
