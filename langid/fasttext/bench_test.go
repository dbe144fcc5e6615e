package fasttext

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
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
	cpu0 := cpuSeconds()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst = m.Predict(texts[i%len(texts)], 1, 0, dst)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu, "docs/cpu-s")
	}
}

// cpuSeconds is this process's user+system CPU time: on a shared machine
// docs per CPU-second is the per-core rate without other processes' load.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// runeTexts cuts lingua's sentences, all languages in turn, into n texts
// of size characters.
func runeTexts(b *testing.B, n, size int) []string {
	s := labelledSentences(b)
	var stream []rune
	for _, code := range sortedCodes(s) {
		for _, l := range s[code] {
			stream = append(stream, []rune(l+" ")...)
		}
	}
	out := make([]string, 0, n)
	for i := 0; len(out) < n; i = (i + size) % (len(stream) - size) {
		out = append(out, strings.TrimSpace(string(stream[i:i+size])))
	}
	return out
}

func sortedCodes(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// BenchmarkVersusCLI predicts the same texts with lid.176.ftz in Go (one
// goroutine) and with the fastText CLI (`predict`, top 1), and reports
// both in documents per CPU-second: 5,000 texts of 2,000 characters and
// lingua's 74,141 sentences. Run with -benchtime 1x.
func BenchmarkVersusCLI(b *testing.B) {
	cli := fasttextCLI(b)
	dir := b.TempDir()
	model := filepath.Join(dir, "lid.176.ftz")
	if err := os.WriteFile(model, lid176, 0o644); err != nil {
		b.Fatal(err)
	}
	m, err := LID176()
	if err != nil {
		b.Fatal(err)
	}
	var sentences []string
	s := labelledSentences(b)
	for _, code := range sortedCodes(s) {
		sentences = append(sentences, s[code]...)
	}
	for _, set := range []struct {
		name  string
		texts []string
	}{{"2000chars", runeTexts(b, 5000, 2000)}, {"sentences", sentences}} {
		b.Run(set.name, func(b *testing.B) {
			file := filepath.Join(dir, set.name+".txt")
			if err := os.WriteFile(file, []byte(strings.Join(set.texts, "\n")+"\n"), 0o644); err != nil {
				b.Fatal(err)
			}
			var goCPU, cliCPU float64
			for i := 0; i < b.N; i++ {
				cpu0 := cpuSeconds()
				for _, t := range set.texts {
					m.Top(t)
				}
				goCPU += cpuSeconds() - cpu0
				cmd := exec.Command(cli, "predict", model, file, "1")
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
				cliCPU += (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
			}
			n := float64(b.N * len(set.texts))
			b.ReportMetric(n/goCPU, "go-docs/cpu-s")
			b.ReportMetric(n/cliCPU, "cli-docs/cpu-s")
			b.ReportMetric(goCPU/float64(b.N), "go-cpu-s")
			b.ReportMetric(cliCPU/float64(b.N), "cli-cpu-s")
		})
	}
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
