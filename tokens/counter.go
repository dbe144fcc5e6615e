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

// Counter counts tokens. It is safe for concurrent use.
type Counter struct {
	encoding string
	vocab    vocabulary // the ranks by bytes; builds the tables below
	tokens   *tokenTable
	pairs    *pairTable
	scratch  sync.Pool // *scratch
}

// scratch is one goroutine's working memory: merge buffers, the memo of
// pair lookups and the cache of piece counts.
type scratch struct {
	parts   [maxPairPiece]uint64
	memo    pairMemo
	cache   pieceCache
	batch   [pieceBatch]queuedPiece
	queued  int
	touched uint64
}

// queuedPiece is a pre-token waiting in a batch, with its hash.
type queuedPiece struct {
	piece string
	hash  uint64
}

// minCachedPiece: shorter pieces are nearly always single tokens (short
// words with their space), so their cache slots are not touched ahead.
const minCachedPiece = 6

// pieceBatch is how many pieces are looked up together (see countBatch).
const pieceBatch = 64

// maxPairPiece is the longest piece merged with the pair table; longer ones
// (long runs of CJK or Thai letters) use the heap merge.
const maxPairPiece = 256

var (
	sharedMu       sync.Mutex
	sharedCounters = map[string]*Counter{}
)

// NewCounter returns the counter for an encoding name (only "cl100k_base"
// is supported). Counters are shared: the vocabulary is built once per
// process (under a second and about 20 MB).
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
	tt, err := newTokenTable(v)
	if err != nil {
		return nil, err
	}
	pt := newPairTable(v)
	for b, id := range pt.byteID {
		if id >= 1<<pairIDBits {
			return nil, fmt.Errorf("tokens: %s has no token for byte %#x", encoding, b)
		}
	}
	c := &Counter{encoding: encoding, vocab: v, tokens: tt, pairs: pt}
	c.scratch.New = func() any {
		return &scratch{cache: newPieceCache()}
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
	// splitCl100k's loop, written out: no call through a func value per
	// piece.
	for i := 0; i < len(text); {
		k := pieceLen(text, i)
		p := text[i : i+k]
		i += k
		if k == 1 {
			n++ // every byte is a token
			continue
		}
		sc.batch[sc.queued] = queuedPiece{p, hashPiece(p)}
		sc.queued++
		if sc.queued == len(sc.batch) {
			n += c.countBatch(sc)
		}
	}
	n += c.countBatch(sc)
	c.scratch.Put(sc)
	return n
}

// countBatch counts the queued pieces. The vocabulary table is megabytes
// and multilingual text touches much of it, so most lookups wait for
// memory: touching every queued piece's slots first (vocabulary, and the
// current generation of the cache), in a loop whose loads do not depend on
// each other, lets the core wait for many of those misses at once instead
// of one after another; the lookups then find the lines in cache.
func (c *Counter) countBatch(sc *scratch) int {
	batch := sc.batch[:sc.queued]
	sc.queued = 0
	var touched uint64
	for i := range batch {
		touched ^= c.tokens.touch(batch[i].hash)
		if len(batch[i].piece) >= minCachedPiece {
			touched ^= sc.cache.cur.touch(batch[i].hash)
		}
	}
	sc.touched = touched // keeps the loads
	n := 0
	for _, q := range batch {
		if _, ok := c.tokens.lookup(q.hash, q.piece); ok {
			n++
			continue
		}
		if k, ok := sc.cache.lookup(q.hash, q.piece); ok {
			n += int(k)
			continue
		}
		var k int
		if len(q.piece) <= maxPairPiece {
			k = c.pairs.countParts(q.piece, sc.parts[:], &sc.memo)
		} else {
			k = c.pairs.countLong(q.piece)
		}
		sc.cache.store(q.hash, q.piece, int32(k))
		n += k
	}
	return n
}
