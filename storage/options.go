package storage

import (
	"net/http"
	"time"
)

// Options configure the S3 side of a Storage.
type Options struct {
	// Endpoint is the S3 API's URL, such as http://127.0.0.1:7070 or
	// https://s3.us-east-1.amazonaws.com. Empty means AWS S3 itself.
	// Custom endpoints are addressed path-style (endpoint/bucket/key), which
	// every S3-compatible server understands.
	Endpoint string
	// Region defaults to us-east-1.
	Region string
	// AccessKey and SecretKey (and SessionToken for temporary credentials).
	// When both are empty the AWS chain is used: environment, then
	// ~/.aws/credentials, then the instance or pod role (IRSA on EKS).
	AccessKey, SecretKey, SessionToken string
	// PartSize is the multipart upload part size. AWS S3 requires at least
	// 5 MiB for every part but the last and allows 10,000 parts, so the
	// default 16 MiB caps one object at about 156 GiB.
	PartSize int64
	// Retry is the backoff policy; zero means DefaultRetry.
	Retry Retry
	// StallTimeout aborts and resumes a read whose connection sent nothing
	// for this long (default 60 s), so a silently dead connection cannot hang
	// a task.
	StallTimeout time.Duration
	// Transport replaces the HTTP transport (tests, proxies).
	Transport http.RoundTripper
}

// DefaultPartSize is the multipart part size when Options.PartSize is 0.
const DefaultPartSize = 16 << 20

// MinPartSize is S3's smallest part but the last; AWS and compatible
// servers (versitygw, MinIO) refuse the upload's completion otherwise, so a
// smaller Options.PartSize is raised to it.
const MinPartSize = 5 << 20

// OptionsFromEnv reads, through getenv (os.Getenv in cmd/: the library
// reads no environment itself), the variables the AWS CLI and SDKs use:
// AWS_ENDPOINT_URL_S3 or else AWS_ENDPOINT_URL, AWS_REGION or else
// AWS_DEFAULT_REGION (default us-east-1), AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
func OptionsFromEnv(getenv func(string) string) Options {
	first := func(names ...string) string {
		for _, n := range names {
			if v := getenv(n); v != "" {
				return v
			}
		}
		return ""
	}
	o := Options{
		Endpoint:     first("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"),
		Region:       first("AWS_REGION", "AWS_DEFAULT_REGION"),
		AccessKey:    getenv("AWS_ACCESS_KEY_ID"),
		SecretKey:    getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken: getenv("AWS_SESSION_TOKEN"),
	}
	return o.withDefaults()
}

func (o Options) withDefaults() Options {
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.PartSize <= 0 {
		o.PartSize = DefaultPartSize
	}
	o.PartSize = max(o.PartSize, MinPartSize)
	if o.Retry.Attempts == 0 {
		o.Retry = DefaultRetry
	}
	if o.StallTimeout <= 0 {
		o.StallTimeout = 60 * time.Second
	}
	return o
}
