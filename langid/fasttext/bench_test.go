package fasttext

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// benchTexts returns lingua's sentences joined into texts of about 2,000
// bytes, the size the CLI measurement used.
func benchTexts(b *testing.B) []string {
	s := labelledSentences(b)
	var out []string
	for _, lines := range s {
		var cur strings.Builder
		for _, l := range lines {
			cur.WriteString(l)
			cur.WriteByte(' ')
			if cur.Len() >= 2000 {
				out = append(out, cur.String())
				cur.Reset()
			}
		}
	}
	return out
}

func benchModel(b *testing.B, m *Model) {
	texts := benchTexts(b)
	var dst []Prediction
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst = m.Predict(texts[i%len(texts)], 1, 0, dst)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkLID176 is the embedded quantized hierarchical-softmax model on
// 2 KB texts.
func BenchmarkLID176(b *testing.B) {
	m, err := LID176()
	if err != nil {
		b.Fatal(err)
	}
	benchModel(b, m)
}

// BenchmarkTrained measures one model of each loss, dense and quantized,
// trained by the fastText CLI (skipped without it).
func BenchmarkTrained(b *testing.B) {
	cli := fasttextCLI(b)
	dir := b.TempDir()
	trainFile, _ := oracleData(b, dir, 200, 0)
	for _, v := range []struct {
		name  string
		args  []string
		quant bool
	}{{"softmax", []string{"-loss", "softmax"}, false}, {"hs", []string{"-loss", "hs"}, false},
		{"ova", []string{"-loss", "ova"}, false}, {"softmax-q", []string{"-loss", "softmax"}, true}} {
		out := filepath.Join(dir, v.name)
		args := append([]string{"supervised", "-input", trainFile, "-output", out, "-dim", "16", "-epoch", "1",
			"-minn", "2", "-maxn", "4", "-wordNgrams", "2", "-bucket", "50000", "-verbose", "0"}, v.args...)
		if err := exec.Command(cli, args...).Run(); err != nil {
			b.Fatal(err)
		}
		path := out + ".bin"
		if v.quant {
			if err := exec.Command(cli, "quantize", "-output", out, "-input", trainFile, "-qnorm").Run(); err != nil {
				b.Fatal(err)
			}
			path = out + ".ftz"
		}
		m, err := Load(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(v.name, func(b *testing.B) { benchModel(b, m) })
	}
	_ = os.RemoveAll(dir)
}
