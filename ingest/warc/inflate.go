package warc

import (
	"bufio"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math/bits"
	"sync"
)

// inflater decodes the deflate data of one gzip member at a time, in 55-65%
// of the CPU of klauspost's decoder on WARC members (BenchmarkGunzip on
// files of both bench corpora): it takes the compressed bytes eight at a
// time from the bufio.Reader's buffer into a 64-bit bit buffer (libdeflate's
// refill), decodes through one-lookup tables of up to 11 bits for literals
// and lengths and 8 bits for distances (with subtables for longer codes),
// and copies matches eight bytes at a time.
//
// It is the fast path only. It checks everything klauspost's decoder checks
// (the same limits on HLIT and HDIST, complete codes but for a single code of
// one bit, the same invalid symbols, distances within the member's output,
// stored-block lengths, the trailer's CRC-32 and size), and on any of these,
// on a truncated member or on a header it does not handle, gzipStream gives
// the member to klauspost's decoder from its first byte (replay). So damaged
// files give the same bytes and the same damage messages as before; the
// inflater only has to be right on intact members, and no more lenient than
// klauspost on damaged ones.
//
// Memory: 32 KiB of history plus a 256 KiB output chunk, the tables (about
// 45 KiB), and the member's compressed bytes kept for a replay, up to
// replayCap (a longer member is not kept and, if damaged, is reported with
// this decoder's message).
type inflater struct {
	src *bufio.Reader

	// Input: in is the bufio.Reader's buffer from the last Peek; the bytes
	// before ip were taken into the bit buffer. Nothing is discarded from
	// src until the input is refilled or the member ends, so the bytes still
	// in the bit buffer can be given back.
	in       []byte
	ip       int
	bits     uint64 // the next nb bits of the stream, then (maybe) later bytes
	nb       uint
	overread uint // zero bytes fed past the end of the input
	eof      bool

	tee     []byte // the member's compressed bytes consumed so far, for a replay
	teeFull bool

	// Output: out[:op] is the member's recent output, of which out[rp:op]
	// has not been read yet.
	out    []byte
	op, rp int

	state  int
	final  bool
	stored int // bytes left in a stored block
	lit    *[litTableSize]uint32
	dist   *[distTableSize]uint32
	// litBits and distBits index the first level of lit and dist.
	litBits, distBits uint
	crc               uint32
	size              uint32

	dynLit  [litTableSize]uint32
	dynDist [distTableSize]uint32
	lens    [maxNumLit + maxNumDist]uint8
}

const (
	maxNumLit  = 286
	maxNumDist = 30
	maxMatch   = 258
	histSize   = 32 << 10
	outChunk   = 256 << 10
	// room is what one symbol may write: a match plus the 8-byte copy's
	// overshoot.
	room = maxMatch + 8

	litBits       = 11
	distBits      = 8
	litTableSize  = 1<<litBits + 288<<(15-litBits)
	distTableSize = 1<<distBits + 32<<(15-distBits)

	replayCap = 8 << 20
)

// Inflater states.
const (
	stHeader  = iota // at a block header
	stStored         // in a stored block
	stHuffman        // in a Huffman-coded block
	stTrailer        // after the final block
	stEnd            // member done
	stFailed
)

// Table entries: code length (bits 0-7), kind (bits 12-15), extra bits or
// subtable bits (bits 8-11), value (bits 16-31: literal byte, base length
// or distance, subtable start).
const (
	kindInvalid = iota
	kindLiteral
	kindLength
	kindEnd
	kindDist
	kindSub
)

func entry(kind, extra, value uint32) uint32 { return value<<16 | kind<<12 | extra<<8 }

// errInflate stands for any problem in a member; the member is replayed.
var errInflate = errors.New("warc: deflate data the fast decoder does not take")

var (
	litEntries, distEntries [320]uint32 // per symbol, without the code length
	fixedLit                [litTableSize]uint32
	fixedDist               [distTableSize]uint32
	fixedLitBits            uint
	fixedDistBits           uint
	fixedOnce               sync.Once
)

func initTables() {
	for s := range 256 {
		litEntries[s] = entry(kindLiteral, 0, uint32(s))
	}
	litEntries[256] = entry(kindEnd, 0, 0)
	base := uint32(3)
	for s := 257; s < 286; s++ {
		extra := uint32(0)
		if s >= 265 && s < 285 {
			extra = uint32(s-261) / 4
		}
		if s == 285 {
			base = 258
		}
		litEntries[s] = entry(kindLength, extra, base)
		base += 1 << extra
	}
	// 286 and 287 stay invalid.
	base = 1
	for s := range 30 {
		extra := uint32(0)
		if s >= 4 {
			extra = uint32(s-2) / 2
		}
		distEntries[s] = entry(kindDist, extra, base)
		base += 1 << extra
	}
	var lens [320]uint8
	for s := range 288 {
		switch {
		case s < 144:
			lens[s] = 8
		case s < 256:
			lens[s] = 9
		case s < 280:
			lens[s] = 7
		default:
			lens[s] = 8
		}
	}
	fixedLitBits, _ = buildTable(fixedLit[:], lens[:288], litBits, litEntries[:])
	for s := range 32 {
		lens[s] = 5
	}
	fixedDistBits, _ = buildTable(fixedDist[:], lens[:32], distBits, distEntries[:])
}

// buildTable fills table with the canonical Huffman code of lens (0: no
// code), entries giving each symbol's entry, and returns the number of bits
// its first level is indexed by: maxBits, or fewer when the longest code is
// shorter (the small tables of short members are cheaper to build). ok is
// false where klauspost's huffmanDecoder.init fails: an over-subscribed
// code, or an incomplete one other than a single code of one bit. An empty
// code is accepted (every lookup then finds an invalid entry), as there.
func buildTable(table []uint32, lens []uint8, maxBits uint, entries []uint32) (tableBits uint, ok bool) {
	var count [16]int
	for _, l := range lens {
		count[l&15]++
	}
	count[0] = 0
	left, maxLen, total := 1, uint(0), 0
	for l := uint(1); l < 16; l++ {
		left = left<<1 - count[l]
		if left < 0 {
			return 0, false
		}
		if count[l] > 0 {
			maxLen = l
			total += count[l]
		}
	}
	if total == 0 {
		clear(table[:2])
		return 1, true
	}
	if left > 0 {
		// Incomplete: only a lone one-bit code is accepted; its other
		// half stays invalid.
		if total != 1 || maxLen != 1 {
			return 0, false
		}
		clear(table[:2])
	}
	tableBits = min(maxBits, maxLen)
	var offs [17]int
	for l := 1; l < 16; l++ {
		offs[l+1] = offs[l] + count[l]
	}
	var sorted [320]uint16
	for s, l := range lens {
		if l != 0 {
			sorted[offs[l]] = uint16(s)
			offs[l]++
		}
	}
	// Codes of up to tableBits bits, shortest first: the codes of length l
	// fill the table's first 2^l entries (at their bit-reversed code), and
	// doubling the table repeats each shorter code at every index whose
	// low bits are that code.
	code, idx := 0, 0
	for l := uint(1); l <= tableBits; l++ {
		if l > 1 {
			copy(table[1<<(l-1):1<<l], table[:1<<(l-1)])
		}
		for range count[l] {
			table[bits.Reverse16(uint16(code))>>(16-l)] = entries[sorted[idx]] | uint32(l)
			idx++
			code++
		}
		code <<= 1
	}
	// Longer codes: a subtable per first-level prefix, all of the longest
	// code's remaining bits.
	subBits := maxLen - tableBits
	next := 1 << tableBits
	prefix, sub := -1, 0
	for l := tableBits + 1; l <= maxLen; l++ {
		for range count[l] {
			if p := code >> (l - tableBits); p != prefix {
				prefix, sub = p, next
				next += 1 << subBits
				table[bits.Reverse16(uint16(p))>>(16-tableBits)] = entry(kindSub, uint32(subBits), uint32(sub))
			}
			e := entries[sorted[idx]] | uint32(l)
			idx++
			low := l - tableBits
			for i := int(bits.Reverse16(uint16(code&(1<<low-1))) >> (16 - low)); i < 1<<subBits; i += 1 << low {
				table[sub+i] = e
			}
			code++
		}
		code <<= 1
	}
	return tableBits, true
}

func newInflater(src *bufio.Reader) *inflater {
	fixedOnce.Do(initTables)
	return &inflater{src: src, out: make([]byte, histSize+outChunk+room)}
}

// gzipHeaderLen returns the length of the gzip member header at the start
// of b, if b holds all of it and it is one the inflater takes: no header
// CRC, no reserved flags, and name and comment within the 512 bytes
// klauspost's reader allows (anything else goes to klauspost).
func gzipHeaderLen(b []byte) (int, bool) {
	if len(b) < 10 || b[0] != 0x1f || b[1] != 0x8b || b[2] != 8 {
		return 0, false
	}
	flg := b[3]
	if flg&0xe2 != 0 {
		return 0, false
	}
	n := 10
	if flg&4 != 0 { // FEXTRA
		if len(b) < n+2 {
			return 0, false
		}
		n += 2 + int(binary.LittleEndian.Uint16(b[n:]))
	}
	for _, f := range []byte{8, 16} { // FNAME, FCOMMENT
		if flg&f == 0 {
			continue
		}
		i := 0
		for n+i < len(b) && i < 512 && b[n+i] != 0 {
			i++
		}
		if n+i >= len(b) || i >= 512 {
			return 0, false
		}
		n += i + 1
	}
	if n > len(b) {
		return 0, false
	}
	return n, true
}

// begin starts a member whose header is the first hdr bytes of in, the
// bytes src has buffered (not a fresh Peek of its whole size, which would
// read from the file at every member).
func (f *inflater) begin(in []byte, hdr int) {
	f.bits, f.nb, f.overread, f.eof = 0, 0, 0, false
	f.tee, f.teeFull = f.tee[:0], false
	f.op, f.rp = 0, 0
	f.state, f.final, f.crc, f.size = stHeader, false, 0, 0
	f.in, f.ip = in, hdr
	f.consume(hdr)
}

// peek takes the buffered input of src, reading more if it holds little.
func (f *inflater) peek() {
	in, err := f.src.Peek(f.src.Size())
	f.in, f.ip = in, 0
	if err != nil && len(in) < f.src.Size() {
		f.eof = true
	}
}

// consume discards the first n bytes of in (n <= ip) from src, keeping
// them for a replay.
func (f *inflater) consume(n int) {
	if !f.teeFull {
		if len(f.tee)+n > replayCap {
			f.teeFull, f.tee = true, f.tee[:0]
		} else {
			f.tee = append(f.tee, f.in[:n]...)
		}
	}
	f.src.Discard(n)
	f.in, f.ip = f.in[n:], f.ip-n
}

// pending is how many bytes of src were taken into the decoder but not yet
// discarded: src's position lags the decoder's by that much.
func (f *inflater) pending() int {
	if f.state == stEnd || f.in == nil {
		return 0
	}
	return max(f.ip-int(f.nb/8)+int(f.overread), 0)
}

// release discards the bytes the decoder has used, leaving src where the
// decoder is (used when the member is given up).
func (f *inflater) release() {
	if n := f.pending(); n > 0 {
		f.consume(n)
	}
	f.in = nil
}

// more brings more input into in, keeping the bytes still in the bit
// buffer; it returns false at the end of the input.
func (f *inflater) more() bool {
	if f.eof {
		return false
	}
	keep := int(f.nb+7) / 8
	f.consume(max(f.ip-keep, 0))
	f.peek()
	f.ip = min(keep, len(f.in))
	if len(f.in) > keep {
		return true
	}
	f.eof = true
	return false
}

// refillSlow fills the bit buffer a byte at a time, across refills of the
// input, and past its end with zero bytes that are counted in overread.
func (f *inflater) refillSlow() {
	for f.nb <= 56 {
		if f.ip < len(f.in) || f.more() {
			f.bits |= uint64(f.in[f.ip]) << (f.nb & 63)
			f.ip++
		} else {
			f.overread++
		}
		f.nb += 8
	}
}

// usedPadding reports that the decoder took bits past the end of the input.
func (f *inflater) usedPadding() bool { return f.overread > 0 && f.nb < 8*f.overread }

// need makes sure the bit buffer holds at least n (<= 56) bits.
func (f *inflater) need(n uint) {
	if f.nb < n {
		if f.ip+8 <= len(f.in) {
			f.bits |= binary.LittleEndian.Uint64(f.in[f.ip:]) << (f.nb & 63)
			f.ip += int((63 - f.nb) >> 3)
			f.nb |= 56
			return
		}
		f.refillSlow()
	}
}

func (f *inflater) take(n uint) uint32 {
	v := uint32(f.bits & (1<<n - 1))
	f.bits >>= n & 63
	f.nb -= n
	return v
}

// alignInput drops the bits up to the next byte boundary and gives the
// whole bytes still in the bit buffer back to in.
func (f *inflater) alignInput() bool {
	if f.usedPadding() {
		return false
	}
	f.nb -= f.nb & 7
	f.ip -= int(f.nb/8) - int(f.overread)
	f.nb, f.bits, f.overread = 0, 0, 0
	return true
}

// readBytes copies len(p) bytes of input (after alignInput).
func (f *inflater) readBytes(p []byte) bool {
	for len(p) > 0 {
		if f.ip == len(f.in) && !f.more() {
			return false
		}
		n := copy(p, f.in[f.ip:])
		f.ip += n
		p = p[n:]
	}
	return true
}

// Read gives out the member's decompressed bytes, io.EOF after the trailer
// was checked, errInflate on anything else.
func (f *inflater) Read(p []byte) (int, error) {
	for f.rp == f.op {
		switch f.state {
		case stEnd:
			return 0, io.EOF
		case stFailed:
			return 0, errInflate
		}
		if err := f.decode(); err != nil {
			f.state = stFailed
			return 0, err
		}
	}
	n := copy(p, f.out[f.rp:f.op])
	f.rp += n
	return n, nil
}

// decode produces more output, or ends the member.
func (f *inflater) decode() error {
	if f.op > len(f.out)-room-outChunk/2 {
		n := copy(f.out, f.out[f.op-histSize:f.op])
		f.op, f.rp = n, n
	}
	start := f.op
	err := f.blocks()
	f.crc = crc32.Update(f.crc, crc32.IEEETable, f.out[start:f.op])
	f.size += uint32(f.op - start)
	if err != nil {
		return err
	}
	if f.state == stTrailer {
		var t [8]byte
		if !f.alignInput() || !f.readBytes(t[:]) {
			return errInflate
		}
		if binary.LittleEndian.Uint32(t[:]) != f.crc || binary.LittleEndian.Uint32(t[4:]) != f.size {
			return errInflate
		}
		f.consume(f.ip)
		f.in, f.state = nil, stEnd
	}
	return nil
}

// blocks decodes blocks until the output chunk is full or the final block
// ends.
func (f *inflater) blocks() error {
	for f.op <= len(f.out)-room {
		switch f.state {
		case stHeader:
			if f.final {
				f.state = stTrailer
				return nil
			}
			f.need(3)
			f.final = f.take(1) == 1
			switch f.take(2) {
			case 0:
				var h [4]byte
				if !f.alignInput() || !f.readBytes(h[:]) {
					return errInflate
				}
				n := binary.LittleEndian.Uint16(h[:])
				if n != ^binary.LittleEndian.Uint16(h[2:]) {
					return errInflate
				}
				f.stored, f.state = int(n), stStored
			case 1:
				f.lit, f.dist, f.state = &fixedLit, &fixedDist, stHuffman
				f.litBits, f.distBits = fixedLitBits, fixedDistBits
			case 2:
				if err := f.dynamicHeader(); err != nil {
					return err
				}
				f.lit, f.dist, f.state = &f.dynLit, &f.dynDist, stHuffman
			default:
				return errInflate
			}
			if f.usedPadding() {
				return errInflate
			}
		case stStored:
			for f.stored > 0 && f.op < len(f.out) {
				if f.ip == len(f.in) && !f.more() {
					return errInflate
				}
				n := copy(f.out[f.op:min(f.op+f.stored, len(f.out))], f.in[f.ip:])
				f.ip += n
				f.op += n
				f.stored -= n
			}
			if f.stored == 0 {
				f.state = stHeader
			}
		case stHuffman:
			if err := f.huffmanFast(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

// codeOrder is the order of the code-length code's lengths in a dynamic
// block header (RFC 1951 3.2.7).
var codeOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

var clenEntries = func() (e [19]uint32) {
	for s := range e {
		e[s] = entry(kindLiteral, 0, uint32(s))
	}
	return
}()

// dynamicHeader reads a dynamic block's code lengths and builds its tables,
// with klauspost's readHuffman checks.
func (f *inflater) dynamicHeader() error {
	f.need(14)
	nlit := int(f.take(5)) + 257
	ndist := int(f.take(5)) + 1
	nclen := int(f.take(4)) + 4
	if nlit > maxNumLit || ndist > maxNumDist {
		return errInflate
	}
	var clens [19]uint8
	for i := range nclen {
		f.need(3)
		clens[codeOrder[i]] = uint8(f.take(3))
	}
	var ctab [1 << 7]uint32
	cbits, ok := buildTable(ctab[:], clens[:], 7, clenEntries[:])
	if !ok {
		return errInflate
	}
	// The code lengths, with the bit buffer in locals (a dynamic header
	// is read at every block of every member; most are short).
	lens := f.lens[:nlit+ndist]
	cmask := uint64(1)<<cbits - 1
	bitbuf, nb, in, ip := f.bits, f.nb, f.in, f.ip
	for i := 0; i < len(lens); {
		if nb < 7+7 {
			if ip+8 <= len(in) {
				bitbuf |= binary.LittleEndian.Uint64(in[ip:]) << (nb & 63)
				ip += int((63 - nb) >> 3)
				nb |= 56
			} else {
				f.bits, f.nb, f.ip = bitbuf, nb, ip
				f.refillSlow()
				bitbuf, nb, in, ip = f.bits, f.nb, f.in, f.ip
			}
		}
		e := ctab[bitbuf&cmask&127]
		if e>>12&15 != kindLiteral {
			return errInflate
		}
		n := uint(e & 0xff)
		bitbuf >>= n & 63
		nb -= n
		x := uint8(e >> 16)
		if x < 16 {
			lens[i] = x
			i++
			continue
		}
		var rep int
		var v uint8
		switch x {
		case 16:
			if i == 0 {
				return errInflate
			}
			rep, v = 3+int(bitbuf&3), lens[i-1]
			bitbuf >>= 2
			nb -= 2
		case 17:
			rep = 3 + int(bitbuf&7)
			bitbuf >>= 3
			nb -= 3
		default:
			rep = 11 + int(bitbuf&127)
			bitbuf >>= 7
			nb -= 7
		}
		if i+rep > len(lens) {
			return errInflate
		}
		clear(lens[i : i+rep])
		if v != 0 {
			for j := i; j < i+rep; j++ {
				lens[j] = v
			}
		}
		i += rep
	}
	f.bits, f.nb, f.ip = bitbuf, nb, ip
	if f.usedPadding() {
		return errInflate
	}
	if f.litBits, ok = buildTable(f.dynLit[:], lens[:nlit], litBits, litEntries[:]); !ok {
		return errInflate
	}
	if f.distBits, ok = buildTable(f.dynDist[:], lens[nlit:], distBits, distEntries[:]); !ok {
		return errInflate
	}
	return nil
}

// huffman decodes symbols of a Huffman block until it ends or the output
// chunk is full, refilling carefully near the end of the input (where the
// stream may be padded with zeros). The loop keeps the bit buffer and
// positions in locals.
func (f *inflater) huffman() error {
	lit, dist := f.lit, f.dist
	litMask, litShift := uint64(1)<<f.litBits-1, f.litBits&63
	distMask, distShift := uint64(1)<<f.distBits-1, f.distBits&63
	bitbuf, nb, in, ip := f.bits, f.nb, f.in, f.ip
	out, op := f.out, f.op
	limit := len(out) - room
	err := error(nil)
	for op <= limit {
		if nb < 48 {
			if ip+8 <= len(in) {
				bitbuf |= binary.LittleEndian.Uint64(in[ip:]) << (nb & 63)
				ip += int((63 - nb) >> 3)
				nb |= 56
			} else {
				f.bits, f.nb, f.ip = bitbuf, nb, ip
				if f.usedPadding() {
					err = errInflate
					break
				}
				f.refillSlow()
				bitbuf, nb, in, ip = f.bits, f.nb, f.in, f.ip
			}
		}
		e := lit[bitbuf&litMask]
		if e>>12&15 == kindSub {
			e = lit[e>>16+uint32(bitbuf>>litShift)&(1<<(e>>8&15)-1)]
		}
		n := uint(e & 0xff)
		bitbuf >>= n & 63
		nb -= n
		switch e >> 12 & 15 {
		case kindLiteral:
			out[op] = byte(e >> 16)
			op++
			continue
		case kindLength:
		case kindEnd:
			f.state = stHeader
			f.bits, f.nb, f.ip, f.op = bitbuf, nb, ip, op
			if f.usedPadding() {
				return errInflate
			}
			return nil
		default:
			err = errInflate
		}
		if err != nil {
			break
		}
		x := uint(e >> 8 & 15)
		length := int(e>>16) + int(bitbuf&(1<<x-1))
		bitbuf >>= x & 63
		nb -= x
		e = dist[bitbuf&distMask]
		if e>>12&15 == kindSub {
			e = dist[e>>16+uint32(bitbuf>>distShift)&(1<<(e>>8&15)-1)]
		}
		if e>>12&15 != kindDist {
			err = errInflate
			break
		}
		n = uint(e & 0xff)
		bitbuf >>= n & 63
		nb -= n
		x = uint(e >> 8 & 15)
		d := int(e>>16) + int(bitbuf&(1<<x-1))
		bitbuf >>= x & 63
		nb -= x
		if d > op {
			err = errInflate
			break
		}
		copyMatch(out, op, d, length)
		op += length
	}
	f.bits, f.nb, f.ip, f.op = bitbuf, nb, ip, op
	if err == nil && f.usedPadding() {
		err = errInflate
	}
	return err
}

// huffmanFast decodes symbols like huffman, in a loop for while eight input
// bytes and a match's room in the output remain: it refills the bit buffer
// without a branch at every symbol (libdeflate's fast loop), which leaves at
// least 56 bits, enough for a whole match or for two literals; near the end
// of the input or of the output chunk it hands over to huffman. The two
// loops decode lengths and distances alike; they are kept apart (as
// libdeflate's are) because one shared decoding function costs the fast
// loop its register-held bit buffer.
func (f *inflater) huffmanFast() error {
	lit, dist := f.lit, f.dist
	litMask, litShift := uint64(1)<<f.litBits-1, f.litBits&63
	distMask, distShift := uint64(1)<<f.distBits-1, f.distBits&63
	bitbuf, nb, in, ip := f.bits, f.nb, f.in, f.ip
	out, op := f.out, f.op
	limit := len(out) - room
	for op <= limit && ip+8 <= len(in) {
		bitbuf |= binary.LittleEndian.Uint64(in[ip:]) << (nb & 63)
		ip += int((63 - nb) >> 3)
		nb |= 56
		e := lit[bitbuf&litMask]
		if e&(15<<12) == kindLiteral<<12 {
			bitbuf >>= e & 63
			nb -= uint(e & 0xff)
			out[op] = byte(e >> 16)
			op++
			// At least 41 bits are left: room for one more literal.
			e = lit[bitbuf&litMask]
			if e&(15<<12) != kindLiteral<<12 {
				continue
			}
			bitbuf >>= e & 63
			nb -= uint(e & 0xff)
			out[op] = byte(e >> 16)
			op++
			continue
		}
		if e>>12&15 == kindSub {
			e = lit[e>>16+uint32(bitbuf>>litShift)&(1<<(e>>8&15)-1)]
		}
		bitbuf >>= e & 63
		nb -= uint(e & 0xff)
		switch e >> 12 & 15 {
		case kindLiteral:
			out[op] = byte(e >> 16)
			op++
			continue
		case kindLength:
		case kindEnd:
			f.state = stHeader
			f.bits, f.nb, f.ip, f.op = bitbuf, nb, ip, op
			if f.usedPadding() {
				return errInflate
			}
			return nil
		default:
			f.bits, f.nb, f.ip, f.op = bitbuf, nb, ip, op
			return errInflate
		}
		x := uint(e >> 8 & 15)
		length := int(e>>16) + int(bitbuf&(1<<x-1))
		bitbuf >>= x & 63
		nb -= x
		e = dist[bitbuf&distMask]
		if e>>12&15 == kindSub {
			e = dist[e>>16+uint32(bitbuf>>distShift)&(1<<(e>>8&15)-1)]
		}
		if e>>12&15 != kindDist {
			f.bits, f.nb, f.ip, f.op = bitbuf, nb, ip, op
			return errInflate
		}
		bitbuf >>= e & 63
		nb -= uint(e & 0xff)
		x = uint(e >> 8 & 15)
		d := int(e>>16) + int(bitbuf&(1<<x-1))
		bitbuf >>= x & 63
		nb -= x
		if d > op {
			f.bits, f.nb, f.ip, f.op = bitbuf, nb, ip, op
			return errInflate
		}
		copyMatch(out, op, d, length)
		op += length
	}
	f.bits, f.nb, f.ip, f.op = bitbuf, nb, ip, op
	if op > limit {
		return nil
	}
	return f.huffman()
}

// copyMatch copies the match of length bytes at distance d back to
// out[op:]; out has room past the match (room) for the 8-byte copies. It
// is small enough to be inlined in both decoding loops.
func copyMatch(out []byte, op, d, length int) {
	if d < 8 {
		copyNear(out, op, d, length)
		return
	}
	// Eight bytes at a time: each load reads bytes already written, as
	// the distance is at least eight; the last store may run up to 7
	// bytes past the match.
	src := op - d
	for i := 0; i < length; i += 8 {
		binary.LittleEndian.PutUint64(out[op+i:], binary.LittleEndian.Uint64(out[src+i:]))
	}
}

// copyNear is copyMatch for a distance under eight, a byte at a time.
func copyNear(out []byte, op, d, length int) {
	s := out[op : op+length]
	src := out[op-d : op-d+length]
	for i := range s {
		s[i] = src[i]
	}
}
