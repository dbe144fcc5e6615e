package tokens

import (
	"fmt"

	"github.com/tiktoken-go/tokenizer"
)

// loadTokens returns the bytes of every token of an encoding, indexed by
// its BPE rank (the token id; for tiktoken's encodings the id is the merge
// rank), "" for a gap in the id space. The ranks come from
// github.com/tiktoken-go/tokenizer, which embeds the vocabularies in its Go
// source (no download at run time). The library has no accessor for its
// table, so each id is decoded once. The tables are built from this list
// directly: a map from bytes to ids (the vocabulary the tests use) cost
// more to build than the token table that answers the same question.
func loadTokens(enc tokenizer.Encoding, size int) ([]string, error) {
	codec, err := tokenizer.Get(enc)
	if err != nil {
		return nil, fmt.Errorf("tokens: loading %s: %w", enc, err)
	}
	byID := make([]string, size)
	ids := make([]uint, 1)
	n := 0
	for id := range byID {
		ids[0] = uint(id)
		s, err := codec.Decode(ids)
		if err != nil {
			continue // a gap in the id space
		}
		byID[id] = s
		n++
	}
	if n < size/2 {
		return nil, fmt.Errorf("tokens: %s vocabulary has only %d entries", enc, n)
	}
	return byID, nil
}
