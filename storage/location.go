package storage

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// s3Scheme prefixes every remote location.
const s3Scheme = "s3://"

// IsRemote reports whether loc names an object on S3-compatible storage.
func IsRemote(loc string) bool { return strings.HasPrefix(loc, s3Scheme) }

// Join appends path elements to a location: with "/" for s3:// locations
// (whatever the OS), with the OS separator for local paths.
func Join(loc string, elem ...string) string {
	if !IsRemote(loc) {
		return filepath.Join(append([]string{loc}, elem...)...)
	}
	rest := strings.TrimPrefix(loc, s3Scheme)
	bucket, key, _ := strings.Cut(rest, "/")
	parts := append([]string{"/", key}, elem...)
	// path.Join on a rooted key cleans "a//b" and "./" and keeps ".." from
	// climbing out of the bucket into another one.
	joined := strings.TrimPrefix(path.Join(parts...), "/")
	if joined == "" {
		return s3Scheme + bucket
	}
	return s3Scheme + bucket + "/" + joined
}

// objectName is a parsed s3:// location.
type objectName struct {
	Bucket string
	Key    string // may be empty (the whole bucket) or end in "/"
}

func (o objectName) String() string {
	if o.Key == "" {
		return s3Scheme + o.Bucket
	}
	return s3Scheme + o.Bucket + "/" + o.Key
}

// parseS3 splits s3://bucket/key. The bucket name follows S3's rules
// loosely (3..63 characters of lower case letters, digits, '.', '-'), enough
// to refuse typos such as "s3:///key" or a bucket with a space with a clear
// message before any request is sent.
func parseS3(loc string) (objectName, error) {
	if !IsRemote(loc) {
		return objectName{}, fmt.Errorf("storage: %q is not an s3:// location", loc)
	}
	rest := strings.TrimPrefix(loc, s3Scheme)
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return objectName{}, fmt.Errorf("storage: %q has no bucket name (want s3://bucket/key)", loc)
	}
	if len(bucket) < 3 || len(bucket) > 63 {
		return objectName{}, fmt.Errorf("storage: bucket name %q in %q must be 3 to 63 characters", bucket, loc)
	}
	for _, c := range bucket {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return objectName{}, fmt.Errorf("storage: bucket name %q in %q may hold only a-z, 0-9, '.' and '-'", bucket, loc)
		}
	}
	if len(key) > 1024 {
		return objectName{}, fmt.Errorf("storage: key in %q is %d bytes, S3 allows 1024", loc, len(key))
	}
	return objectName{Bucket: bucket, Key: key}, nil
}

// objectKey is parseS3 for operations that need a key, not a whole bucket.
func objectKey(loc string) (objectName, error) {
	o, err := parseS3(loc)
	if err != nil {
		return o, err
	}
	if o.Key == "" || strings.HasSuffix(o.Key, "/") {
		return o, fmt.Errorf("storage: %q names a bucket or folder, not an object", loc)
	}
	return o, nil
}
