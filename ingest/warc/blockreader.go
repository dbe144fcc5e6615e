package warc

import (
	"fmt"
	"io"
)

// blockReader streams a block too large for the window, stopping at
// Content-Length or at a gap in the stream (a damaged gzip member).
type blockReader struct {
	w      *window
	left   int64
	cut    bool // stopped early at a gap or the end of the file
	length int64
	rec    *Record // marked Truncated when the block is cut
}

func (b *blockReader) markCut() {
	b.cut = true
	if b.rec != nil {
		b.rec.Truncated = true
	}
}

func (b *blockReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	if b.cut {
		return 0, io.ErrUnexpectedEOF
	}
	if len(b.w.buffered()) == 0 && !b.w.fill() {
		b.markCut()
		return 0, fmt.Errorf("warc: record block cut after %d of %d bytes: %w", b.length-b.left, b.length, io.ErrUnexpectedEOF)
	}
	buf := b.w.buffered()
	n := copy(p, buf[:min(int64(len(buf)), b.left)])
	b.w.discard(n)
	b.left -= int64(n)
	return n, nil
}

// drain skips the rest of the block; it reports whether the whole block
// was there.
func (b *blockReader) drain() bool {
	for b.left > 0 && !b.cut {
		buf := b.w.buffered()
		if len(buf) == 0 {
			if !b.w.fill() {
				b.markCut()
				break
			}
			continue
		}
		n := int(min(int64(len(buf)), b.left))
		b.w.discard(n)
		b.left -= int64(n)
	}
	return !b.cut
}
