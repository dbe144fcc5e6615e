package storage

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"
)

// s3Reader streams one object. When the body breaks (reset, truncated,
// stalled) it asks again with "Range: bytes=off-" and If-Match on the ETag
// of the first answer, so the bytes after a resume are from the same
// version of the object, and continues where it broke.
type s3Reader struct {
	ctx   context.Context
	s     *s3Store
	obj   objectName
	loc   string
	size  int64
	etag  string
	off   int64
	body  io.ReadCloser
	watch *stallWatch

	// fails counts consecutive failed attempts without a byte of progress;
	// it bounds the retries (progress resets it).
	fails int
	// Resumes counts reconnections, for tests and logs.
	Resumes int
}

func (s *s3Store) open(ctx context.Context, loc string) (io.ReadCloser, error) {
	o, err := objectKey(loc)
	if err != nil {
		return nil, err
	}
	r := &s3Reader{ctx: ctx, s: s, obj: o, loc: loc, size: -1}
	if err := s.retry.do(ctx, "open "+loc, r.get); err != nil {
		return nil, notFound(loc, err)
	}
	return r, nil
}

// get sends the GET for the bytes from r.off on.
func (r *s3Reader) get() error {
	var opts minio.GetObjectOptions
	if r.off > 0 {
		if err := opts.SetRange(r.off, 0); err != nil {
			return err
		}
		if r.etag != "" {
			if err := opts.SetMatchETag(r.etag); err != nil {
				return err
			}
		}
	}
	body, info, hdr, err := r.s.core.GetObject(r.ctx, r.obj.Bucket, r.obj.Key, opts)
	if err != nil {
		return err
	}
	if r.off > 0 {
		// A server that ignored Range would send the object from byte 0
		// and we would silently duplicate data.
		if want := "bytes " + strconv.FormatInt(r.off, 10) + "-"; !strings.HasPrefix(hdr.Get("Content-Range"), want) {
			body.Close()
			return fmt.Errorf("storage: resuming %s at byte %d: server answered Content-Range %q", r.loc, r.off, hdr.Get("Content-Range"))
		}
	} else {
		r.size, r.etag = info.Size, strings.Trim(info.ETag, `"`)
	}
	r.body = body
	r.watch = newStallWatch(r.s.opts.StallTimeout, body)
	return nil
}

func (r *s3Reader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if r.body == nil {
			if r.off >= r.size {
				return 0, io.EOF
			}
			if err := r.get(); err != nil {
				if !retryable(err) || r.fails+1 >= r.s.retry.attempts() {
					return 0, fmt.Errorf("storage: read %s at byte %d of %d: %w", r.loc, r.off, r.size, notFound(r.loc, err))
				}
				if err := r.backoff(); err != nil {
					return 0, err
				}
				continue
			}
			r.Resumes++
		}
		n, err := r.watch.read(r.body, p)
		r.off += int64(n)
		if n > 0 {
			r.fails = 0
		}
		if err == nil {
			return n, nil
		}
		if err == io.EOF && r.off == r.size {
			return n, io.EOF
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // the connection ended before the object did
		}
		if r.off > r.size && r.size >= 0 {
			return n, fmt.Errorf("storage: read %s: got more than its %d bytes", r.loc, r.size)
		}
		r.closeBody()
		if !retryable(err) {
			return n, fmt.Errorf("storage: read %s at byte %d: %w", r.loc, r.off, err)
		}
		if n > 0 {
			return n, nil // hand over what arrived; the next Read resumes
		}
		if r.fails+1 >= r.s.retry.attempts() {
			return 0, fmt.Errorf("storage: read %s at byte %d of %d: giving up after %d attempts: %w", r.loc, r.off, r.size, r.fails+1, err)
		}
		if err := r.backoff(); err != nil {
			return 0, err
		}
	}
}

func (r *s3Reader) backoff() error {
	d := r.s.retry.backoff(r.fails)
	r.fails++
	if err := sleep(r.ctx, d); err != nil {
		return fmt.Errorf("storage: read %s at byte %d: %w", r.loc, r.off, err)
	}
	return nil
}

func (r *s3Reader) closeBody() {
	if r.body != nil {
		r.watch.stop()
		r.body.Close()
		r.body = nil
	}
}

func (r *s3Reader) Close() error {
	r.closeBody()
	r.off = r.size // further Reads give EOF, not a reconnection
	return nil
}

// stallWatch closes a body that delivered nothing for a while: Go's HTTP
// client has no per-read timeout, and a half-dead TCP connection can block a
// read for the kernel's keep-alive time (hours by default).
type stallWatch struct {
	mu      sync.Mutex
	timer   *time.Timer
	d       time.Duration
	stalled bool
}

func newStallWatch(d time.Duration, body io.Closer) *stallWatch {
	w := &stallWatch{d: d}
	w.timer = time.AfterFunc(time.Hour, func() {
		w.mu.Lock()
		w.stalled = true
		w.mu.Unlock()
		body.Close()
	})
	w.timer.Stop()
	return w
}

func (w *stallWatch) read(body io.Reader, p []byte) (int, error) {
	// Armed only during the read: a slow consumer between reads is not a
	// stalled connection.
	w.timer.Reset(w.d)
	n, err := body.Read(p)
	w.timer.Stop()
	w.mu.Lock()
	stalled := w.stalled
	w.mu.Unlock()
	if stalled && err != nil {
		err = fmt.Errorf("%w after %v without data (%v)", errStalled, w.d, err)
	}
	return n, err
}

func (w *stallWatch) stop() { w.timer.Stop() }
