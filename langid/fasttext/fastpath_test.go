package fasttext

import (
	"math"
	"sort"
	"strings"
	"testing"
)

// refHidden is Model.hidden written plainly after fastText's
// Dictionary::getLine and Model::computeHidden, without any of the fast
// paths: no word cache, no precomputed subwords, the generic n-gram loop
// with row's bucket test, one addRow per row. The fast paths claim the
// same float32 sums bit for bit; TestHiddenMatchesReference and
// FuzzHiddenMatchesReference hold them to it.
func refHidden(m *Model, text string) (h []float32, nInputs int) {
	d := &m.dict
	h = make([]float32, m.dim)
	var rows, hashes []int32
	for i := 0; i <= len(text); {
		for i < len(text) && isSpace(text[i]) {
			i++
		}
		var tok string
		if i == len(text) {
			tok = eos
			i++
		} else {
			j := i
			for j < len(text) && !isSpace(text[j]) {
				j++
			}
			tok = text[i:j]
			i = j
		}
		hh := hashString(tok)
		wid := d.idString(tok, hh)
		if wid >= d.nwords || (wid < 0 && strings.HasPrefix(tok, labelPrefix)) {
			continue
		}
		hashes = append(hashes, int32(hh))
		if wid >= 0 {
			rows = append(rows, wid)
		}
		if tok == eos || (wid >= 0 && m.maxn <= 0) {
			continue
		}
		rows = refCharNgrams(m, []byte("<"+tok+">"), rows)
	}
	for i := range hashes {
		hv := uint64(int64(hashes[i]))
		for j := i + 1; j < len(hashes) && j < i+m.wordNgrams; j++ {
			hv = hv*116049371 + uint64(int64(hashes[j]))
			if id, ok := m.row(int32(hv % uint64(m.bucket))); ok {
				rows = append(rows, id)
			}
		}
	}
	for _, r := range rows {
		m.input.addRow(h, r)
	}
	if len(rows) > 0 {
		inv := float32(1.0 / float64(len(rows)))
		for i := range h {
			h[i] *= inv
		}
	}
	return h, len(rows)
}

// refCharNgrams is Dictionary::computeSubwords: every n-gram of minn..maxn
// UTF-8 characters, hashed with %, mapped through row.
func refCharNgrams(m *Model, word []byte, out []int32) []int32 {
	for i := 0; i < len(word); i++ {
		if word[i]&0xC0 == 0x80 {
			continue
		}
		var ngram []byte
		for j, n := i, 1; j < len(word) && n <= m.maxn; n++ {
			ngram = append(ngram, word[j])
			j++
			for j < len(word) && word[j]&0xC0 == 0x80 {
				ngram = append(ngram, word[j])
				j++
			}
			if n >= m.minn && !(n == 1 && (i == 0 || j == len(word))) {
				if id, ok := m.row(int32(hash(ngram) % m.bucket)); ok {
					out = append(out, id)
				}
			}
		}
	}
	return out
}

// checkHidden compares Model.hidden with refHidden on text, bit for bit;
// s is reused across calls so that the word cache carries state.
func checkHidden(t *testing.T, m *Model, s *scratch, text string) {
	t.Helper()
	want, n := refHidden(m, text)
	m.hidden(s, text)
	if s.nInputs != n {
		t.Fatalf("%.80q: %d inputs, reference %d", text, s.nInputs, n)
	}
	for i := range want {
		if math.Float32bits(s.hidden[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%.80q: hidden[%d] = %v, reference %v", text, i, s.hidden[i], want[i])
		}
	}
}

// hiddenTexts are real texts in 75 languages and the real pages, plus
// awkward ones: invalid UTF-8, NULs, words longer than the word cache
// takes, label-like words, repeated words (word-cache hits).
func hiddenTexts(t *testing.T) []string {
	s := labelledSentences(t)
	codes := make([]string, 0, len(s))
	for c := range s {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var texts []string
	for _, c := range codes {
		lines := s[c][:min(60, len(s[c]))]
		texts = append(texts, lines...)
		texts = append(texts, strings.Join(lines, " "))
	}
	texts = append(texts, pageTexts(t)...)
	texts = append(texts,
		"", " ", "\n\t", "a", "</s>", "__label__en", "__label__xx hello",
		"\xff\xfe\x00 \xc3 \xe2\x82 Ä\xa4x",
		strings.Repeat("ä", 70)+" "+strings.Repeat("b", 65)+" "+strings.Repeat("文", 30),
		strings.Repeat("wordcache wordcache Wörter Wörter ", 20),
	)
	return texts
}

func TestHiddenMatchesReference(t *testing.T) {
	models := map[string]*Model{}
	lid, err := LID176()
	if err != nil {
		t.Fatal(err)
	}
	models["lid.176"] = lid
	tiny, err := FromBytes("tiny", tinyModel(t))
	if err != nil {
		t.Fatal(err)
	}
	models["tiny"] = tiny
	texts := hiddenTexts(t)
	for name, m := range models {
		t.Run(name, func(t *testing.T) {
			s := m.scratches.Get().(*scratch)
			defer m.scratches.Put(s)
			for pass := 0; pass < 2; pass++ { // the second pass meets a warm word cache
				for _, text := range texts {
					checkHidden(t, m, s, text)
				}
			}
		})
	}
}

func FuzzHiddenMatchesReference(f *testing.F) {
	m, err := LID176()
	if err != nil {
		f.Fatal(err)
	}
	f.Add("Bonjour tout le monde")
	f.Add("\xff\xfe\x00 __label__en </s> \n\n")
	f.Add(strings.Repeat("äb ", 50))
	f.Fuzz(func(t *testing.T, text string) {
		s := m.scratches.Get().(*scratch)
		defer m.scratches.Put(s)
		checkHidden(t, m, s, text)
		checkHidden(t, m, s, text) // again, from the word cache
	})
}
