package storage

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"sync"
)

// Entry is one object or file found by List.
type Entry struct {
	Loc  string // full location, usable with Open
	Size int64
}

// Writer is a file or object being written. Nothing is visible at its
// location until Commit returns nil. Abort discards what was written; it is
// a no-op after Commit, so `defer w.Abort()` is the usual pattern.
type Writer interface {
	io.Writer
	Commit() error
	Abort() error
}

// ErrNotExist is returned (wrapped) for missing files and objects; it is
// fs.ErrNotExist, so errors.Is(err, fs.ErrNotExist) works for both.
var ErrNotExist = fs.ErrNotExist

// Storage dispatches locations to the local disk or to S3. Its S3 client
// is built on first remote use, so a purely local run needs no
// configuration. A Storage is safe for concurrent use.
type Storage struct {
	opts Options

	once   sync.Once
	remote *s3Store
	err    error
}

// New returns a Storage with the given options.
func New(opts Options) *Storage { return &Storage{opts: opts.withDefaults()} }

var (
	defaultMu sync.Mutex
	defaultFS *Storage
)

// SetDefault makes s the Storage behind the package-level functions.
// cmd/sieve sets it from the environment (OptionsFromEnv(os.Getenv))
// before any work; the library reads no environment itself.
func SetDefault(s *Storage) {
	defaultMu.Lock()
	defaultFS = s
	defaultMu.Unlock()
}

// Default is the Storage behind the package-level functions: the one given
// to SetDefault, else one with default Options (AWS S3 with the SDK's
// credential chain).
func Default() *Storage {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	if defaultFS == nil {
		defaultFS = New(Options{})
	}
	return defaultFS
}

func (s *Storage) s3() (*s3Store, error) {
	s.once.Do(func() { s.remote, s.err = newS3Store(s.opts) })
	return s.remote, s.err
}

// Open streams the file or object at loc. For S3 the reader resumes at the
// byte where a connection broke and retries throttling (see Retry).
func (s *Storage) Open(ctx context.Context, loc string) (io.ReadCloser, error) {
	if !IsRemote(loc) {
		return openLocal(loc)
	}
	r, err := s.s3()
	if err != nil {
		return nil, err
	}
	return r.open(ctx, loc)
}

// Stat returns the size in bytes of the file or object at loc.
func (s *Storage) Stat(ctx context.Context, loc string) (int64, error) {
	if !IsRemote(loc) {
		return statLocal(loc)
	}
	r, err := s.s3()
	if err != nil {
		return 0, err
	}
	return r.stat(ctx, loc)
}

// Exists reports whether a file or object is at loc.
func (s *Storage) Exists(ctx context.Context, loc string) (bool, error) {
	_, err := s.Stat(ctx, loc)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// List returns every file or object under loc (a folder or key prefix,
// recursively), sorted by Loc. A loc that is itself a file or object lists
// as that one entry. A missing folder or an empty prefix gives no entries
// and no error. Unfinished writes (local temp files, uncommitted uploads)
// are never listed.
func (s *Storage) List(ctx context.Context, loc string) ([]Entry, error) {
	if !IsRemote(loc) {
		return listLocal(loc)
	}
	r, err := s.s3()
	if err != nil {
		return nil, err
	}
	return r.list(ctx, loc)
}

// Create starts writing loc (local parent folders are created). The
// content appears at loc, whole, on Commit.
func (s *Storage) Create(ctx context.Context, loc string) (Writer, error) {
	if !IsRemote(loc) {
		return createLocal(loc)
	}
	r, err := s.s3()
	if err != nil {
		return nil, err
	}
	return r.create(ctx, loc)
}

// Remove deletes the file or object at loc; removing a missing one is not
// an error (S3 behaves so, and callers clean up idempotently).
func (s *Storage) Remove(ctx context.Context, loc string) error {
	if !IsRemote(loc) {
		return removeLocal(loc)
	}
	r, err := s.s3()
	if err != nil {
		return err
	}
	return r.remove(ctx, loc)
}

// WriteFile writes data to loc atomically: readers see the old content or
// all of data, never a part. Meant for small files such as completion
// markers and stats.
func (s *Storage) WriteFile(ctx context.Context, loc string, data []byte) error {
	w, err := s.Create(ctx, loc)
	if err != nil {
		return err
	}
	defer w.Abort()
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Commit()
}

// ReadFile reads the whole file or object at loc.
func (s *Storage) ReadFile(ctx context.Context, loc string) ([]byte, error) {
	r, err := s.Open(ctx, loc)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// Open streams loc with Default(); see Storage.Open.
func Open(ctx context.Context, loc string) (io.ReadCloser, error) { return Default().Open(ctx, loc) }

// Stat returns the size of loc with Default(); see Storage.Stat.
func Stat(ctx context.Context, loc string) (int64, error) { return Default().Stat(ctx, loc) }

// Exists reports whether loc exists with Default(); see Storage.Exists.
func Exists(ctx context.Context, loc string) (bool, error) { return Default().Exists(ctx, loc) }

// List lists under loc with Default(); see Storage.List.
func List(ctx context.Context, loc string) ([]Entry, error) { return Default().List(ctx, loc) }

// Create starts writing loc with Default(); see Storage.Create.
func Create(ctx context.Context, loc string) (Writer, error) { return Default().Create(ctx, loc) }

// Remove deletes loc with Default(); see Storage.Remove.
func Remove(ctx context.Context, loc string) error { return Default().Remove(ctx, loc) }

// WriteFile writes loc atomically with Default(); see Storage.WriteFile.
func WriteFile(ctx context.Context, loc string, data []byte) error {
	return Default().WriteFile(ctx, loc, data)
}

// ReadFile reads loc with Default(); see Storage.ReadFile.
func ReadFile(ctx context.Context, loc string) ([]byte, error) { return Default().ReadFile(ctx, loc) }
