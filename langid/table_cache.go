package langid

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"math/bits"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/zeebo/xxh3"
)

// Building the packed tables from lingua's zipped protobuf models costs
// about 8 CPU-seconds and a transient 860 MB in every process, which on a
// cluster of short-lived tasks (or in the end-to-end benchmark) is more than
// the scoring itself. The built tables are therefore cached in one file per
// machine, which later processes map into memory read-only: loading is then
// a checksum pass over the file (well under a second), and processes on the
// same machine share the pages.
//
// The file is only a cache: it is rebuilt when it is missing, damaged,
// written by another format version or for other lingua models, and a
// process that cannot write it works from the tables it built.

// tableCacheVersion changes whenever the packing or the file layout does.
const tableCacheVersion = 1

// CacheDirEnv names the environment variable with which cmd/sieve sets
// the directory of the model cache (SetCacheDir); "off" disables the
// cache. Unset, the cache lives in the user's cache directory
// (os.UserCacheDir, e.g. ~/.cache/sieve).
const CacheDirEnv = "SIEVE_CACHE_DIR"

const (
	tableCacheMagic  = "SVLANGID"
	tableHeaderSize  = 64
	tableByteOrderID = 0x01020304
)

// tableFile is everything a detector needs from the models: the letter
// index, the plain tables for n = 1..5 and the back-off tables for n = 2, 3.
type tableFile struct {
	letters []rune
	skipped int64
	plain   [maxNgram + 1]*ngramTable
	backoff [4]*ngramTable
}

func (f *tableFile) tableSet() *tableSet {
	ts := &tableSet{}
	copy(ts.plain[:], f.plain[:])
	copy(ts.backoff[:], f.backoff[:])
	return ts
}

// cacheDirSetting is the directory SetCacheDir named.
var cacheDirSetting atomic.Pointer[string]

// SetCacheDir names the directory of the packed-table cache: "off" turns
// the cache off, "" means the default (the user cache directory's
// "sieve"). cmd/sieve calls it with $SIEVE_CACHE_DIR (CacheDirEnv) before
// any detector is built; the library reads no environment itself.
func SetCacheDir(dir string) { cacheDirSetting.Store(&dir) }

// cacheDir returns the model cache directory, "" when caching is off or
// there is no place for it.
func cacheDir() string {
	d := ""
	if p := cacheDirSetting.Load(); p != nil {
		d = *p
	}
	switch d {
	case "off":
		return ""
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		return filepath.Join(base, "sieve")
	default:
		return d
	}
}

// modelFingerprint identifies lingua's embedded models by file names and
// sizes, so a cache written for other models is never used.
func modelFingerprint() (uint64, error) {
	h := xxh3.New()
	fmt.Fprintf(h, "v%d chars%d bits%d langs%d\n", tableCacheVersion, maxModelChars, charBits, numLanguages)
	err := fs.WalkDir(linguaModels, "language-models", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, info.Size())
		return nil
	})
	return h.Sum64(), err
}

func tableCachePath(dir string) (string, error) {
	fp, err := modelFingerprint()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, fmt.Sprintf("langid-tables-v%d-%016x.bin", tableCacheVersion, fp)), nil
}

var diskTables struct {
	once sync.Once
	ts   *tableSet
}

// tablesFromCache returns every table, loaded from the cache file or built
// and then written to it; nil when the cache is off (the caller builds
// tables lazily as before).
func tablesFromCache() *tableSet {
	diskTables.once.Do(func() {
		dir := cacheDir()
		if dir == "" {
			return
		}
		path, err := tableCachePath(dir)
		if err != nil {
			return
		}
		f, _, err := loadTableFile(path)
		if err == nil {
			models.adopt(f)
			diskTables.ts = f.tableSet()
			return
		}
		if !errors.Is(err, fs.ErrNotExist) {
			log.Printf("langid: rebuilding the model cache: %v", err)
		}
		if f, err = models.buildAll(); err != nil {
			return // the lazy path reports the error
		}
		if err := writeTableFile(path, f); err != nil {
			log.Printf("langid: cannot write the model cache (each process rebuilds the models, ~8 CPU-s): %v", err)
		}
		diskTables.ts = f.tableSet()
	})
	return diskTables.ts
}

// buildAll builds every table from lingua's models.
func (ms *modelSet) buildAll() (*tableFile, error) {
	f := &tableFile{}
	for n := 1; n <= maxNgram; n++ {
		t, err := ms.table(n)
		if err != nil {
			return nil, err
		}
		f.plain[n] = t
	}
	for n := 2; n <= 3; n++ {
		t, err := ms.backoffTable(n)
		if err != nil {
			return nil, err
		}
		f.backoff[n] = t
	}
	f.letters = ms.letters
	f.skipped = ms.skipped.Load()
	return f, nil
}

// adopt makes a loaded file the process's models, unless a table was
// already built (then the built one stays; both are the same data).
func (ms *modelSet) adopt(f *tableFile) {
	ms.charOnce.Do(func() { ms.setLetters(f.letters[1:]) })
	for n := 1; n <= maxNgram; n++ {
		ms.once[n].Do(func() { ms.tables[n] = f.plain[n] })
	}
	for n := 2; n <= 3; n++ {
		ms.backoffOnce[n].Do(func() { ms.backoff[n] = f.backoff[n] })
	}
	ms.skipped.CompareAndSwap(0, f.skipped)
}

// tableFileWriter appends arrays, each as an element count and its bytes
// padded to 8, while hashing what it writes.
type tableFileWriter struct {
	w   *bufio.Writer
	h   *xxh3.Hasher
	n   int64
	err error
}

func (tw *tableFileWriter) raw(b []byte) {
	if tw.err != nil {
		return
	}
	if _, tw.err = tw.w.Write(b); tw.err == nil {
		tw.h.Write(b)
		tw.n += int64(len(b))
	}
}

func writeArray[T any](tw *tableFileWriter, s []T) {
	var count [8]byte
	binary.LittleEndian.PutUint64(count[:], uint64(len(s)))
	tw.raw(count[:])
	b := bytesOf(s)
	tw.raw(b)
	var pad [8]byte
	tw.raw(pad[:(8-len(b)%8)%8])
}

func writeTableFile(path string, f *tableFile) error {
	fp, err := modelFingerprint()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".langid-tables-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	defer tmp.Close()
	if _, err := tmp.Write(make([]byte, tableHeaderSize)); err != nil {
		return err
	}
	tw := &tableFileWriter{w: bufio.NewWriterSize(tmp, 1<<20), h: xxh3.New()}
	writeArray(tw, f.letters)
	writeArray(tw, []int64{f.skipped})
	for n := 1; n <= maxNgram; n++ {
		t := f.plain[n]
		writeArray(tw, []uint64{uint64(t.shift)})
		writeArray(tw, t.keys)
		writeArray(tw, t.start)
		writeArray(tw, t.langs)
		writeArray(tw, t.logps)
	}
	for n := 2; n <= 3; n++ {
		t := f.backoff[n]
		writeArray(tw, t.start)
		writeArray(tw, t.langs)
		writeArray(tw, t.logps)
	}
	if tw.err == nil {
		tw.err = tw.w.Flush()
	}
	if tw.err != nil {
		return tw.err
	}
	hdr := make([]byte, tableHeaderSize)
	copy(hdr, tableCacheMagic)
	binary.LittleEndian.PutUint32(hdr[8:], tableCacheVersion)
	*(*uint32)(unsafe.Pointer(&hdr[12])) = tableByteOrderID // native order: the arrays are native too
	binary.LittleEndian.PutUint64(hdr[16:], uint64(tw.n))
	binary.LittleEndian.PutUint64(hdr[24:], tw.h.Sum64())
	binary.LittleEndian.PutUint64(hdr[32:], fp)
	if _, err := tmp.WriteAt(hdr, 0); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// loadTableFile maps a cache file and checks it whole before use; the
// tables point into the mapping, which stays for the life of the process.
//
// The whole check (the checksum over ~290 MB and the scan of every entry)
// cost ~80 ms of CPU in every process, most of a short run's start-up.
// It is therefore done once per version of the file: when it passes, a
// stamp next to the file (path + ".verified") records the file's identity
// (device, inode, size, mtime, ctime: see fileIdentity) with its checksum
// and model fingerprint, and a later process whose file has the same
// identity skips the checksum and the entry scan (the header, fingerprint,
// sizes and array shapes are still checked). A write, truncation or
// replacement of the file changes its identity, so the file is checked
// whole again. The stamp is written atomically, and only for a file that
// had not changed in the stampMinAge before it was opened (a change within
// the timestamp clock's granularity of the previous one would leave the
// identity as it was). It is as trusted as the cache file itself: both
// live in the same directory.
//
// stamped reports that the file was taken on its stamp.
func loadTableFile(path string) (f *tableFile, stamped bool, err error) {
	start := time.Now()
	data, info, err := mapFile(path)
	if err != nil {
		return nil, false, err
	}
	id, changed := fileIdentity(info)
	stamp := ""
	if id != "" && len(data) >= tableHeaderSize {
		stamp = fmt.Sprintf("sieve langid table cache verified: %s sum=%016x fp=%016x\n",
			id, binary.LittleEndian.Uint64(data[24:]), binary.LittleEndian.Uint64(data[32:]))
	}
	stampPath := path + ".verified"
	verified := false
	if stamp != "" {
		b, err := os.ReadFile(stampPath)
		verified = err == nil && string(b) == stamp
	}
	f, err = parseTableFile(data, !verified)
	if err != nil {
		unmapFile(data)
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	if !verified && stamp != "" && start.UnixNano()-changed >= int64(stampMinAge) {
		_ = writeFileAtomic(stampPath, []byte(stamp)) // without a stamp the next process checks again
	}
	return f, verified, nil
}

// stampMinAge is how long a cache file must have been unchanged before
// its check is recorded (see loadTableFile); a variable for the tests.
var stampMinAge = 2 * time.Second

// writeFileAtomic writes a small file through a temporary file and a
// rename, so readers see the old content or the new, never a part.
func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".langid-stamp-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

var errBadTableFile = errors.New("not a valid langid table cache")

// parseTableFile reads a cache file's tables; whole adds the checksum and
// the scan of every entry (check), which a stamped file skips.
func parseTableFile(data []byte, whole bool) (*tableFile, error) {
	if len(data) < tableHeaderSize || string(data[:8]) != tableCacheMagic {
		return nil, fmt.Errorf("%w: bad header", errBadTableFile)
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != tableCacheVersion {
		return nil, fmt.Errorf("%w: format version %d, want %d", errBadTableFile, v, tableCacheVersion)
	}
	if *(*uint32)(unsafe.Pointer(&data[12])) != tableByteOrderID {
		return nil, fmt.Errorf("%w: written on a machine of the other byte order", errBadTableFile)
	}
	body := data[tableHeaderSize:]
	if n := binary.LittleEndian.Uint64(data[16:]); n != uint64(len(body)) {
		return nil, fmt.Errorf("%w: %d body bytes, header says %d", errBadTableFile, len(body), n)
	}
	fp, err := modelFingerprint()
	if err != nil {
		return nil, err
	}
	if binary.LittleEndian.Uint64(data[32:]) != fp {
		return nil, fmt.Errorf("%w: built from other lingua models", errBadTableFile)
	}
	if whole && xxh3.Hash(body) != binary.LittleEndian.Uint64(data[24:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", errBadTableFile)
	}
	r := tableFileReader{data: body}
	f := &tableFile{letters: readArray[rune](&r)}
	if s := readArray[int64](&r); len(s) == 1 {
		f.skipped = s[0]
	}
	for n := 1; n <= maxNgram; n++ {
		shift := readArray[uint64](&r)
		t := &ngramTable{keys: readArray[uint64](&r), start: readArray[uint32](&r), langs: readArray[uint8](&r), logps: readArray[float32](&r)}
		if len(shift) == 1 {
			t.shift = uint(shift[0])
		}
		f.plain[n] = t
	}
	for n := 2; n <= 3; n++ {
		f.backoff[n] = &ngramTable{keys: f.plain[n].keys, shift: f.plain[n].shift,
			start: readArray[uint32](&r), langs: readArray[uint8](&r), logps: readArray[float32](&r)}
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.data) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", errBadTableFile, len(r.data))
	}
	if err := f.check(whole); err != nil {
		return nil, err
	}
	return f, nil
}

// check verifies the shape invariants scoring relies on, so that a file
// that passes the checksum but was written by a buggy build cannot make
// a look-up index out of range. The entry scans (starts ascending,
// language indexes in range) run only when whole is set: a stamped file
// passed them before and has not changed since.
func (f *tableFile) check(whole bool) error {
	if len(f.letters) == 0 || len(f.letters) > maxModelChars {
		return fmt.Errorf("%w: %d letters", errBadTableFile, len(f.letters))
	}
	ok := func(t *ngramTable) bool {
		size := len(t.keys)
		if size == 0 || size&(size-1) != 0 || t.shift != uint(64-bits.TrailingZeros(uint(size))) ||
			len(t.start) != size+1 || len(t.langs) != len(t.logps) || int(t.start[size]) != len(t.langs) {
			return false
		}
		if !whole {
			return true
		}
		for i := range size {
			if t.start[i] > t.start[i+1] {
				return false
			}
		}
		for _, l := range t.langs {
			if int(l) >= numLanguages {
				return false
			}
		}
		return true
	}
	for n := 1; n <= maxNgram; n++ {
		if !ok(f.plain[n]) {
			return fmt.Errorf("%w: %d-gram table is inconsistent", errBadTableFile, n)
		}
	}
	for n := 2; n <= 3; n++ {
		if !ok(f.backoff[n]) {
			return fmt.Errorf("%w: %d-gram back-off table is inconsistent", errBadTableFile, n)
		}
	}
	return nil
}

type tableFileReader struct {
	data []byte
	err  error
}

func readArray[T any](r *tableFileReader) []T {
	if r.err != nil {
		return nil
	}
	if len(r.data) < 8 {
		r.err = fmt.Errorf("%w: truncated", errBadTableFile)
		return nil
	}
	count := binary.LittleEndian.Uint64(r.data)
	r.data = r.data[8:]
	var zero T
	size := uint64(unsafe.Sizeof(zero))
	if count > uint64(len(r.data))/size {
		r.err = fmt.Errorf("%w: truncated", errBadTableFile)
		return nil
	}
	n := count * size
	padded := n + (8-n%8)%8
	if padded > uint64(len(r.data)) {
		r.err = fmt.Errorf("%w: truncated", errBadTableFile)
		return nil
	}
	b := r.data[:n]
	r.data = r.data[padded:]
	if count == 0 {
		return nil
	}
	// Every array starts 8-aligned from a page-aligned mapping (or a
	// heap slice, which is 8-aligned), so this view is aligned for T.
	return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), count)
}

func bytesOf[T any](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var zero T
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(zero)))
}
