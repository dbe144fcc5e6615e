package ingest

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
)

// errTooLarge is returned when a decoded payload passes the size limit.
var errTooLarge = errors.New("payload too large")

// dechunk undoes HTTP chunked transfer encoding. Many crawlers store the
// body already de-chunked but keep the header, and some servers chunk
// badly, so ok is false whenever the body does not parse as chunks and the
// caller then keeps the raw body (warcio does the same).
func dechunk(b []byte) (out []byte, ok bool) {
	out = make([]byte, 0, len(b))
	for {
		line, rest, found := bytes.Cut(b, []byte("\n"))
		if !found {
			return nil, false
		}
		sizeText := strings.TrimSpace(string(line))
		if i := strings.IndexByte(sizeText, ';'); i >= 0 {
			sizeText = strings.TrimSpace(sizeText[:i]) // chunk extensions
		}
		size, err := strconv.ParseUint(sizeText, 16, 63)
		if err != nil {
			return nil, false
		}
		if size == 0 {
			return out, true // trailers, if any, are dropped
		}
		if uint64(len(rest)) < size {
			// A cut last chunk: keep what is there.
			return append(out, rest...), len(out) > 0
		}
		out = append(out, rest[:size]...)
		b = bytes.TrimPrefix(bytes.TrimPrefix(rest[size:], []byte("\r")), []byte("\n"))
		if len(b) == 0 {
			return out, true // no final zero chunk: tolerated
		}
	}
}

// decodeContent undoes a Content-Encoding, reading at most limit bytes of
// output. An unknown coding is an error; "identity" and "" are no-ops.
func decodeContent(b []byte, coding string, limit int64) ([]byte, error) {
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(coding)) {
	case "", "identity", "none":
		return b, nil
	case "gzip", "x-gzip":
		if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			// The crawler stored the decoded body but kept the header
			// (ClueWeb09 does this): use it as it is.
			return b, nil
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		r = zr
	case "deflate":
		// "deflate" is zlib-wrapped by the standard, raw deflate in practice
		// for some servers: try zlib first.
		if zr, err := zlib.NewReader(bytes.NewReader(b)); err == nil {
			r = zr
		} else {
			r = flate.NewReader(bytes.NewReader(b))
		}
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	default:
		return nil, errors.New("unsupported content coding " + strconv.Quote(coding))
	}
	out, err := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(out)) > limit {
		return nil, errTooLarge
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}
