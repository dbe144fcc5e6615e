package tokens

import (
	"fmt"
	"hash/maphash"
	"math/bits"
)

// tokenTable is the vocabulary as an open-addressing hash table built for
// the counter's hottest question, "is this pre-token one token?": one
// 16-byte slot per entry holds the token's first 8 bytes, a tag of the
// hash, the token's length, its id and the offset of its remaining bytes
// in one shared arena. A lookup of a token of up to 8 bytes (most are)
// touches one cache line, where Go's map[string] reads a control word, a
// slot group and the key string from three places.
type tokenTable struct {
	slots []tokenSlot
	arena []byte // every token's bytes, back to back
	mask  uint64
}

type tokenSlot struct {
	head uint64 // the first 8 bytes, little-endian, zero-padded
	meta uint64 // 0 is empty; see the layout constants
}

// headWord packs the first (up to) 8 bytes of s little-endian.
func headWord(s string) uint64 {
	if len(s) >= 8 {
		return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	}
	var w uint64
	for i := len(s) - 1; i >= 0; i-- {
		w = w<<8 | uint64(s[i])
	}
	return w
}

// Slot layout, high bits to low: tag (17) | occupied (1) | arena offset (21)
// | length (8) | id (17). cl100k's ids are below 2^17, its tokens at most
// 128 bytes, and its bytes together about 700 KB.
const (
	ttIDBits  = 17
	ttLenBits = 8
	ttOffBits = 21

	ttLenShift = ttIDBits
	ttOffShift = ttLenShift + ttLenBits
	ttOccupied = uint64(1) << (ttOffShift + ttOffBits)
	ttTagShift = ttOffShift + ttOffBits + 1
)

// pieceSeed seeds the hash of pre-tokens: one per process, shared by the
// vocabulary table and the workers' caches so a piece is hashed once.
var pieceSeed = maphash.MakeSeed()

func hashPiece(p string) uint64 { return maphash.String(pieceSeed, p) }

func newTokenTable(v vocabulary) (*tokenTable, error) {
	size := 1 << bits.Len(uint(len(v))*5/2) // load ≤ 0.4
	t := &tokenTable{mask: uint64(size - 1)}
	t.slots = hugeSlice[tokenSlot](size, t)
	for s, id := range v {
		if id >= 1<<ttIDBits || len(s) >= 1<<ttLenBits || len(t.arena)+len(s) >= 1<<ttOffBits {
			return nil, fmt.Errorf("tokens: vocabulary too large for the token table (id %d, %d bytes)", id, len(s))
		}
		h := hashPiece(s)
		e := (h>>ttTagShift)<<ttTagShift | ttOccupied |
			uint64(len(t.arena))<<ttOffShift | uint64(len(s))<<ttLenShift | uint64(id)
		t.arena = append(t.arena, s...)
		for i := h & t.mask; ; i = (i + 1) & t.mask {
			if t.slots[i].meta == 0 {
				t.slots[i] = tokenSlot{headWord(s), e}
				break
			}
		}
	}
	return t, nil
}

// touch loads the first slot of hash h, so that a lookup soon after finds
// it in cache.
func (t *tokenTable) touch(h uint64) uint64 { return t.slots[h&t.mask].meta }

// lookup returns the id of token p, whose hash is h.
func (t *tokenTable) lookup(h uint64, p string) (uint32, bool) {
	if len(p) >= 1<<ttLenBits {
		return 0, false // longer than any token (and than the length field)
	}
	want := (h>>ttTagShift)<<ttTagShift | ttOccupied | uint64(len(p))<<ttLenShift
	const keyMask = (1<<(64-ttTagShift)-1)<<ttTagShift | ttOccupied | (1<<ttLenBits-1)<<ttLenShift
	head := headWord(p)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		sl := &t.slots[i]
		e := sl.meta
		if e == 0 {
			return 0, false
		}
		if e&keyMask == want && sl.head == head {
			if len(p) <= 8 {
				return uint32(e & (1<<ttIDBits - 1)), true
			}
			off := (e>>ttOffShift)&(1<<ttOffBits-1) + 8
			if string(t.arena[off:off+uint64(len(p)-8)]) == p[8:] {
				return uint32(e & (1<<ttIDBits - 1)), true
			}
		}
	}
}
