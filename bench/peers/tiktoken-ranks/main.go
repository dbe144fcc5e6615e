// Command tiktoken-ranks writes cl100k_base in tiktoken's ranks-file format
// (base64 of the token's bytes, a space, the rank; one per line) from the
// vocabulary that github.com/tiktoken-go/tokenizer embeds, so Python's
// tiktoken can run where its download address is unreachable. tiktoken
// checks the file's SHA-256 against the published one when it loads it.
package main

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"os"

	"github.com/tiktoken-go/tokenizer"
)

func main() {
	codec, err := tokenizer.Get(tokenizer.Cl100kBase)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tiktoken-ranks:", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	ids := make([]uint, 1)
	// 100256 mergeable ranks; the special tokens above them are not in the file.
	for id := 0; id < 100256; id++ {
		ids[0] = uint(id)
		s, err := codec.Decode(ids)
		if err != nil {
			fmt.Fprintf(os.Stderr, "tiktoken-ranks: id %d: %v\n", id, err)
			os.Exit(1)
		}
		fmt.Fprintf(w, "%s %d\n", base64.StdEncoding.EncodeToString([]byte(s)), id)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "tiktoken-ranks:", err)
		os.Exit(1)
	}
}
