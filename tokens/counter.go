// Package tokens counts tokenizer tokens per document, so that a corpus's
// size can be stated in the unit model builders budget in, and the cost of
// each language compared (Burmese or Hindi text needs several times the
// tokens of English text of the same length).
//
// Counts are exact for OpenAI's cl100k_base encoding: the vocabulary is the
// one github.com/tiktoken-go/tokenizer embeds (no download at run time), the
// pre-tokenizer is a hand-written scanner equivalent to tiktoken's regex,
// and the byte-pair merge is tiktoken's (lowest rank first, leftmost on
// ties). Tests compare every count with the library's own encoder.
package tokens

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/tiktoken-go/tokenizer"
)

// Cl100kBase is the encoding of GPT-3.5/GPT-4 (100,256 ranks).
const Cl100kBase = "cl100k_base"

const cl100kSize = 100256

// maxCachedPieces bounds each generation of a worker's cache of pre-token
// counts (two generations of at most this many pieces of at most 64 bytes).
const maxCachedPieces = 1 << 15

// Counter counts tokens. It is safe for concurrent use.
type Counter struct {
	encoding string
	vocab    vocabulary
	pairs    *pairTable
	scratch  sync.Pool // *scratch
}

// scratch is one goroutine's working memory: merge buffers and a cache of
// the counts of pre-tokens that are not single tokens. Word frequencies are
// Zipfian, so most multi-token words repeat and are counted once.
type scratch struct {
	ids, ranks [maxPairPiece]uint32
	memo       pairMemo
	// cache and older form a two-generation cache: when cache fills up it
	// becomes older and a new one starts, so frequent pieces survive.
	cache, older map[string]int32
}

// lookup finds a cached count, moving a piece found in the older
// generation into the current one.
func (sc *scratch) lookup(p string) (int32, bool) {
	if k, ok := sc.cache[p]; ok {
		return k, true
	}
	if k, ok := sc.older[p]; ok {
		sc.store(p, k)
		return k, true
	}
	return 0, false
}

func (sc *scratch) store(p string, k int32) {
	if len(sc.cache) >= maxCachedPieces {
		sc.older = sc.cache
		sc.cache = make(map[string]int32, maxCachedPieces/4)
	}
	sc.cache[strings.Clone(p)] = k
}

// maxPairPiece is the longest piece merged with the pair table; longer ones
// (long runs of CJK or Thai letters) use the heap merge.
const maxPairPiece = 256

var (
	sharedMu       sync.Mutex
	sharedCounters = map[string]*Counter{}
)

// NewCounter returns the counter for an encoding name (only "cl100k_base"
// is supported). Counters are shared: the vocabulary is built once per
// process (about 1 s and 20 MB).
func NewCounter(encoding string) (*Counter, error) {
	if encoding == "" {
		encoding = Cl100kBase
	}
	if encoding != Cl100kBase {
		return nil, fmt.Errorf("tokens: unsupported encoding %q (supported: %s)", encoding, Cl100kBase)
	}
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if c, ok := sharedCounters[encoding]; ok {
		return c, nil
	}
	v, err := loadVocabulary(tokenizer.Cl100kBase, cl100kSize)
	if err != nil {
		return nil, err
	}
	c := &Counter{encoding: encoding, vocab: v, pairs: newPairTable(v)}
	c.scratch.New = func() any {
		return &scratch{cache: make(map[string]int32, 1024)}
	}
	sharedCounters[encoding] = c
	return c, nil
}

// Encoding returns the encoding's name.
func (c *Counter) Encoding() string { return c.encoding }

// Count returns the number of tokens tiktoken gives for text. Invalid UTF-8
// is counted as if each bad byte were U+FFFD, like tiktoken's
// errors="replace".
func (c *Counter) Count(text string) int {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	sc := c.scratch.Get().(*scratch)
	n := 0
	splitCl100k(text, func(p string) {
		if _, ok := c.vocab[p]; ok {
			n++
			return
		}
		if k, ok := sc.lookup(p); ok {
			n += int(k)
			return
		}
		var k int
		if len(p) <= maxPairPiece {
			k = c.pairs.count(p, sc.ids[:], sc.ranks[:], &sc.memo)
		} else {
			k = c.vocab.bpeCountLong(p)
		}
		if len(p) <= 64 {
			sc.store(p, int32(k))
		}
		n += k
	})
	c.scratch.Put(sc)
	return n
}
