package tokens

import (
	"fmt"

	"github.com/tiktoken-go/tokenizer"
)

// vocabulary maps every byte sequence of an encoding to its BPE rank (the
// token id; for tiktoken's encodings the id is the merge rank).
type vocabulary map[string]uint32

// loadVocabulary takes the ranks from github.com/tiktoken-go/tokenizer,
// which embeds the vocabularies in its Go source (no download at run time).
// The library has no accessor for its table, so each id is decoded once.
func loadVocabulary(enc tokenizer.Encoding, size int) (vocabulary, error) {
	codec, err := tokenizer.Get(enc)
	if err != nil {
		return nil, fmt.Errorf("tokens: loading %s: %w", enc, err)
	}
	v := make(vocabulary, size)
	ids := make([]uint, 1)
	for id := 0; id < size; id++ {
		ids[0] = uint(id)
		s, err := codec.Decode(ids)
		if err != nil {
			continue // a gap in the id space
		}
		v[s] = uint32(id)
	}
	if len(v) < size/2 {
		return nil, fmt.Errorf("tokens: %s vocabulary has only %d entries", enc, len(v))
	}
	return v, nil
}
