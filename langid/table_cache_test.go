package langid

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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

func TestTableCacheRoundTripAndDamage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds all n-gram tables")
	}
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
	loaded, err := loadTableFile(path)
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
		if _, err := loadTableFile(bad); err == nil {
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
	if _, err := loadTableFile(path); err != nil {
		t.Errorf("rewritten cache: %v", err)
	}
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
