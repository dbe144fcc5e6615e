package shard

import (
	"errors"
	"io"

	"github.com/sieve-data/sieve/pipeline"
)

// ReadDocuments reads every row of a shard as Documents. It holds the whole
// shard in memory: for tools and tests over small shards; streaming readers
// use Open and DocumentsFrom batch by batch.
func ReadDocuments(path string) ([]pipeline.Document, error) {
	r, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var all []pipeline.Document
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return all, nil
		}
		if err != nil {
			return nil, err
		}
		docs, err := DocumentsFrom(rec)
		if err != nil {
			return nil, err
		}
		all = append(all, docs...)
	}
}
