package fasttext

import (
	"math"
	"math/bits"
)

// Prediction is one label with its probability, as fastText's
// predict-prob prints it.
type Prediction struct {
	Label string  // as stored in the model, e.g. "__label__en"
	Index int     // the label's index in Labels()
	Prob  float32 // exp(log(p + 1e-5)), fastText's rounding included
}

// scratch is one goroutine's working memory.
type scratch struct {
	hidden  []float32
	output  []float32
	rows    []int32 // the document's input rows, in order
	hashes  []int32
	buf     []byte
	heap    []pair
	nInputs int
	words   wordCache
}

type pair struct {
	score float32
	index int32
}

const (
	sigmoidTableSize = 512
	maxSigmoid       = 8
)

func initSigmoid(t *[sigmoidTableSize + 1]float32) {
	for i := range t {
		x := float32(i*2*maxSigmoid)/sigmoidTableSize - maxSigmoid
		t[i] = float32(1.0 / (1.0 + float64(expf(-x))))
	}
}

// expf is C's expf: the float32 rounding of the exact exponential (glibc's
// expf is correctly rounded in all but rare cases; so is this).
func expf(x float32) float32 { return float32(math.Exp(float64(x))) }

// stdLog is fastText's std_log: log(x + 1e-5) in double, stored as float.
func stdLog(x float32) float32 { return float32(math.Log(float64(x) + 1e-5)) }

func (m *Model) sigmoidOf(x float32) float32 {
	if x < -maxSigmoid {
		return 0
	}
	if x > maxSigmoid {
		return 1
	}
	i := int64((x + maxSigmoid) * sigmoidTableSize / maxSigmoid / 2)
	return m.sigmoid[i]
}

// isSpace is fastText's token separator set (Dictionary::readWord).
func isSpace(c byte) bool { return spaceBytes[c] }

// spaceBytes marks the bytes fastText separates tokens at: ' ', '\n',
// '\r', '\t', '\v', '\f' and NUL.
var spaceBytes = [256]bool{' ': true, '\n': true, '\r': true, '\t': true, '\v': true, '\f': true, 0: true}

// Predict returns up to k labels whose probability reaches threshold, best
// first, appended to dst[:0]. The text is one document: every byte fastText
// treats as white space (newlines included) separates words, and the
// end-of-line token </s> follows the last word, exactly as the fastText CLI
// reads one line and as datatrove's filters predict a document after
// replacing its newlines with spaces. k <= 0 means all labels.
func (m *Model) Predict(text string, k int, threshold float32, dst []Prediction) []Prediction {
	dst = dst[:0]
	s := m.scratches.Get().(*scratch)
	defer m.scratches.Put(s)
	n := m.predict(s, text, k, threshold)
	for i := 0; i < n; i++ {
		p := s.heap[i]
		dst = append(dst, Prediction{Label: m.labels[p.index], Index: int(p.index), Prob: expf(p.score)})
	}
	return dst
}

// Top returns the best label's index and probability, or -1 when the
// text yields no input rows (only unknown words in a model without
// n-grams).
func (m *Model) Top(text string) (int, float32) {
	s := m.scratches.Get().(*scratch)
	defer m.scratches.Put(s)
	if m.predict(s, text, 1, 0) == 0 {
		return -1, 0
	}
	return int(s.heap[0].index), expf(s.heap[0].score)
}

// predict leaves the sorted predictions in s.heap and returns their count.
func (m *Model) predict(s *scratch, text string, k int, threshold float32) int {
	nl := int(m.dict.nlabels)
	if k <= 0 || k > nl {
		k = nl
	}
	m.hidden(s, text)
	s.heap = s.heap[:0]
	if s.nInputs == 0 {
		return 0
	}
	if m.loss == lossHS {
		m.dfs(s, k, stdLog(threshold), int32(2*nl-2), 0)
	} else {
		m.computeOutput(s)
		m.findKBest(s, k, threshold)
	}
	sortHeap(s.heap)
	return len(s.heap)
}

// hidden computes the averaged input rows of text's words, character
// n-grams and word n-grams (fastText Dictionary::getLine and
// Model::computeHidden), adding rows in fastText's order.
func (m *Model) hidden(s *scratch, text string) {
	h := s.hidden
	for i := range h {
		h[i] = 0
	}
	s.nInputs = 0
	s.hashes = s.hashes[:0]
	s.rows = s.rows[:0]
	d := &m.dict
	for i := 0; i <= len(text); {
		// Next token: a word, or </s> at the end of the text.
		for i < len(text) && isSpace(text[i]) {
			i++
		}
		var tok string
		if i == len(text) {
			tok = eos
			i++ // stop after this token
		} else {
			j := i
			for j < len(text) && !isSpace(text[j]) {
				j++
			}
			tok = text[i:j]
			i = j
		}
		hh := hashString(tok)
		if ids, ok := s.words.get(tok, hh); ok {
			// A word outside the dictionary seen before: the same rows
			// as charNgrams below (wordCache).
			s.hashes = append(s.hashes, int32(hh))
			s.rows = append(s.rows, ids...)
			s.nInputs += len(ids)
			continue
		}
		wid := d.idString(tok, hh)
		if wid >= d.nwords || (wid < 0 && len(tok) >= len(labelPrefix) && tok[:len(labelPrefix)] == labelPrefix) {
			continue // a label: not an input
		}
		s.hashes = append(s.hashes, int32(hh))
		if wid >= 0 {
			if d.subOffs != nil {
				ids := d.sub[d.subOffs[wid]:d.subOffs[wid+1]]
				s.rows = append(s.rows, ids...)
				s.nInputs += len(ids)
				continue
			}
			s.rows = append(s.rows, wid)
			s.nInputs++
			if m.maxn <= 0 || tok == eos {
				continue
			}
		} else if tok == eos {
			continue
		}
		s.buf = append(append(append(s.buf[:0], '<'), tok...), '>')
		start := len(s.rows)
		s.rows = m.charNgrams(s.buf, s.rows)
		ids := s.rows[start:]
		s.nInputs += len(ids)
		if wid < 0 {
			s.words.put(tok, hh, ids)
		}
	}
	// Word n-grams (Dictionary::addWordNgrams): the hashes are int32 in
	// fastText, widened with their sign to uint64.
	hs := s.hashes
	for i := range hs {
		hv := uint64(int64(hs[i]))
		for j := i + 1; j < len(hs) && j < i+m.wordNgrams; j++ {
			hv = hv*116049371 + uint64(int64(hs[j]))
			if id, ok := m.row(int32(hv % uint64(m.bucket))); ok {
				s.rows = append(s.rows, id)
				s.nInputs++
			}
		}
	}
	// The rows in the order fastText adds them, added in one pass.
	m.input.addRows(h, s.rows)
	if s.nInputs > 0 {
		inv := float32(1.0 / float64(s.nInputs))
		for i := range h {
			h[i] *= inv
		}
	}
}

// mod is h % bucket by Lemire's multiply-shift (exact for 32-bit h and
// bucket), which costs two multiplications instead of a division.
func (m *Model) mod(h uint32) uint32 {
	hi, _ := bits.Mul64(m.bucketM*uint64(h), uint64(m.bucket))
	return uint32(hi)
}

// row maps an n-gram bucket to its input row (Dictionary::pushHash).
func (m *Model) row(bucket int32) (int32, bool) {
	d := &m.dict
	if d.pruneSize == 0 || bucket < 0 {
		return 0, false
	}
	if d.pruneSize > 0 {
		v, ok := d.prune.get(bucket)
		if !ok {
			return 0, false
		}
		bucket = v
	}
	return d.nwords + bucket, true
}

// charNgrams appends the rows of word's character n-grams of minn..maxn
// UTF-8 characters (Dictionary::computeSubwords; word includes < and >).
func (m *Model) charNgrams(word []byte, out []int32) []int32 {
	if m.dict.pruneSize > 0 && m.minn >= 2 {
		return m.charNgramsPruned(word, out)
	}
	for i := 0; i < len(word); i++ {
		if word[i]&0xC0 == 0x80 {
			continue
		}
		h := uint32(2166136261)
		for j, n := i, 1; j < len(word) && n <= m.maxn; n++ {
			h = (h ^ uint32(int32(int8(word[j])))) * 16777619
			j++
			for j < len(word) && word[j]&0xC0 == 0x80 {
				h = (h ^ uint32(int32(int8(word[j])))) * 16777619
				j++
			}
			if n >= m.minn && !(n == 1 && (i == 0 || j == len(word))) {
				if id, ok := m.row(int32(m.mod(h))); ok {
					out = append(out, id)
				}
			}
		}
	}
	return out
}

// charNgramsPruned is charNgrams for a pruned (quantized) dictionary
// and minn >= 2, so that no n-gram is a lone '<' or '>': the same n-grams
// in the same order, with row's bucket test inlined and the tables held in
// locals for the loop.
//
// It works in two passes. The first hashes every n-gram and tests its
// bucket's bit, writing the bucket to out and advancing only when the bit
// is set: no branch depends on the bitset, so the processor issues the
// word's ~25 bitset loads back to back instead of stalling on a
// mispredicted branch after each (about 85% of lid.176's buckets are
// pruned away, in no predictable pattern). The second pass turns the few
// kept buckets into rows (rank and value, the bitset word now cached).
// The kept buckets come out in the same order, so the rows are the same.
// (A branch-free version that read every bucket's rank and row was 5%
// faster alone but 12% slower inside the pipeline, where the other steps
// evict these tables between documents; this one reads no more than the
// branchy loop did.)
func (m *Model) charNgramsPruned(word []byte, out []int32) []int32 {
	p := &m.dict.prune
	pbits, ranks, vals := p.bits, p.ranks, p.vals
	nwords := m.dict.nwords
	minn, maxn := m.minn, m.maxn
	start := len(out)
	k := start
	if need := k + len(word)*maxn; need > cap(out) {
		out = append(out[:cap(out)], make([]int32, need-cap(out))...)
	}
	out = out[:cap(out)]
	for i := 0; i < len(word); i++ {
		if word[i]&0xC0 == 0x80 {
			continue
		}
		h := uint32(2166136261)
		for j, n := i, 1; j < len(word) && n <= maxn; n++ {
			h = (h ^ uint32(int32(int8(word[j])))) * 16777619
			j++
			for j < len(word) && word[j]&0xC0 == 0x80 {
				h = (h ^ uint32(int32(int8(word[j])))) * 16777619
				j++
			}
			if n < minn {
				continue
			}
			// b < bucket <= MaxInt32 (read checks bucket >= 0), so row's
			// negative-bucket case cannot occur and the bitset covers b.
			b := m.mod(h)
			out[k] = int32(b)
			k += int(pbits[b>>6] >> (b & 63) & 1)
		}
	}
	for x := start; x < k; x++ {
		b := uint32(out[x])
		w := pbits[b>>6]
		out[x] = nwords + vals[ranks[b>>6]+uint32(bits.OnesCount64(w&(1<<(b&63)-1)))]
	}
	return out[:k]
}

// computeOutput fills s.output with the label probabilities of softmax,
// one-vs-all or negative-sampling models (fastText Loss::computeOutput).
func (m *Model) computeOutput(s *scratch) {
	out := s.output
	for i := range out {
		out[i] = m.output.dotRow(s.hidden, int32(i))
	}
	if m.loss == lossSoftmax {
		mx := out[0]
		for _, v := range out {
			mx = max(v, mx)
		}
		var z float32
		for i, v := range out {
			// fastText calls the double exp here: exp(float) resolves to ::exp.
			out[i] = float32(math.Exp(float64(v - mx)))
			z += out[i]
		}
		for i := range out {
			out[i] /= z
		}
		return
	}
	for i, v := range out {
		out[i] = m.sigmoidOf(v)
	}
}

// findKBest is fastText's Loss::findKBest over s.output.
func (m *Model) findKBest(s *scratch, k int, threshold float32) {
	for i, p := range s.output {
		if p < threshold {
			continue
		}
		lp := stdLog(p)
		if len(s.heap) == k && lp < s.heap[0].score {
			continue
		}
		s.heap = pushHeap(s.heap, pair{lp, int32(i)})
		if len(s.heap) > k {
			s.heap = popHeap(s.heap)
		}
	}
}

// hsNode is a node of the hierarchical softmax's Huffman tree.
type hsNode struct {
	left, right int32
	count       int64
	parent      int32
}

// buildTree is HierarchicalSoftmaxLoss::buildTree over the label counts.
func (m *Model) buildTree() {
	osz := int32(m.dict.nlabels)
	t := make([]hsNode, 2*osz-1)
	for i := range t {
		t[i] = hsNode{left: -1, right: -1, parent: -1, count: 1e15}
	}
	for i := int32(0); i < osz; i++ {
		t[i].count = m.dict.counts[i]
	}
	leaf, node := osz-1, osz
	for i := osz; i < 2*osz-1; i++ {
		var mini [2]int32
		for j := range mini {
			if leaf >= 0 && t[leaf].count < t[node].count {
				mini[j] = leaf
				leaf--
			} else {
				mini[j] = node
				node++
			}
		}
		t[i].left, t[i].right = mini[0], mini[1]
		t[i].count = t[mini[0]].count + t[mini[1]].count
		t[mini[0]].parent, t[mini[1]].parent = i, i
	}
	m.tree = t
}

// dfs is HierarchicalSoftmaxLoss::dfs; logThreshold is std_log(threshold),
// which fastText computes at every node (the same value each time).
func (m *Model) dfs(s *scratch, k int, logThreshold float32, node int32, score float32) {
	if score < logThreshold {
		return
	}
	if len(s.heap) == k && score < s.heap[0].score {
		return
	}
	n := &m.tree[node]
	if n.left == -1 && n.right == -1 {
		s.heap = pushHeap(s.heap, pair{score, node})
		if len(s.heap) > k {
			s.heap = popHeap(s.heap)
		}
		return
	}
	f := m.output.dotRow(s.hidden, node-int32(m.dict.nlabels))
	f = float32(1.0 / float64(1+expf(-f)))
	m.dfs(s, k, logThreshold, n.left, score+stdLog(float32(1.0-float64(f))))
	m.dfs(s, k, logThreshold, n.right, score+stdLog(f))
}

// The heap functions follow libstdc++'s push_heap, pop_heap and
// sort_heap with fastText's comparator (greater score first), so that
// equal scores come out in the CLI's order.

func less(a, b pair) bool { return a.score > b.score } // comparePairs

func siftUp(h []pair, hole, top int, v pair) {
	parent := (hole - 1) / 2
	for hole > top && less(h[parent], v) {
		h[hole] = h[parent]
		hole = parent
		parent = (hole - 1) / 2
	}
	h[hole] = v
}

func adjustHeap(h []pair, hole, n int, v pair) {
	top := hole
	child := hole
	for child < (n-1)/2 {
		child = 2 * (child + 1)
		if less(h[child], h[child-1]) {
			child--
		}
		h[hole] = h[child]
		hole = child
	}
	if n&1 == 0 && child == (n-2)/2 {
		child = 2 * (child + 1)
		h[hole] = h[child-1]
		hole = child - 1
	}
	siftUp(h, hole, top, v)
}

func pushHeap(h []pair, v pair) []pair {
	h = append(h, v)
	siftUp(h, len(h)-1, 0, v)
	return h
}

// popHeap moves the heap's front to the end and drops it.
func popHeap(h []pair) []pair {
	n := len(h)
	if n > 1 {
		v := h[n-1]
		h[n-1] = h[0]
		adjustHeap(h, 0, n-1, v)
	}
	return h[:n-1]
}

func sortHeap(h []pair) {
	for n := len(h); n > 1; n-- {
		v := h[n-1]
		h[n-1] = h[0]
		adjustHeap(h, 0, n-1, v)
	}
}
