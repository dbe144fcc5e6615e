package tokens

import (
	"fmt"
	"hash/maphash"
	"math/bits"
	"unicode/utf8"
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

// headWord packs the first (up to) 8 bytes of s little-endian,
// zero-padded: one or two loads (the compiler merges the byte loads of
// each expression), and no loop over the bytes.
func headWord(s string) uint64 {
	switch n := len(s); {
	case n >= 8:
		return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	case n >= 4:
		// bytes 0-3 and bytes n-4..n-1 (they overlap when n < 8)
		lo := uint64(uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24)
		hi := uint64(uint32(s[n-4]) | uint32(s[n-3])<<8 | uint32(s[n-2])<<16 | uint32(s[n-1])<<24)
		return lo | hi<<(8*(n-4))
	case n >= 2:
		w := uint64(s[0]) | uint64(s[1])<<8
		if n == 3 {
			w |= uint64(s[2]) << 16
		}
		return w
	case n == 1:
		return uint64(s[0])
	}
	return 0
}

// Slot layout, high bits to low: tag (16) | valid (1) | occupied (1) |
// arena offset (21) | length (8) | id (17). cl100k's ids are below 2^17,
// its tokens at most 128 bytes, and its bytes together about 700 KB. valid
// is set when the token's bytes are valid UTF-8 (some tokens are parts of
// a character): a piece that is such a token is valid text, which is how
// Count checks the text's UTF-8 as it goes (see Counter.count).
const (
	ttIDBits  = 17
	ttLenBits = 8
	ttOffBits = 21

	ttLenShift = ttIDBits
	ttOffShift = ttLenShift + ttLenBits
	ttOccupied = uint64(1) << (ttOffShift + ttOffBits)
	ttValid    = ttOccupied << 1
	ttTagShift = ttOffShift + ttOffBits + 2
)

// pieceSeed seeds the hash of pre-tokens: one per process, shared by the
// vocabulary table and the workers' caches so a piece is hashed once.
var (
	pieceSeed     = maphash.MakeSeed()
	pieceSeedWord = maphash.Comparable(pieceSeed, 0)
)

// hashPiece hashes a pre-token. Most are at most 8 bytes (a short word
// with its space): those are mixed from their packed bytes and length with
// two multiplies, a third of the cost of the general hash. Any hash gives
// the same counts (lookups compare the bytes); the mix only has to spread
// keys over the tables' index bits and tags, and the per-process seed
// keeps crafted text from aiming at one slot.
func hashPiece(p string) uint64 {
	if len(p) > 8 {
		return maphash.String(pieceSeed, p)
	}
	h := (headWord(p) ^ pieceSeedWord) + uint64(len(p))*0xD6E8FEB86659FD93
	h *= 0x9E3779B97F4A7C15
	h ^= h >> 29
	h *= 0xBF58476D1CE4E5B9
	return h ^ h>>32
}

// newTokenTable builds the table of the tokens, indexed by id ("" is a
// gap).
func newTokenTable(byID []string) (*tokenTable, error) {
	n, bytes := 0, 0
	for _, s := range byID {
		if s != "" {
			n++
			bytes += len(s)
		}
	}
	size := 1 << bits.Len(uint(n)*5/2) // load ≤ 0.4
	t := &tokenTable{mask: uint64(size - 1), arena: make([]byte, 0, bytes)}
	t.slots = hugeSlice[tokenSlot](size, t)
	for id, s := range byID {
		if s == "" {
			continue
		}
		if id >= 1<<ttIDBits || len(s) >= 1<<ttLenBits || len(t.arena)+len(s) >= 1<<ttOffBits {
			return nil, fmt.Errorf("tokens: vocabulary too large for the token table (id %d, %d bytes)", id, len(s))
		}
		h := hashPiece(s)
		e := (h>>ttTagShift)<<ttTagShift | ttOccupied |
			uint64(len(t.arena))<<ttOffShift | uint64(len(s))<<ttLenShift | uint64(id)
		if utf8.ValidString(s) {
			e |= ttValid
		}
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
	e := t.find(h, p)
	return uint32(e & (1<<ttIDBits - 1)), e != 0
}

// find returns the slot's entry of token p (hash h), or 0 if p is not a
// token.
func (t *tokenTable) find(h uint64, p string) uint64 {
	if len(p) >= 1<<ttLenBits {
		return 0 // longer than any token (and than the length field)
	}
	want := (h>>ttTagShift)<<ttTagShift | ttOccupied | uint64(len(p))<<ttLenShift
	const keyMask = (1<<(64-ttTagShift)-1)<<ttTagShift | ttOccupied | (1<<ttLenBits-1)<<ttLenShift
	head := headWord(p)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		sl := &t.slots[i]
		e := sl.meta
		if e == 0 {
			return 0
		}
		if e&keyMask == want && sl.head == head {
			if len(p) <= 8 {
				return e
			}
			off := (e>>ttOffShift)&(1<<ttOffBits-1) + 8
			if string(t.arena[off:off+uint64(len(p)-8)]) == p[8:] {
				return e
			}
		}
	}
}
