package extract

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// DecodeCharset converts an HTML payload to UTF-8 and names the charset it
// decided on (a WHATWG name such as "utf-8", "gb18030", "windows-1251").
//
// The order of evidence is: byte order mark; then the declarations (HTTP
// header, then <meta charset> / http-equiv, or else an XML declaration's
// encoding), each accepted only if the bytes agree with it; then sniffing the bytes. Bytes beat declarations because
// crawled pages often lie: a server that says UTF-8 for a windows-1251 page,
// or a page that declares ISO-8859-1 but was saved as UTF-8. Decoding never
// fails on bad bytes (they become U+FFFD); the output is always valid UTF-8.
// err is reserved for failures of the decoder itself.
func DecodeCharset(raw []byte, contentType string) (utf8Text []byte, charset string, err error) {
	enc, name, valid := chooseEncoding(raw, contentType)
	if name == "utf-8" {
		raw = bytes.TrimPrefix(raw, utf8BOM)
		if valid || utf8.Valid(raw) {
			return raw, name, nil
		}
		return bytes.ToValidUTF8(raw, []byte("\uFFFD")), name, nil
	}
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return nil, name, err
	}
	if !utf8.Valid(out) { // decoders emit U+FFFD, but be certain
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return out, name, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// highBits selects the top bit of each byte of a 64-bit word.
const highBits = 0x8080808080808080

// chooseEncoding applies the order of evidence described at DecodeCharset.
// valid reports that raw is known to be valid UTF-8 (so DecodeCharset
// need not check again).
func chooseEncoding(raw []byte, contentType string) (enc encoding.Encoding, name string, valid bool) {
	if enc, name, ok := bomEncoding(raw); ok {
		return enc, name, false
	}
	st := scanUTF8(raw)
	valid = st.invalid == 0 && st.complete
	header, hasHeader := lookupCharset(charsetParam(contentType))
	// Valid multi-byte UTF-8 is very unlikely to arise by chance in a
	// legacy single-byte encoding, so it wins over any declaration. For a
	// legacy multi-byte declaration (GBK, Shift_JIS, ...) a few short
	// sequences can be valid UTF-8 by accident, so demand more of them.
	if st.invalid == 0 && st.multi > 0 {
		if !hasHeader || !header.multiByte || st.multi >= 8 {
			return unicode.UTF8, "utf-8", valid
		}
	}
	decls := make([]knownCharset, 0, 2)
	if hasHeader {
		decls = append(decls, header)
	}
	if meta, ok := lookupCharset(metaCharset(raw)); ok {
		if meta.name == "utf-16le" || meta.name == "utf-16be" {
			// A meta tag that was itself readable as ASCII cannot be
			// UTF-16; HTML says to read this as UTF-8.
			meta = knownCharset{enc: unicode.UTF8, name: "utf-8"}
		}
		decls = append(decls, meta)
	} else if x, ok := lookupCharset(xmlEncoding(raw)); ok && !strings.HasPrefix(x.name, "utf-16") {
		decls = append(decls, x)
	}
	for _, d := range decls {
		if d.agreesWith(raw, st) {
			return d.enc, d.name, valid
		}
	}
	if len(decls) == 0 && st.invalid == 0 {
		return unicode.UTF8, "utf-8", valid // pure ASCII (or valid UTF-8)
	}
	if s, ok := sniffCharset(raw); ok {
		return s.enc, s.name, valid
	}
	// Nothing fits: windows-1252 maps every byte to a character, which is
	// the least destructive guess (and the HTML default for undeclared pages).
	if len(decls) > 0 && decls[0].name == "utf-8" && st.multi > st.invalid {
		return unicode.UTF8, "utf-8", valid
	}
	w, _ := lookupCharset("windows-1252")
	return w.enc, w.name, valid
}

// knownCharset is an encoding sieve can decode, under its WHATWG name.
type knownCharset struct {
	enc       encoding.Encoding
	name      string
	multiByte bool // a legacy CJK encoding with lead and trail bytes
}

// lookupCharset resolves a charset label ("gb2312", "x-sjis", "latin1")
// with the WHATWG label table. GBK and gb2312 are read as GB18030, their
// superset, so characters outside GBK still decode.
func lookupCharset(label string) (knownCharset, bool) {
	label = strings.TrimSpace(label)
	if label == "" {
		return knownCharset{}, false
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return knownCharset{}, false
	}
	name, err := htmlindex.Name(enc)
	if err != nil {
		return knownCharset{}, false
	}
	switch name {
	case "gbk", "gb18030":
		return knownCharset{enc: simplifiedchinese.GB18030, name: "gb18030", multiByte: true}, true
	case "shift_jis", "euc-jp", "euc-kr", "big5", "iso-2022-jp":
		return knownCharset{enc: enc, name: name, multiByte: true}, true
	case "replacement":
		// Labels of encodings HTML refuses to decode (ISO-2022-KR,
		// HZ-GB-2312): treat them as undeclared and let the bytes decide.
		return knownCharset{}, false
	}
	return knownCharset{enc: enc, name: name}, true
}

// agreesWith reports whether the bytes are plausible in this charset.
func (c knownCharset) agreesWith(raw []byte, st utf8Stats) bool {
	switch {
	case c.name == "utf-8":
		// A stray invalid byte in a UTF-8 page (a cut-off sequence, one bad
		// include) should not throw the whole page into another charset.
		return st.invalid == 0 || st.invalid*50 <= st.multi
	case c.multiByte:
		return decodeErrorRate(c.enc, raw) <= 0.02
	case strings.HasPrefix(c.name, "utf-16"):
		return len(raw)%2 == 0
	}
	return true // every byte is a character in a single-byte charset
}

// decodeErrorRate decodes up to 16 KiB and returns the share of decoded
// non-ASCII characters that are U+FFFD.
func decodeErrorRate(enc encoding.Encoding, raw []byte) float64 {
	if len(raw) > 16<<10 {
		raw = raw[:16<<10]
	}
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return 1
	}
	var nonASCII, bad int
	for _, r := range string(out) {
		if r >= 0x80 {
			nonASCII++
			if r == utf8.RuneError {
				bad++
			}
		}
	}
	if nonASCII == 0 {
		return 0
	}
	return float64(bad) / float64(nonASCII)
}

func bomEncoding(raw []byte) (encoding.Encoding, string, bool) {
	switch {
	case bytes.HasPrefix(raw, utf8BOM):
		return unicode.UTF8, "utf-8", true
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "utf-16le", true
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "utf-16be", true
	}
	return nil, "", false
}

// utf8Stats counts, over the whole payload, the valid multi-byte UTF-8
// sequences and the bytes that are not valid UTF-8. complete is false when
// the payload ends inside a sequence (which is not counted as invalid).
type utf8Stats struct {
	multi, invalid int
	complete       bool
}

func scanUTF8(raw []byte) utf8Stats {
	// One pass: ASCII (most of a page is markup) is skipped 8 bytes at a
	// time wherever it is (utf8.Valid stops doing so at the first
	// non-ASCII byte), and two- and three-byte sequences are decoded
	// inline (decodeRune); the counts are those of decoding every rune
	// with the utf8 package (FuzzScanUTF8).
	var st utf8Stats
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < utf8.RuneSelf {
			// A run of ASCII, eight bytes at a time in its own loop, up
			// to the first byte that is not ASCII.
			i++
			for i+8 <= len(raw) {
				if hi := binary.LittleEndian.Uint64(raw[i:]) & highBits; hi != 0 {
					i += bits.TrailingZeros64(hi) >> 3
					break
				}
				i += 8
			}
			continue
		}
		// Two-byte sequences, and three-byte ones whose lead byte
		// allows any continuation (not E0 or ED), are valid without
		// decoding them.
		if c >= 0xC2 && c < 0xE0 && i+1 < len(raw) && raw[i+1]&0xC0 == 0x80 {
			st.multi++
			i += 2
			continue
		}
		if c >= 0xE1 && c < 0xF0 && c != 0xED && i+2 < len(raw) && raw[i+1]&0xC0 == 0x80 && raw[i+2]&0xC0 == 0x80 {
			st.multi++
			i += 3
			continue
		}
		r, size := decodeRune(raw, i)
		if r == utf8.RuneError && size == 1 {
			// A sequence cut by the end of the payload (MaxHTMLBytes or a
			// truncated record) is not evidence against UTF-8.
			if !utf8.FullRune(raw[i:]) {
				return st
			}
			st.invalid++
			i++
			continue
		}
		st.multi++
		i += size
	}
	st.complete = true
	return st
}

// charsetParam returns the charset parameter of a Content-Type value, or "".
// It is lenient on purpose: crawled headers are often malformed
// ("text/html;charset=UTF-8;", "text/html; charset='gbk'").
func charsetParam(contentType string) string {
	i := indexFold(contentType, "charset")
	if i < 0 {
		return ""
	}
	v := strings.TrimLeft(contentType[i+len("charset"):], " \t")
	if !strings.HasPrefix(v, "=") {
		return ""
	}
	v = strings.TrimLeft(v[1:], " \t")
	v = strings.TrimLeft(v, `"'`)
	if j := strings.IndexAny(v, `;, "'`+"\t"); j >= 0 {
		v = v[:j]
	}
	return v
}

// indexFold is strings.Index for an ASCII lower-case needle, ignoring case.
// It takes bytes or a string, so callers need no conversion (which would
// copy).
func indexFold[T ~string | ~[]byte](s T, lowerNeedle string) int {
	if b, ok := any(s).([]byte); ok {
		return indexFoldBytes(b, lowerNeedle)
	}
	for i := 0; i+len(lowerNeedle) <= len(s); i++ {
		if foldedAt(s, i, lowerNeedle, 0) {
			return i
		}
	}
	return -1
}

// foldedAt reports that s holds lowerNeedle[from:] at i+from, ignoring
// ASCII case (the caller checked that it fits).
func foldedAt[T ~string | ~[]byte](s T, i int, lowerNeedle string, from int) bool {
	for j := from; j < len(lowerNeedle); j++ {
		c := s[i+j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lowerNeedle[j] {
			return false
		}
	}
	return true
}

// indexFoldBytes is indexFold for bytes (text blocks, tags): it jumps from
// one occurrence of the needle's rarest byte (rareIndex), in either case,
// to the next with bytes.IndexByte, which reads many bytes at a time,
// instead of comparing at every position. Anchoring on a rare byte ('p'
// of "copyright", 'v' of "all rights reserved") rather than the first
// keeps the jumps long in text.
func indexFoldBytes(s []byte, lowerNeedle string) int {
	n := len(lowerNeedle)
	if n == 0 {
		return 0
	}
	k := rareIndex(lowerNeedle)
	lo, up := lowerNeedle[k], lowerNeedle[k]
	if 'a' <= lo && lo <= 'z' {
		up = lo - ('a' - 'A')
	}
	end := len(s) - n + 1    // candidates start before end
	nextLo, nextUp := -1, -1 // next candidate at or after i (its anchor is at +k); end when none
	for i := 0; i < end; {
		if nextLo < i {
			nextLo = end
			if j := bytes.IndexByte(s[i+k:end+k], lo); j >= 0 {
				nextLo = i + j
			}
		}
		if nextUp < i {
			nextUp = end
			if j := bytes.IndexByte(s[i+k:end+k], up); j >= 0 {
				nextUp = i + j
			}
		}
		i = min(nextLo, nextUp)
		if i >= end {
			return -1
		}
		if foldedAt(s, i, lowerNeedle, 0) {
			return i
		}
		i++
	}
	return -1
}

// byteRarity ranks bytes by how common they are in text: every byte that
// is not a lower-case ASCII letter 0 (the rarest: ":", "-"), then the
// letters by English letter frequency, rarest first (other scripts use
// few ASCII letters at all).
var byteRarity = func() (t [256]uint8) {
	for i, c := range []byte("zqxjkvbpygfwmucldrhsnioate") {
		t[c] = uint8(i + 1)
	}
	return t
}()

// rareIndex returns the position in the needle of the byte expected to be
// rarest in text (the first of equals).
func rareIndex(lowerNeedle string) int {
	best := 0
	for i := 1; i < len(lowerNeedle); i++ {
		if byteRarity[lowerNeedle[i]] < byteRarity[lowerNeedle[best]] {
			best = i
		}
	}
	return best
}
