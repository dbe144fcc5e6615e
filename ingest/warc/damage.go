package warc

import "fmt"

// Damage is one problem found in a file: where it is (a byte offset in the
// file; of the gzip member for compressed files) and what it is.
type Damage struct {
	Offset int64  `json:"offset"`
	Msg    string `json:"msg"`
}

func (d Damage) String() string { return fmt.Sprintf("offset %d: %s", d.Offset, d.Msg) }

// maxKeptDamages bounds the memory a hostile file can make the reader spend
// on damage reports; DamageCount still counts all of them.
const maxKeptDamages = 100
