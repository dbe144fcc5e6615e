package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/minio/minio-go/v7"
)

// maxParts is S3's limit on parts per multipart upload.
const maxParts = 10000

// s3Writer buffers one part at a time. An object that fits in one part is
// sent with a single PUT on Commit; a larger one becomes a multipart upload
// started when the first part is full, completed on Commit. Either way no
// object exists at the key before Commit. One part uploads in the
// background while the next fills, so the producer (the shard encoder)
// rarely waits on the network; a writer holds at most two parts in memory.
type s3Writer struct {
	ctx      context.Context
	s        *s3Store
	obj      objectName
	loc      string
	buf      []byte
	uploadID string
	parts    []minio.CompletePart // finished parts, in order
	inflight chan partResult      // the part being uploaded, if any
	spare    []byte               // the buffer of the part in flight
	written  int64
	done     bool
	err      error // sticky: a failed part fails the whole object
}

func (s *s3Store) create(ctx context.Context, loc string) (Writer, error) {
	o, err := objectKey(loc)
	if err != nil {
		return nil, err
	}
	return &s3Writer{ctx: ctx, s: s, obj: o, loc: loc}, nil
}

func (w *s3Writer) Write(p []byte) (int, error) {
	if w.done {
		return 0, fmt.Errorf("storage: write to %s after Commit or Abort", w.loc)
	}
	if w.err != nil {
		return 0, w.err
	}
	size := int(w.s.opts.PartSize)
	if w.buf == nil {
		w.buf = make([]byte, 0, min(size, max(len(p), 64<<10)))
	}
	n := 0
	for len(p) > 0 {
		room := size - len(w.buf)
		k := min(room, len(p))
		w.buf = append(w.buf, p[:k]...)
		p, n = p[k:], n+k
		if len(w.buf) == size {
			if err := w.uploadPart(); err != nil {
				w.err = err
				return n, err
			}
		}
	}
	w.written += int64(n)
	return n, nil
}

type partResult struct {
	part minio.CompletePart
	err  error
}

// wait collects the part in flight.
func (w *s3Writer) wait() error {
	if w.inflight == nil {
		return nil
	}
	res := <-w.inflight
	w.inflight = nil
	if res.err != nil {
		return res.err
	}
	w.parts = append(w.parts, res.part)
	return nil
}

// partsStarted counts the parts uploaded or uploading.
func (w *s3Writer) partsStarted() int {
	if w.inflight != nil {
		return len(w.parts) + 1
	}
	return len(w.parts)
}

// uploadPart starts sending the buffer as the next part, after the
// previous part has finished.
func (w *s3Writer) uploadPart() error {
	if w.uploadID == "" {
		err := w.s.retry.do(w.ctx, "start upload "+w.loc, func() (err error) {
			w.uploadID, err = w.s.core.NewMultipartUpload(w.ctx, w.obj.Bucket, w.obj.Key, minio.PutObjectOptions{})
			return err
		})
		if err != nil {
			return err
		}
	}
	if err := w.wait(); err != nil {
		return err
	}
	num := len(w.parts) + 1
	if num > maxParts {
		return fmt.Errorf("storage: %s needs more than %d parts of %d bytes; raise Options.PartSize", w.loc, maxParts, w.s.opts.PartSize)
	}
	buf, ctx, s, obj, id := w.buf, w.ctx, w.s, w.obj, w.uploadID
	ch := make(chan partResult, 1)
	go func() {
		var part minio.ObjectPart
		err := s.retry.do(ctx, fmt.Sprintf("upload part %d of %s", num, w.loc), func() (err error) {
			part, err = s.core.PutObjectPart(ctx, obj.Bucket, obj.Key, id, num,
				bytes.NewReader(buf), int64(len(buf)), minio.PutObjectPartOptions{})
			return err
		})
		ch <- partResult{minio.CompletePart{PartNumber: num, ETag: part.ETag}, err}
	}()
	w.inflight = ch
	if w.spare == nil {
		w.spare = make([]byte, 0, w.s.opts.PartSize)
	}
	w.buf, w.spare = w.spare[:0], buf
	return nil
}

func (w *s3Writer) Commit() error {
	if w.done {
		return fmt.Errorf("storage: %s already committed or aborted", w.loc)
	}
	if w.err != nil {
		w.Abort()
		return w.err
	}
	err := w.commit()
	if err != nil {
		w.Abort()
		return fmt.Errorf("storage: commit %s: %w", w.loc, err)
	}
	w.done = true
	return nil
}

func (w *s3Writer) commit() error {
	if w.uploadID == "" {
		return w.s.retry.do(w.ctx, "put "+w.loc, func() error {
			_, err := w.s.core.PutObject(w.ctx, w.obj.Bucket, w.obj.Key, bytes.NewReader(w.buf), int64(len(w.buf)), "", "", minio.PutObjectOptions{})
			return err
		})
	}
	if len(w.buf) > 0 {
		if err := w.uploadPart(); err != nil {
			return err
		}
	}
	if err := w.wait(); err != nil {
		return err
	}
	tries := 0
	err := w.s.retry.do(w.ctx, "complete upload "+w.loc, func() error {
		tries++
		_, err := w.s.core.CompleteMultipartUpload(w.ctx, w.obj.Bucket, w.obj.Key, w.uploadID, w.parts, minio.PutObjectOptions{})
		return err
	})
	var er minio.ErrorResponse
	if err != nil && tries > 1 && errors.As(err, &er) && er.Code == "NoSuchUpload" {
		// An earlier attempt completed the upload but its answer was lost.
		if size, serr := w.s.stat(w.ctx, w.loc); serr == nil && size == w.written {
			return nil
		}
	}
	return err
}

// Abort drops the upload and its parts. It runs even if the writer's
// context is cancelled (a cancelled task must still not leave parts that
// the bucket bills for), bounded by a minute.
func (w *s3Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	// A part still uploading could land after the abort and be billed:
	// let it finish (or fail) first.
	w.wait()
	w.buf, w.spare = nil, nil
	if w.uploadID == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(w.ctx), time.Minute)
	defer cancel()
	err := w.s.retry.do(ctx, "abort upload "+w.loc, func() error {
		return w.s.core.AbortMultipartUpload(ctx, w.obj.Bucket, w.obj.Key, w.uploadID)
	})
	var er minio.ErrorResponse
	if errors.As(err, &er) && er.Code == "NoSuchUpload" {
		return nil
	}
	return err
}
