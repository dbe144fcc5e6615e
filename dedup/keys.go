package dedup

import (
	"github.com/zeebo/xxh3"
)

// Method names, as written to removed.arrow and stats.
const (
	MethodURL     = "url"
	MethodExact   = "exact"
	MethodMinHash = "minhash"
)

// spaces numbers the key spaces of a configuration: url (if used), exact
// (if used), then one per LSH band. Lower spaces win when a document is
// linked in several, so the reported method is the most specific one.
type spaces struct {
	url, exact int // -1 when unused
	firstBand  int
	bands      int
	n          int
	perms      int
}

func layoutFor(cfg Config, haveURL bool) spaces {
	s := spaces{url: -1, exact: -1}
	if cfg.usesURL() && (haveURL || cfg.Mode == ModeURL) {
		s.url = s.n
		s.n++
	}
	if cfg.usesExact() {
		s.exact = s.n
		s.n++
	}
	s.firstBand = s.n
	if cfg.usesMinHash() {
		s.bands = cfg.MinHash.Bands
		s.perms = cfg.MinHash.Permutations()
		s.n += s.bands
	}
	return s
}

func (s spaces) method(space int) string {
	switch space {
	case s.url:
		return MethodURL
	case s.exact:
		return MethodExact
	}
	return MethodMinHash
}

func methodCode(m string) byte {
	switch m {
	case MethodURL:
		return 1
	case MethodExact:
		return 2
	case MethodMinHash:
		return 3
	}
	return 0
}

func methodName(c byte) string {
	switch c {
	case 1:
		return MethodURL
	case 2:
		return MethodExact
	case 3:
		return MethodMinHash
	}
	return ""
}

// keyer computes a document's keys in every space. It reuses its buffers
// (no allocation per document after warm-up) and belongs to one goroutine.
type keyer struct {
	sp   spaces
	mh   *minHasher
	norm normalizer
	sig  []uint64
	buf  []byte
}

func newKeyer(cfg Config, sp spaces) *keyer {
	k := &keyer{sp: sp}
	if sp.bands > 0 {
		k.mh = newMinHasher(cfg.MinHash)
		k.sig = make([]uint64, sp.perms)
		k.buf = make([]byte, 0, 8*cfg.MinHash.Rows)
	}
	return k
}

// docKeys fills keys (one per space) and sketch (one byte per permutation).
// valid[s] is false for a space where the document has no key: no URL, or
// no token to shingle.
func (k *keyer) docKeys(text, url string, hasURL bool, keys []uint64, valid []bool, sketch []byte) {
	sp := k.sp
	if sp.url >= 0 {
		valid[sp.url] = hasURL && url != ""
		if valid[sp.url] {
			keys[sp.url] = xxh3.HashString(NormalizeURL(url))
		}
	}
	if sp.exact < 0 && sp.bands == 0 {
		return
	}
	k.norm.normalize(text)
	if sp.exact >= 0 {
		h := xxh3.Hash128(k.norm.out)
		keys[sp.exact] = h.Lo ^ (h.Hi * 0x9E3779B97F4A7C15)
		valid[sp.exact] = true
	}
	if sp.bands > 0 {
		ok := k.mh.signature(&k.norm, k.sig)
		for b := range sp.bands {
			valid[sp.firstBand+b] = ok
		}
		if ok {
			k.mh.bandKeys(k.sig, keys[sp.firstBand:sp.firstBand+sp.bands], k.buf)
			sketchBytes(k.sig, sketch)
		} else {
			clear(sketch)
		}
	}
}
