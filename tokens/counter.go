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

// minCacheFirst: pieces this long are looked up in the piece cache before
// the vocabulary, and cached even when they are one token. Fewer of them
// are tokens (half at 7 bytes, a third at 9, a tenth at 14 on the docs
// corpus) and most repeat, so one probe of the cache answers where the
// vocabulary's probe would mostly have failed first: both tables are
// megabytes, cold in a pipeline run, and each probe a cache miss. The
// count is the same either way: a cached count is the piece's count,
// which is 1 for a token. (7 and 9 measured alike; 5 and 12 worse.)
const minCacheFirst = 7

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
	byID, err := loadTokens(tokenizer.Cl100kBase, cl100kSize)
	if err != nil {
		return nil, err
	}
	tt, err := newTokenTable(byID)
	if err != nil {
		return nil, err
	}
	pt := newPairTable(byID, tt)
	for b, id := range pt.byteID {
		if id >= 1<<pairIDBits {
			return nil, fmt.Errorf("tokens: %s has no token for byte %#x", encoding, b)
		}
	}
	c := &Counter{encoding: encoding, tokens: tt, pairs: pt}
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
	sc := c.scratch.Get().(*scratch)
	n, ok := c.count(sc, text)
	if !ok {
		n, _ = c.count(sc, strings.ToValidUTF8(text, "\uFFFD"))
	}
	c.scratch.Put(sc)
	return n
}

// count counts the tokens of text, or reports that text is not valid
// UTF-8. The check costs next to nothing, where a pass of
// utf8.ValidString over the text before counting was a tenth of the time:
// the pieces cover the text, and it is valid exactly when each piece is
// (a split inside a character would leave an invalid piece), and a piece
// is checked by what counting it finds anyway. A one-byte piece is valid
// when it is ASCII; a longer one when it is a token whose bytes are valid
// (a bit of the vocabulary's entry), or a piece in the cache, which only
// holds valid pieces, or else before it is merged and stored (a few
// percent of the pieces). On invalid text the pre-tokenizer still cuts
// the text into pieces (its decoding never reads past the end), and
// Count starts again on the repaired text.
func (c *Counter) count(sc *scratch, text string) (int, bool) {
	n := 0
	// splitCl100k's loop, written out: no call through a func value per
	// piece.
	for i := 0; i < len(text); {
		k := pieceLen(text, i)
		p := text[i : i+k]
		i += k
		if k == 1 {
			if p[0] >= utf8.RuneSelf {
				sc.queued = 0
				return 0, false
			}
			n++ // every byte is a token
			continue
		}
		sc.batch[sc.queued] = queuedPiece{p, hashPiece(p)}
		sc.queued++
		if sc.queued == len(sc.batch) {
			k, ok := c.countBatch(sc)
			if !ok {
				return 0, false
			}
			n += k
		}
	}
	k, ok := c.countBatch(sc)
	return n + k, ok
}

// countBatch counts the queued pieces. The vocabulary table is megabytes
// and multilingual text touches much of it, so most lookups wait for
// memory: touching every queued piece's slots first (vocabulary, and the
// current generation of the cache), in a loop whose loads do not depend on
// each other, lets the core wait for many of those misses at once instead
// of one after another; the lookups then find the lines in cache.
func (c *Counter) countBatch(sc *scratch) (int, bool) {
	batch := sc.batch[:sc.queued]
	sc.queued = 0
	var touched uint64
	for i := range batch {
		if len(batch[i].piece) < minCacheFirst {
			touched ^= c.tokens.touch(batch[i].hash)
		}
		if len(batch[i].piece) >= minCachedPiece {
			touched ^= sc.cache.cur.touch(batch[i].hash)
		}
	}
	sc.touched = touched // keeps the loads
	n := 0
	for _, q := range batch {
		if len(q.piece) < minCacheFirst {
			if e := c.tokens.find(q.hash, q.piece); e != 0 {
				if e&ttValid == 0 {
					return 0, false
				}
				n++
				continue
			}
		}
		if k, ok := sc.cache.lookup(q.hash, q.piece); ok {
			n += int(k)
			continue
		}
		k, ok := c.countPiece(sc, q)
		if !ok {
			return 0, false
		}
		sc.cache.store(q.hash, q.piece, int32(k))
		n += k
	}
	return n, true
}

// countPiece merges a piece that is not in the cache (nor, if it is
// shorter than minCacheFirst, in the vocabulary), or reports that it is
// not valid UTF-8 (so that the cache only holds valid pieces).
func (c *Counter) countPiece(sc *scratch, q queuedPiece) (int, bool) {
	if len(q.piece) >= minCacheFirst {
		// tiktoken takes a piece that is a token as one token without
		// merging (some tokens are not what merging their bytes gives)
		if e := c.tokens.find(q.hash, q.piece); e != 0 {
			return 1, e&ttValid != 0
		}
	}
	if !utf8.ValidString(q.piece) {
		return 0, false
	}
	if len(q.piece) <= maxPairPiece {
		return c.pairs.countParts(q.piece, sc.parts[:], &sc.memo), true
	}
	return c.pairs.countLong(q.piece), true
}
