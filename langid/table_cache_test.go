package langid

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func sameTable(t *testing.T, name string, a, b *ngramTable) {
	t.Helper()
	if a.shift != b.shift || !bytes.Equal(bytesOf(a.keys), bytesOf(b.keys)) || !bytes.Equal(bytesOf(a.start), bytesOf(b.start)) ||
		!bytes.Equal(a.langs, b.langs) || !bytes.Equal(bytesOf(a.logps), bytesOf(b.logps)) {
		t.Errorf("%s differs (keys %d/%d, entries %d/%d)", name, len(a.keys), len(b.keys), len(a.langs), len(b.langs))
	}
}

func sameTableFile(t *testing.T, a, b *tableFile) {
	t.Helper()
	if string(bytesOf(a.letters)) != string(bytesOf(b.letters)) || a.skipped != b.skipped {
		t.Errorf("letters or skipped count differ: %d/%d letters, %d/%d skipped", len(a.letters), len(b.letters), a.skipped, b.skipped)
	}
	for n := 1; n <= maxNgram; n++ {
		sameTable(t, "plain "+string(rune('0'+n)), a.plain[n], b.plain[n])
	}
	for n := 2; n <= 3; n++ {
		sameTable(t, "back-off "+string(rune('0'+n)), a.backoff[n], b.backoff[n])
	}
}

// The tables this process uses (loaded from the machine's cache when there
// is one) must equal tables built now from lingua's models: a cache left by
// an older build of sieve with other packing would fail here.
func TestCachedTablesEqualFreshBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds all n-gram tables twice")
	}
	if _, err := tablesUpTo(maxNgram); err != nil {
		t.Fatal(err)
	}
	inUse, err := models.buildAll() // returns the process's tables, however they came
	if err != nil {
		t.Fatal(err)
	}
	var fresh modelSet
	built, err := fresh.buildAll()
	if err != nil {
		t.Fatal(err)
	}
	sameTableFile(t, inUse, built)
}

// writtenTableFile builds every n-gram table and writes the cache file to
// a temporary folder: the built tables and the file's path.
func writtenTableFile(t *testing.T) (*tableFile, string) {
	t.Helper()
	if _, err := tablesUpTo(maxNgram); err != nil {
		t.Fatal(err)
	}
	f, err := models.buildAll()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path, err := tableCachePath(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeTableFile(path, f); err != nil {
		t.Fatal(err)
	}
	return f, path
}

func TestTableCacheRoundTripAndDamage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds all n-gram tables")
	}
	f, path := writtenTableFile(t)
	dir := filepath.Dir(path)
	loaded, _, err := loadTableFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sameTableFile(t, f, loaded)
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	damage := map[string]func([]byte) []byte{
		"flipped body byte": func(b []byte) []byte { b[len(b)/2] ^= 0x40; return b },
		"truncated":         func(b []byte) []byte { return b[:len(b)-1000] },
		"short header":      func(b []byte) []byte { return b[:20] },
		"other version":     func(b []byte) []byte { b[8]++; return b },
		"other models":      func(b []byte) []byte { b[33] ^= 1; return b },
		"trailing bytes":    func(b []byte) []byte { return append(b, make([]byte, 16)...) },
		"empty":             func(b []byte) []byte { return nil },
	}
	for name, spoil := range damage {
		bad := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".bin")
		if err := os.WriteFile(bad, spoil(bytes.Clone(good)), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := loadTableFile(bad); err == nil {
			t.Errorf("%s: loaded without error", name)
		}
	}
	// A damaged cache is replaced by a good one in place.
	if err := os.WriteFile(path, good[:len(good)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeTableFile(path, f); err != nil {
		t.Fatal(err)
	}
	if _, _, err := loadTableFile(path); err != nil {
		t.Errorf("rewritten cache: %v", err)
	}
}

// A file whose check passed is stamped, and later loads skip the checksum
// and entry scan only while the file is the one that was checked: a byte
// written in place, a truncation, other models in the header or a file
// put in its place are caught as before.
func TestTableCacheStamp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds all n-gram tables")
	}
	if runtime.GOOS != "linux" {
		t.Skip("stamps are kept on Linux only")
	}
	f, path := writtenTableFile(t)
	stampPath := path + ".verified"
	load := func(what string, wantStamped bool) {
		t.Helper()
		loaded, stamped, err := loadTableFile(path)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if stamped != wantStamped {
			t.Errorf("%s: taken on the stamp %v, want %v", what, stamped, wantStamped)
		}
		sameTableFile(t, f, loaded)
	}
	rejected := func(what string) {
		t.Helper()
		if _, _, err := loadTableFile(path); err == nil {
			t.Errorf("%s: loaded without error", what)
		}
	}
	// A file changed within stampMinAge is checked but not stamped.
	load("just written", false)
	if _, err := os.Stat(stampPath); !os.IsNotExist(err) {
		t.Fatalf("a just-written file was stamped (%v)", err)
	}
	prev := stampMinAge
	t.Cleanup(func() { stampMinAge = prev })
	stampMinAge = 0
	load("first check", false)
	load("stamped", true)

	// Writes in place change the file's identity (the sleep puts them on
	// another tick of the file-time clock than the stamp's).
	writeAt := func(b []byte, off int64) {
		t.Helper()
		time.Sleep(50 * time.Millisecond)
		w, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.WriteAt(b, off); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mid := int64(len(good) / 2)
	writeAt([]byte{good[mid] ^ 0x40}, mid)
	rejected("flipped body byte after stamping")
	writeAt(good[mid:mid+1], mid)
	load("restored byte", false)
	load("restamped", true)
	writeAt([]byte{good[33] ^ 1}, 33)
	rejected("other models after stamping")
	writeAt(good[33:34], 33)
	load("restored header", false)
	time.Sleep(50 * time.Millisecond)
	if err := os.Truncate(path, int64(len(good))-1000); err != nil {
		t.Fatal(err)
	}
	rejected("truncated after stamping")

	// Another file put in its place (same bytes, other inode) is checked.
	if err := writeTableFile(path, f); err != nil {
		t.Fatal(err)
	}
	load("replaced by rename", false)
	load("replacement stamped", true)
}

func TestSetCacheDir(t *testing.T) {
	prev := cacheDirSetting.Load()
	t.Cleanup(func() { cacheDirSetting.Store(prev) })
	SetCacheDir("off")
	if d := cacheDir(); d != "" {
		t.Errorf("off: %q", d)
	}
	SetCacheDir("/x/y")
	if d := cacheDir(); d != "/x/y" {
		t.Errorf("set: %q", d)
	}
	SetCacheDir("")
	if d := cacheDir(); d == "" || d == "/x/y" {
		t.Errorf("default: %q", d)
	}
}
