package dedup

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/storage"
)

// Every input, stage file and output of dedup is a location: a local path
// or an s3:// object, reached through the storage package, so a cluster
// needs no shared filesystem and there is one code path for both.
//
// Stage files (checked files, manifests, stats) are streamed straight to
// and from storage: storage.Create is a temp file renamed on Commit locally
// and a multipart upload completed on Commit on S3, so a half-written file
// is never visible under its name either way. Arrow shards are the
// exception where the shard package needs a local *os.File (it bounds every
// length by the file's size): a remote shard is copied to a local temporary
// file first, and a remote output is written to one and uploaded whole.

// store is the Storage dedup reads and writes through: the one configured
// from the AWS_* environment; tests point it at their own S3 server.
var store = storage.Default

// storeCtx is the context of storage calls made below the stage loops,
// which check the stage's own context between files and every 2^20 records.
// Those calls cannot hang: storage's retries and stall timeout bound each
// request (about 1.5 min at worst), and every write is atomic, so a task
// killed meanwhile leaves nothing half-written.
func storeCtx() context.Context { return context.Background() }

// joinLoc appends path elements to a local folder or s3:// prefix.
func joinLoc(loc string, elem ...string) string { return storage.Join(loc, elem...) }

// baseName is the last element of a local path or s3:// key.
func baseName(loc string) string {
	if storage.IsRemote(loc) {
		return path.Base(loc)
	}
	return filepath.Base(loc)
}

// ScratchDir is where remote shards are staged (a large local disk on a
// cluster node); empty, the system temp folder. Set by the command from
// SIEVE_WORK_DIR: the library reads no environment.
var ScratchDir string

// tempDir is where remote shards are staged.
func tempDir() string {
	if ScratchDir != "" {
		return ScratchDir
	}
	return os.TempDir()
}

// localCopy returns a local path holding loc's bytes and a function that
// removes the copy: loc itself (and a no-op) for local paths.
func localCopy(loc string) (string, func(), error) {
	p, done, err := store().LocalCopy(storeCtx(), loc, tempDir())
	if err != nil && storage.IsRemote(loc) {
		return "", nil, fmt.Errorf("staging %s: %w", loc, err)
	}
	return p, done, err
}

// maxSchemaMessage bounds the schema message read from the head of a
// remote shard; real schemas are a few kilobytes.
const maxSchemaMessage = 16 << 20

// errScratch marks failures of the local scratch folder, which say
// nothing about the shard being read.
var errScratch = errors.New("local scratch folder (SIEVE_WORK_DIR)")

// remoteSchema reads only the schema at the head of a remote Arrow shard,
// so checking every input's columns does not download every input.
func remoteSchema(loc string) (*arrow.Schema, error) {
	r, err := store().Open(storeCtx(), loc)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	s, err := schemaFromHead(r)
	if errors.Is(err, errScratch) {
		return nil, fmt.Errorf("%s: %w", loc, err)
	}
	if errors.Is(err, errNoHeadSchema) {
		// An IPC file whose schema is only in its footer (apache-arrow
		// JS writes them): read it from a local copy.
		return stagedSchema(loc)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: not an Arrow IPC shard: %w", loc, err)
	}
	return s, nil
}

// errNoHeadSchema: an IPC file's first message is not its schema.
var errNoHeadSchema = errors.New("no schema message after the file magic")

func stagedSchema(loc string) (*arrow.Schema, error) {
	local, done, err := localCopy(loc)
	if err != nil {
		return nil, err
	}
	defer done()
	r, err := shard.Open(local)
	if err != nil {
		return nil, fmt.Errorf("%s: not an Arrow IPC shard: %w", loc, err)
	}
	defer r.Close()
	return r.Schema(), nil
}

// schemaFromHead reads the schema message at the start of an Arrow IPC
// stream, or of a file (whose body after 8 bytes of magic is a stream),
// reading no further than that message.
func schemaFromHead(r io.Reader) (s *arrow.Schema, err error) {
	defer recoverDamaged("schema", &err)
	var head [8]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, err
	}
	isFile := string(head[:6]) == "ARROW1"
	if isFile {
		// The file format does not promise a schema message after the
		// magic (apache-arrow JS writes the schema in the footer only):
		// whatever goes wrong here, the caller reads the whole file.
		defer func() {
			if err != nil && !errors.Is(err, errScratch) {
				s, err = nil, fmt.Errorf("%w: %w", errNoHeadSchema, err)
			}
		}()
		if _, err := io.ReadFull(r, head[:]); err != nil {
			return nil, err
		}
	}
	// A message is 0xFFFFFFFF, an int32 length and the metadata; streams
	// from before Arrow 0.15 have no 0xFFFFFFFF.
	var prefix, lenBytes, got []byte
	if bytes.Equal(head[:4], []byte{0xff, 0xff, 0xff, 0xff}) {
		prefix, lenBytes = head[:], head[4:8]
	} else {
		prefix, lenBytes, got = head[:4], head[:4], head[4:]
	}
	n := int64(int32(binary.LittleEndian.Uint32(lenBytes)))
	if n <= 0 || n > maxSchemaMessage || n < int64(len(got)) {
		return nil, fmt.Errorf("schema message of %d bytes", n)
	}
	msg := make([]byte, 0, len(prefix)+int(n))
	msg = append(append(msg, prefix...), got...)
	rest := make([]byte, n-int64(len(got)))
	if _, err := io.ReadFull(r, rest); err != nil {
		return nil, err
	}
	msg = append(msg, rest...)
	// arrow-go trusts the flatbuffer's vector lengths (a damaged schema can
	// make it allocate gigabytes); the shard package checks them first, and
	// reads from a file, so the one message goes through a small temp file.
	if err := os.MkdirAll(tempDir(), 0o755); err != nil {
		return nil, fmt.Errorf("%w: %w", errScratch, err)
	}
	f, err := os.CreateTemp(tempDir(), "sieve-dedup-schema-*.arrow")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errScratch, err)
	}
	defer os.Remove(f.Name())
	_, err = f.Write(msg)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	sr, err := shard.Open(f.Name())
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	if sr.Schema() == nil {
		return nil, errors.New("no schema")
	}
	return sr.Schema(), nil
}
