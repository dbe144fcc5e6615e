package fasttext

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
)

// File format constants (fastText src/fasttext.h, args.h).
const (
	magic          = 793712314
	version        = 12
	modelSup       = 3
	lossHS         = 1
	lossNS         = 2
	lossSoftmax    = 3
	lossOVA        = 4
	ksub           = 256 // product quantizer centroids per sub-space (8 bits)
	maxDim         = 1 << 16
	maxNgramLength = 256 // bounds per-word work; fastText's own default maxn is 6
	eos            = "</s>"
	labelPrefix    = "__label__"
)

var lossNames = map[int32]string{lossHS: "hs", lossNS: "ns", lossSoftmax: "softmax", lossOVA: "ova"}

// Model is a supervised fastText classifier read from a .bin or quantized
// .ftz file. It is immutable after loading and safe for concurrent use;
// per-call working memory comes from a pool, so prediction allocates
// nothing per document once warm.
type Model struct {
	name       string
	dim        int
	wordNgrams int
	loss       int32
	bucket     uint32
	bucketM    uint64 // ^uint64(0)/bucket + 1, for mod
	minn, maxn int
	dict       dictionary
	input      matrix
	output     matrix
	tree       []hsNode // hierarchical softmax only
	sigmoid    [sigmoidTableSize + 1]float32
	labels     []string // "__label__xx" as in the file
	scratches  sync.Pool
}

// Load reads a model file. Every error names the file.
func Load(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("fasttext: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("fasttext: %w", err)
	}
	return Read(path, f, st.Size())
}

// FromBytes reads a model held in memory (an embedded model).
func FromBytes(name string, b []byte) (*Model, error) {
	return Read(name, bytes.NewReader(b), int64(len(b)))
}

// Read reads a model of size bytes from r; name is used in errors. The
// whole file is validated (sizes, indexes, codes) before it is returned,
// so prediction never indexes out of range.
func Read(name string, r io.Reader, size int64) (*Model, error) {
	m, err := read(newReader(r, size))
	if err != nil {
		return nil, fmt.Errorf("fasttext: model %s: %w", name, err)
	}
	m.name = name
	return m, nil
}

func read(r *reader) (*Model, error) {
	mg, err := r.i32("magic number")
	if err != nil {
		return nil, err
	}
	if mg != magic {
		return nil, fmt.Errorf("not a fastText model (magic number %d, want %d)", mg, magic)
	}
	ver, err := r.i32("version")
	if err != nil {
		return nil, err
	}
	if ver != 11 && ver != version {
		return nil, fmt.Errorf("unsupported fastText file version %d (supported: 11, 12)", ver)
	}
	var a [12]int32
	names := [12]string{"dim", "ws", "epoch", "minCount", "neg", "wordNgrams", "loss", "model", "bucket", "minn", "maxn", "lrUpdateRate"}
	for i := range a {
		if a[i], err = r.i32("argument " + names[i]); err != nil {
			return nil, err
		}
	}
	if _, err := r.f64("argument t"); err != nil {
		return nil, err
	}
	dim, wordNgrams, loss, model, bucket, minn, maxn := a[0], a[5], a[6], a[7], a[8], a[9], a[10]
	if model != modelSup {
		kind := map[int32]string{1: "cbow word vectors", 2: "skipgram word vectors"}[model]
		if kind == "" {
			kind = fmt.Sprintf("model kind %d", model)
		}
		return nil, fmt.Errorf("unsupported model: %s (only supervised classifiers can predict labels)", kind)
	}
	if ver == 11 {
		maxn = 0 // fastText: old supervised models do not use char n-grams
	}
	if lossNames[loss] == "" {
		return nil, fmt.Errorf("unknown loss %d", loss)
	}
	if dim <= 0 || dim > maxDim {
		return nil, fmt.Errorf("dimension %d out of range 1..%d", dim, maxDim)
	}
	if bucket < 0 || wordNgrams < 0 || wordNgrams > 1000 || maxn < 0 || maxn > maxNgramLength || (maxn > 0 && minn < 1) {
		return nil, fmt.Errorf("bad n-gram arguments: bucket %d, wordNgrams %d, minn %d, maxn %d", bucket, wordNgrams, minn, maxn)
	}
	if bucket == 0 && (maxn > 0 || wordNgrams > 1) {
		return nil, fmt.Errorf("n-grams without buckets: bucket 0, wordNgrams %d, maxn %d", wordNgrams, maxn)
	}
	m := &Model{dim: int(dim), wordNgrams: int(wordNgrams), loss: loss, bucket: uint32(bucket), minn: int(minn), maxn: int(maxn)}
	if err := m.dict.read(r); err != nil {
		return nil, err
	}
	if m.dict.nlabels == 0 {
		return nil, fmt.Errorf("the dictionary has no labels")
	}
	if m.bucket > 0 {
		m.bucketM = ^uint64(0)/uint64(m.bucket) + 1
	}
	if m.dict.pruned() {
		m.dict.prune.build(m.bucket)
	}
	m.dict.initSubwords(m)
	qin, err := r.u8("quantized-input flag")
	if err != nil {
		return nil, err
	}
	if qin > 1 {
		return nil, fmt.Errorf("quantized-input flag %d is not a boolean", qin)
	}
	if err := m.input.read(r, qin == 1, "input matrix"); err != nil {
		return nil, err
	}
	if qin == 0 && m.dict.pruned() {
		return nil, fmt.Errorf("pruned dictionary with an unquantized input matrix (an old model format fastText rejects too)")
	}
	qout, err := r.u8("quantized-output flag")
	if err != nil {
		return nil, err
	}
	if qout > 1 {
		return nil, fmt.Errorf("quantized-output flag %d is not a boolean", qout)
	}
	if err := m.output.read(r, qin == 1 && qout == 1, "output matrix"); err != nil {
		return nil, err
	}
	// Every row index prediction can produce must exist.
	ngramRows := int64(m.bucket)
	if m.dict.pruned() {
		ngramRows = m.dict.prune.maxVal + 1
	}
	needIn := int64(m.dict.nwords) + ngramRows
	if m.input.rows < needIn || m.input.cols != m.dim {
		return nil, fmt.Errorf("input matrix is %dx%d, the dictionary and arguments need at least %dx%d", m.input.rows, m.input.cols, needIn, m.dim)
	}
	if m.output.rows < int64(m.dict.nlabels) || m.output.cols != m.dim {
		return nil, fmt.Errorf("output matrix is %dx%d, want %dx%d", m.output.rows, m.output.cols, m.dict.nlabels, m.dim)
	}
	if r.left > 0 {
		return nil, fmt.Errorf("%d bytes after the output matrix (not a fastText model, or a damaged one)", r.left)
	}
	m.labels = make([]string, m.dict.nlabels)
	for i := range m.labels {
		m.labels[i] = m.dict.word(m.dict.nwords + int32(i))
	}
	initSigmoid(&m.sigmoid)
	if loss == lossHS {
		m.buildTree()
	}
	nl := m.dict.nlabels
	m.scratches.New = func() any {
		return &scratch{hidden: make([]float32, m.dim), output: make([]float32, nl)}
	}
	return m, nil
}

// Name returns the name the model was loaded under (its path).
func (m *Model) Name() string { return m.name }

// Labels returns the model's labels as stored ("__label__en"), in the
// model's order.
func (m *Model) Labels() []string { return m.labels }

// Loss returns the loss the model was trained with: softmax, hs, ova or ns.
func (m *Model) Loss() string { return lossNames[m.loss] }

// Quantized reports whether the input matrix is product-quantized (.ftz).
func (m *Model) Quantized() bool { return m.input.quant }

// Dim returns the embedding dimension.
func (m *Model) Dim() int { return m.dim }

// TrimLabel strips fastText's "__label__" prefix.
func TrimLabel(label string) string { return strings.TrimPrefix(label, labelPrefix) }
