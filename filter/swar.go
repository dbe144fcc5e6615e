package filter

import (
	"math/bits"
	"unicode/utf8"
)

// Eight-bytes-at-a-time helpers for the per-byte loops that every
// document goes through: most web text is ASCII, and a word-sized test
// skips eight plain bytes for the cost of one.

const (
	swarOnes = 0x0101010101010101
	swarHigh = 0x8080808080808080
)

// load8 returns s[i:i+8] as a little-endian integer (the compiler turns
// this into one load).
func load8(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// hasZeroByte reports whether some byte of w is 0 (exact, not just a hint).
func hasZeroByte(w uint64) bool { return (w-swarOnes)&^w&swarHigh != 0 }

// hasByte reports whether some byte of w is c.
func hasByte(w uint64, c byte) bool { return hasZeroByte(w ^ swarOnes*uint64(c)) }

// runeCount is utf8.RuneCountInString (an invalid byte counts as one rune).
func runeCount(s string) int {
	n, i := 0, 0
	for i < len(s) {
		if i+8 <= len(s) && load8(s, i)&swarHigh == 0 {
			i += 8
			n += 8
			continue
		}
		if s[i] < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		n++
	}
	return n
}

// validRuneCount is runeCount for valid UTF-8: the bytes that start a code
// point, eight at a time (a continuation byte is 10xxxxxx).
func validRuneCount(s string) int {
	cont, i := 0, 0
	for ; i+8 <= len(s); i += 8 {
		w := load8(s, i)
		cont += bits.OnesCount64(w & swarHigh &^ (w << 1))
	}
	for ; i < len(s); i++ {
		cont += b2i(s[i]&0xC0 == 0x80)
	}
	return len(s) - cont
}

// asciiWordEnd returns the end of the run of ASCII word bytes
// ([0-9A-Za-z_], asciiWordByte) that starts at i. Eight bytes at a time it
// finds the run's end by arithmetic rather than a branch per byte, whose
// exit at every word end the processor cannot predict.
func asciiWordEnd(s string, i int) int {
	for i+8 <= len(s) {
		m := asciiWordLanes(load8(s, i))
		if m == swarHigh {
			i += 8
			continue
		}
		return i + bits.TrailingZeros64(^m&swarHigh)/8
	}
	for i < len(s) && asciiWordByte[s[i]] {
		i++
	}
	return i
}

// asciiWordLanes sets the high bit of each byte of w that is an ASCII word
// byte ([0-9A-Za-z_]). Each lane's sums stay below 0x100, so no carry
// crosses lanes.
func asciiWordLanes(w uint64) uint64 {
	const low7 = 0x7F7F7F7F7F7F7F7F
	x := w&low7 | 0x2020202020202020 // lane | 0x20: A-Z to a-z; digits keep their value
	d := w & low7
	letter := (x + swarOnes*(0x80-'a')) &^ (x + swarOnes*(0x80-'z'-1))
	digit := (d + swarOnes*(0x80-'0')) &^ (d + swarOnes*(0x80-'9'-1))
	u := d ^ swarOnes*'_'
	underscore := ^((u&low7 + low7) | u) // high bit set where the lane is '_'
	return (letter | digit | underscore) &^ w & swarHigh
}

// laneRange sets the high bit of each lane of x (every lane below 0x80)
// that lies in [lo, hi]. Each lane's sums stay below 0x100.
func laneRange(x uint64, lo, hi byte) uint64 {
	return (x + swarOnes*uint64(0x80-lo)) &^ (x + swarOnes*uint64(0x80-hi-1)) & swarHigh
}

// chunkLanes classifies the eight bytes of w, one high bit per lane:
// ASCII white space (the bytes asciiTokenClass maps to 0), letters,
// digits, other ASCII (asciiTokenClass's tcPunct) and bytes >= 0x80.
func chunkLanes(w uint64) (space, letter, digit, punct, high uint64) {
	const low7 = 0x7F7F7F7F7F7F7F7F
	x := w & low7
	high = w & swarHigh
	ascii := ^w & swarHigh
	space = (laneRange(x, '\t', '\r') | laneRange(x, ' ', ' ')) & ascii
	letter = laneRange(x|0x2020202020202020, 'a', 'z') & ascii
	digit = laneRange(x, '0', '9') & ascii
	punct = ascii &^ (space | letter | digit)
	return
}

// chunkEnd returns the end of the chunk (bytes other than ASCII white
// space) that starts at i, before hi, and the OR of its bytes'
// asciiTokenClass. Eight bytes at a time it finds the end
// by arithmetic rather than a branch per byte, whose exit at every word
// end the processor cannot predict.
func chunkEnd(text string, i, hi int) (int, uint8) {
	var letter, digit, punct, high uint64
	for i+8 <= hi {
		sp, l, d, p, h := chunkLanes(load8(text, i))
		if sp != 0 {
			k := bits.TrailingZeros64(sp) / 8
			below := uint64(1)<<(8*k) - 1 // the lanes before the white space
			letter |= l & below
			digit |= d & below
			punct |= p & below
			high |= h & below
			i += k
			return i, chunkFlags(letter, digit, punct, high)
		}
		letter, digit, punct, high = letter|l, digit|d, punct|p, high|h
		i += 8
	}
	flags := chunkFlags(letter, digit, punct, high)
	for ; i < hi; i++ {
		k := asciiTokenClass[text[i]]
		if k == 0 {
			break
		}
		flags |= k
	}
	return i, flags
}

// chunkFlags turns chunkLanes' lane sets into asciiTokenClass flags.
func chunkFlags(letter, digit, punct, high uint64) (flags uint8) {
	if letter|digit|punct != 0 {
		flags |= tcNonSpace
	}
	if letter|digit != 0 {
		flags |= tcWord
	}
	if letter != 0 {
		flags |= tcLetter
	}
	if punct != 0 {
		flags |= tcPunct
	}
	if high != 0 {
		flags |= tcNonASCII
	}
	return flags
}
