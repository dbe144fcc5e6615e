package warc

import (
	"io"
	"strings"
)

// Field is one named header field of a WARC record.
type Field struct {
	Name  string
	Value string
}

// Header holds the named fields of a record in file order. Names may repeat
// (WARC-Concurrent-To, WARC-Protocol); Get returns the first.
type Header []Field

// Get returns the value of the first field called name (compared without
// regard to case), or "" when there is none.
func (h Header) Get(name string) string {
	for i := range h {
		if strings.EqualFold(h[i].Name, name) {
			return h[i].Value
		}
	}
	return ""
}

// Record is one WARC record. It and its Block are valid until the next call
// of Reader.Next.
type Record struct {
	// Version is the version line, such as "WARC/1.0".
	Version string
	Header  Header
	// Offset is the byte offset of the record in the file: of the gzip
	// member that holds its first byte when the file is compressed. This is
	// the offset that CDX indexes of Common Crawl use.
	Offset int64
	// InMember is the number of decompressed bytes in that gzip member
	// before the record starts: 0 for one member per record, and for
	// uncompressed files. (Offset, InMember) is unique within a file.
	InMember int64
	// StreamOffset is the offset of the record in the decompressed stream.
	StreamOffset int64
	// ContentLength is the declared length of the block.
	ContentLength int64
	// Block reads the record block: at most ContentLength bytes, fewer when
	// the record is Truncated.
	Block io.Reader
	// Truncated tells that the block is shorter than ContentLength or did
	// not end where the next record starts (a damaged gzip member, a cut
	// file, a wrong Content-Length). A Damage was recorded for it. For a
	// streamed block (larger than 4 MiB) a cut is only found while reading:
	// Block then returns an error wrapping io.ErrUnexpectedEOF and
	// Truncated turns true.
	Truncated bool

	block     blockReader
	bytesView []byte
}

// Type returns the WARC-Type field.
func (r *Record) Type() string { return r.Header.Get("WARC-Type") }

// Bytes returns the whole block without copying when it was small enough
// to sit in the reader's buffer (most records: up to a few MiB), and
// ok=false when it is streamed. The slice is valid until the next Next.
func (r *Record) Bytes() (b []byte, ok bool) {
	if r.bytesView == nil {
		return nil, false
	}
	return r.bytesView, true
}
