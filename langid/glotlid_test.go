package langid

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGlotLIDStyleModel trains, with the fastText CLI, a small model with
// GlotLID's label form (__label__deu_Latn) on lingua's sentences and
// reads it through Config.FastTextModel: the fasttext backend answers
// language_Script with the language in langcode's spelling, and the
// combined backend still lets lingua answer for lingua's languages.
func TestGlotLIDStyleModel(t *testing.T) {
	cli, err := exec.LookPath("fasttext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("fasttext CLI missing under CI (scripts/install-fasttext): %v", err)
		}
		t.Skipf("fasttext CLI not installed: %v", err)
	}
	s := sentences(t)
	labels := map[string]string{"de": "deu_Latn", "en": "eng_Latn", "sr": "srp_Cyrl", "ru": "rus_Cyrl"}
	var train strings.Builder
	for code, label := range labels {
		for _, l := range s[code][:300] {
			fmt.Fprintf(&train, "__label__%s %s\n", label, l)
		}
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "train.txt")
	if err := os.WriteFile(in, []byte(train.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "glot")
	if b, err := exec.Command(cli, "supervised", "-input", in, "-output", out, "-dim", "8", "-epoch", "25", "-lr", "1.0",
		"-minn", "2", "-maxn", "4", "-bucket", "20000", "-thread", "1", "-verbose", "0").CombinedOutput(); err != nil {
		t.Fatalf("fasttext supervised: %v\n%s", err, b)
	}
	for _, backend := range []string{BackendFastText, BackendCombined} {
		c := DefaultConfig()
		c.Backend, c.FastTextModel = backend, out+".bin"
		d, err := NewDetector(c)
		if err != nil {
			t.Fatal(err)
		}
		right := 0
		for code, label := range labels {
			want := code + "_" + strings.SplitN(label, "_", 2)[1]
			if backend == BackendCombined {
				want = code
			}
			for _, text := range s[code][500:600] {
				if got, _, _, _ := d.Detect(text); got == want {
					right++
				}
			}
		}
		t.Logf("%s backend: %d of 400 right", backend, right)
		if right < 380 {
			t.Errorf("%s backend: %d of 400 right", backend, right)
		}
	}
	if _, err := NewDetector(Config{FastTextModel: filepath.Join(dir, "missing.bin")}); err == nil || !strings.Contains(err.Error(), "missing.bin") {
		t.Errorf("missing model: %v", err)
	}
}
