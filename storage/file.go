package storage

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/minio/minio-go/v7"
)

// File is a random-access view of a file or object, for formats that read
// a footer first (Arrow IPC files, Parquet). On S3 every ReadAt is one
// ranged GET (retried), and Read streams from the current offset like Open.
type File interface {
	io.Reader
	io.ReaderAt
	io.Seeker
	io.Closer
	Size() int64
}

// OpenFile opens loc for random access.
func (s *Storage) OpenFile(ctx context.Context, loc string) (File, error) {
	if !IsRemote(loc) {
		f, err := os.Open(loc)
		if err != nil {
			return nil, err
		}
		st, err := f.Stat()
		if err != nil || st.IsDir() {
			f.Close()
			if err == nil {
				err = fmt.Errorf("storage: %s is a folder, not a file", loc)
			}
			return nil, err
		}
		return localFile{f, st.Size()}, nil
	}
	r, err := s.s3()
	if err != nil {
		return nil, err
	}
	o, err := objectKey(loc)
	if err != nil {
		return nil, err
	}
	var info minio.ObjectInfo
	err = r.retry.do(ctx, "stat "+loc, func() (err error) {
		info, err = r.core.StatObject(ctx, o.Bucket, o.Key, minio.StatObjectOptions{})
		return err
	})
	if err != nil {
		return nil, notFound(loc, err)
	}
	return &s3File{ctx: ctx, s: r, obj: o, loc: loc, size: info.Size, etag: strings.Trim(info.ETag, `"`)}, nil
}

// OpenFile opens loc for random access with Default(); see Storage.OpenFile.
func OpenFile(ctx context.Context, loc string) (File, error) { return Default().OpenFile(ctx, loc) }

type localFile struct {
	*os.File
	size int64
}

func (f localFile) Size() int64 { return f.size }

type s3File struct {
	ctx  context.Context
	s    *s3Store
	obj  objectName
	loc  string
	size int64
	etag string
	pos  int64
	seq  *s3Reader // streaming reader at pos, made on the first Read
}

func (f *s3File) Size() int64 { return f.size }

func (f *s3File) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("storage: ReadAt %s: negative offset %d", f.loc, off)
	}
	if off >= f.size {
		return 0, io.EOF
	}
	want := min(int64(len(p)), f.size-off)
	if want == 0 {
		return 0, nil
	}
	err := f.s.retry.do(f.ctx, fmt.Sprintf("read %s bytes %d-%d", f.loc, off, off+want-1), func() error {
		var opts minio.GetObjectOptions
		if err := opts.SetRange(off, off+want-1); err != nil {
			return err
		}
		if err := opts.SetMatchETag(f.etag); err != nil {
			return err
		}
		body, _, hdr, err := f.s.core.GetObject(f.ctx, f.obj.Bucket, f.obj.Key, opts)
		if err != nil {
			return err
		}
		defer body.Close()
		if cr := hdr.Get("Content-Range"); !strings.HasPrefix(cr, "bytes "+strconv.FormatInt(off, 10)+"-") {
			return fmt.Errorf("storage: ranged read of %s at %d: server answered Content-Range %q", f.loc, off, cr)
		}
		_, err = io.ReadFull(body, p[:want])
		return err
	})
	if err != nil {
		return 0, notFound(f.loc, err)
	}
	if want < int64(len(p)) {
		return int(want), io.EOF
	}
	return int(want), nil
}

func (f *s3File) Read(p []byte) (int, error) {
	if f.seq == nil {
		if f.pos >= f.size {
			return 0, io.EOF
		}
		// Starting past 0, the reader's first GET is a resume: Range from
		// pos and If-Match on the ETag seen by OpenFile.
		f.seq = &s3Reader{ctx: f.ctx, s: f.s, obj: f.obj, loc: f.loc, size: f.size, etag: f.etag, off: f.pos}
	}
	n, err := f.seq.Read(p)
	f.pos += int64(n)
	return n, err
}

func (f *s3File) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = f.pos + offset
	case io.SeekEnd:
		abs = f.size + offset
	default:
		return 0, fmt.Errorf("storage: Seek %s: bad whence %d", f.loc, whence)
	}
	if abs < 0 {
		return 0, fmt.Errorf("storage: Seek %s: negative position %d", f.loc, abs)
	}
	if abs != f.pos && f.seq != nil {
		f.seq.Close()
		f.seq = nil
	}
	f.pos = abs
	return abs, nil
}

func (f *s3File) Close() error {
	if f.seq != nil {
		f.seq.Close()
		f.seq = nil
	}
	return nil
}
