package fasttext

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// FuzzRead feeds damaged model files to the reader: it must return a
// model or an error, never panic or allocate what the file cannot hold;
// a model it accepts must predict without panicking.
func FuzzRead(f *testing.F) {
	f.Add(lid176[:4096])
	f.Add(tinyModel(f))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := FromBytes("fuzz", b)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		m.Predict("hello world ünïcode 中文 __label__x", 5, 0, nil)
		m.Predict("", 1, 0.5, nil)
	})
}

// tinyModel returns a valid small softmax model written by hand in
// fastText's layout: two words, two labels, dim 2, char n-grams 1..2 in
// 8 buckets.
func tinyModel(t testing.TB) []byte {
	var b bytes.Buffer
	w := func(v any) {
		if err := binary.Write(&b, binary.LittleEndian, v); err != nil {
			t.Fatal(err)
		}
	}
	w(int32(magic))
	w(int32(version))
	// dim ws epoch minCount neg wordNgrams loss model bucket minn maxn lrUpdateRate t
	w([]int32{2, 5, 5, 1, 5, 2, lossSoftmax, modelSup, 8, 1, 2, 100})
	w(float64(1e-4))
	w([]int32{4, 2, 2}) // size, nwords, nlabels
	w(int64(10))
	w(int64(-1))
	for i, e := range []string{"</s>", "hello", "__label__a", "__label__b"} {
		b.WriteString(e)
		b.WriteByte(0)
		w(int64(5 - i))
		w(int8(i / 2))
	}
	b.WriteByte(0) // dense input
	w([]int64{2 + 8, 2})
	for i := 0; i < 20; i++ {
		w(float32(i%7) / 7)
	}
	b.WriteByte(0) // dense output
	w([]int64{2, 2})
	w([]float32{1, -1, -0.5, 0.5})
	return b.Bytes()
}

// FuzzPredict runs lid.176 on arbitrary bytes (invalid UTF-8, NULs, long
// tokens, label-like words): probabilities stay in (0, 1.001], best first,
// and the top label matches Top. (fastText's hierarchical softmax adds
// log(p + 1e-5) at every level of the tree, so a sure answer reports up
// to (1 + 1e-5)^depth, e.g. 1.00006; the CLI prints the same.)
func FuzzPredict(f *testing.F) {
	m, err := LID176()
	if err != nil {
		f.Fatal(err)
	}
	f.Add("Bonjour tout le monde")
	f.Add("\xff\xfe\x00 __label__en </s> \n\n")
	f.Add(strings.Repeat("ä", 3000))
	f.Fuzz(func(t *testing.T, text string) {
		p := m.Predict(text, 5, 0, nil)
		for i, x := range p {
			if !(x.Prob > 0 && x.Prob <= 1.001) || (i > 0 && x.Prob > p[i-1].Prob) {
				t.Fatalf("%q: %v", text, p)
			}
		}
		if idx, prob := m.Top(text); len(p) > 0 && (idx != p[0].Index || prob != p[0].Prob) {
			t.Fatalf("%q: Top %d %v, Predict %v", text, idx, prob, p[0])
		}
	})
}
