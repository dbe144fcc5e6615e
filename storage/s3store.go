package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// s3Store talks to one S3 endpoint through minio-go's low-level Core API;
// retries are ours (minio-go's own are switched off) so that there is one
// policy, one budget and one place that counts attempts.
type s3Store struct {
	core  minio.Core
	opts  Options
	retry Retry
}

func newS3Store(o Options) (*s3Store, error) {
	host, secure, lookup := "s3.amazonaws.com", true, minio.BucketLookupAuto
	if o.Region != "us-east-1" {
		host = "s3." + o.Region + ".amazonaws.com"
	}
	if o.Endpoint != "" {
		u, err := url.Parse(o.Endpoint)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("storage: S3 endpoint %q is not an http(s)://host[:port] URL", o.Endpoint)
		}
		host, secure, lookup = u.Host, u.Scheme == "https", minio.BucketLookupPath
	}
	var creds *credentials.Credentials
	if o.AccessKey != "" || o.SecretKey != "" {
		creds = credentials.NewStaticV4(o.AccessKey, o.SecretKey, o.SessionToken)
	} else {
		creds = credentials.NewChainCredentials([]credentials.Provider{
			&credentials.EnvAWS{},
			&credentials.FileAWSCredentials{},
			&credentials.IAM{},
		})
	}
	c, err := minio.New(host, &minio.Options{
		Creds:        creds,
		Secure:       secure,
		Region:       o.Region,
		BucketLookup: lookup,
		Transport:    o.Transport,
		MaxRetries:   1,
	})
	if err != nil {
		return nil, fmt.Errorf("storage: S3 client for %s: %w", host, err)
	}
	return &s3Store{core: minio.Core{Client: c}, opts: o, retry: o.Retry}, nil
}

// notFound turns S3's "no such key" answers into fs.ErrNotExist.
func notFound(loc string, err error) error {
	var er minio.ErrorResponse
	if errors.As(err, &er) && (er.Code == "NoSuchKey" || er.Code == "NoSuchBucket" || er.StatusCode == 404) {
		return &fs.PathError{Op: "open", Path: loc, Err: fs.ErrNotExist}
	}
	return err
}

func (s *s3Store) stat(ctx context.Context, loc string) (int64, error) {
	o, err := objectKey(loc)
	if err != nil {
		return 0, err
	}
	var info minio.ObjectInfo
	err = s.retry.do(ctx, "stat "+loc, func() (err error) {
		info, err = s.core.StatObject(ctx, o.Bucket, o.Key, minio.StatObjectOptions{})
		return err
	})
	if err != nil {
		return 0, notFound(loc, err)
	}
	return info.Size, nil
}

func (s *s3Store) list(ctx context.Context, loc string) ([]Entry, error) {
	o, err := parseS3(loc)
	if err != nil {
		return nil, err
	}
	prefix := o.Key
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	var out []Entry
	token := ""
	// Each page is one request retried on its own; a page holds up to 1000
	// keys, so a whole Common Crawl dump (~90,000 WARC) is ~90 requests.
	for page := 0; ; page++ {
		var res minio.ListBucketV2Result
		err := s.retry.do(ctx, "list "+loc, func() (err error) {
			res, err = s.core.ListObjectsV2(o.Bucket, prefix, "", token, "", 1000)
			return err
		})
		if err != nil {
			return nil, notFound(loc, err)
		}
		for _, c := range res.Contents {
			if strings.HasSuffix(c.Key, "/") {
				continue // folder placeholder objects made by consoles
			}
			out = append(out, Entry{Loc: objectName{o.Bucket, c.Key}.String(), Size: c.Size})
		}
		if !res.IsTruncated || res.NextContinuationToken == "" {
			break
		}
		token = res.NextContinuationToken
	}
	if len(out) == 0 && o.Key != "" && !strings.HasSuffix(o.Key, "/") {
		// loc may be an object itself rather than a prefix.
		if size, err := s.stat(ctx, loc); err == nil {
			return []Entry{{Loc: loc, Size: size}}, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Loc < out[j].Loc })
	return out, nil
}

func (s *s3Store) remove(ctx context.Context, loc string) error {
	o, err := objectKey(loc)
	if err != nil {
		return err
	}
	err = s.retry.do(ctx, "remove "+loc, func() error {
		return s.core.RemoveObject(ctx, o.Bucket, o.Key, minio.RemoveObjectOptions{})
	})
	if errors.Is(notFound(loc, err), fs.ErrNotExist) {
		return nil
	}
	return err
}
