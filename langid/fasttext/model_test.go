package fasttext

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestLID176(t *testing.T) {
	m, err := LID176()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Labels()) != 176 || m.Loss() != "hs" || !m.Quantized() || m.Dim() != 16 {
		t.Fatalf("lid.176: %d labels, loss %s, quantized %v, dim %d", len(m.Labels()), m.Loss(), m.Quantized(), m.Dim())
	}
	for text, want := range map[string]string{
		"Bonjour tout le monde, comment allez-vous aujourd'hui ?": "fr",
		"မြန်မာနိုင်ငံသည် အရှေ့တောင်အာရှတွင် တည်ရှိသည်။":          "my",
		"ኢትዮጵያ በአፍሪካ ቀንድ የምትገኝ አገር ናት።":                           "am",
		"ប្រទេសកម្ពុជាមានរាជធានីភ្នំពេញ។":                         "km",
		"Der schnelle braune Fuchs springt über den faulen Hund.": "de",
	} {
		p := m.Predict(text, 1, 0, nil)
		if len(p) != 1 || TrimLabel(p[0].Label) != want {
			t.Errorf("%q: got %v, want %s", text, p, want)
		}
	}
	// Thresholds and k as the CLI applies them.
	if p := m.Predict("Bonjour tout le monde", 5, 0.99, nil); len(p) > 1 {
		t.Errorf("threshold 0.99 kept %v", p)
	}
	// k <= 0 is "all labels"; hierarchical softmax still prunes paths
	// below log(1e-5), as fastText does with k = -1.
	if p := m.Predict("Bonjour tout le monde", 0, 0, nil); len(p) < 10 || p[0].Prob < p[len(p)-1].Prob {
		t.Errorf("k=0 gave %d labels", len(p))
	}
}

func TestTinyModel(t *testing.T) {
	m, err := FromBytes("tiny", tinyModel(t))
	if err != nil {
		t.Fatal(err)
	}
	p := m.Predict("hello", 2, 0, nil)
	if len(p) != 2 || p[0].Prob+p[1].Prob < 0.99 || p[0].Prob < p[1].Prob {
		t.Fatalf("tiny model: %v", p)
	}
}

// TestBadFiles: truncated, damaged, foreign and unsupported files are
// errors naming the file, found when the model is read.
func TestBadFiles(t *testing.T) {
	good := tinyModel(t)
	dir := t.TempDir()
	cases := map[string][]byte{
		"empty":     {},
		"foreign":   []byte("PK\x03\x04 this is a zip, not a model ......................................"),
		"truncated": good[:len(good)-3],
		"trailing":  append(append([]byte{}, good...), 0),
		"lid-cut":   lid176[:len(lid176)/2],
	}
	mut := func(off int, v int32) []byte {
		b := append([]byte{}, good...)
		binary.LittleEndian.PutUint32(b[off:], uint32(v))
		return b
	}
	cases["version13"] = mut(4, 13)
	cases["unsupervised"] = mut(8+7*4, 2)
	cases["huge-dim"] = mut(8, 1<<30)
	cases["huge-dict"] = mut(8+12*4+8, 1<<30)
	for name, b := range cases {
		p := filepath.Join(dir, name+".bin")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(p)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error does not name the file: %v", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
	if _, err := Load(filepath.Join(dir, "missing.bin")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if err := func() error { _, err := FromBytes("x", bytes.Repeat([]byte{0}, 100)); return err }(); err == nil {
		t.Error("zeros accepted")
	}
}

// TestNoAllocs: prediction allocates nothing per document once warm.
func TestNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items")
	}
	m, err := LID176()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("Der schnelle braune Fuchs springt über den faulen Hund. ", 30)
	dst := m.Predict(text, 3, 0, nil)
	if n := testing.AllocsPerRun(100, func() { dst = m.Predict(text, 3, 0, dst) }); n > 0 {
		t.Errorf("Predict allocates %v times per call", n)
	}
	if n := testing.AllocsPerRun(100, func() { m.Top(text) }); n > 0 {
		t.Errorf("Top allocates %v times per call", n)
	}
}

// TestMod: the multiply-shift remainder equals h % bucket.
func TestMod(t *testing.T) {
	for _, b := range []uint32{1, 2, 3, 7, 20000, 2000000, 2000003, 1<<31 - 1, 1<<32 - 1} {
		m := &Model{bucket: b, bucketM: ^uint64(0)/uint64(b) + 1}
		for _, h := range []uint32{0, 1, b - 1, b, b + 1, 2166136261, 1<<32 - 1, 123456789, 987654321} {
			if got := m.mod(h); got != h%b {
				t.Fatalf("%d %% %d: got %d", h, b, got)
			}
		}
	}
}

// TestMemory: a loaded model takes about its file's size (lid.176.ftz:
// codes, centroids, the dictionary and the pruned-bucket index).
func TestMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := FromBytes("lid", lid176)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("lid.176.ftz (%d bytes) takes %d bytes of heap", len(lid176), grown)
	if grown > 2*int64(len(lid176)) {
		t.Errorf("model takes %d bytes, more than twice its file", grown)
	}
	runtime.KeepAlive(m)
}
