package warc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
)

// errGap is returned by a decompressed stream where data is missing: the
// gzip member before it was damaged, or junk was skipped. Reading may go on
// after it; the bytes that follow start a new gzip member.
var errGap = errors.New("warc: gap in the decompressed stream")

// countingReader counts the bytes read from the file, for compressed offsets
// and FileStats.CompressedBytes.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// gzipMagic starts every gzip member: ID1, ID2 and CM=8 (deflate).
var gzipMagic = []byte{0x1f, 0x8b, 0x08}

// Bomb limits: a member whose output passes bombMinBytes and is more than
// bombRatio times its compressed size is treated as hostile. Real WARC
// members compress 3-10x (80x for pathological "aaaa" blocks); a bomb
// compresses about 1000x.
const (
	bombMinBytes = 64 << 20
	bombRatio    = 400
)

// gzipStream decompresses a file of gzip members one member at a time, so it
// knows where each member starts in the file, and it steps over junk and
// damaged members by scanning for the next gzip magic.
type gzipStream struct {
	cnt *countingReader
	raw *bufio.Reader // an io.ByteReader, so the inflater reads no further than its member
	zr  *gzip.Reader

	inMember    bool
	memberOff   int64 // file offset of the current member
	memberBytes int64 // decompressed bytes of the current member so far
	upos        int64 // decompressed bytes produced so far
	gapPending  bool
	done        bool
	err         error // a read error of the file itself

	onMember func(upos, off int64)
	damage   func(off int64, msg string)
}

// rawPos is the file offset of the next compressed byte not yet consumed.
func (g *gzipStream) rawPos() int64 { return g.cnt.n - int64(g.raw.Buffered()) }

func (g *gzipStream) Read(p []byte) (int, error) {
	for {
		if g.gapPending {
			g.gapPending = false
			return 0, errGap
		}
		if g.done {
			if g.err != nil {
				return 0, g.err
			}
			return 0, io.EOF
		}
		if !g.inMember {
			g.startMember()
			continue
		}
		n, err := g.zr.Read(p)
		g.upos += int64(n)
		g.memberBytes += int64(n)
		switch {
		case err == io.EOF:
			g.inMember = false
		case err != nil:
			g.inMember = false
			msg := "corrupt gzip member"
			if errors.Is(err, io.ErrUnexpectedEOF) {
				msg = "truncated gzip member"
			}
			g.damage(g.memberOff, fmt.Sprintf("%s (after %d decompressed bytes): %v", msg, g.memberBytes, err))
			g.gapPending = true
			// The rest of the member is part of the same damage.
			g.skipToMagic(g.rawPos(), false)
		case g.memberBytes > bombMinBytes && g.memberBytes > bombRatio*(g.rawPos()-g.memberOff+1):
			g.inMember = false
			g.damage(g.memberOff, fmt.Sprintf("gzip bomb: member expands more than %dx (%d MiB from %d KiB); skipped",
				bombRatio, g.memberBytes>>20, (g.rawPos()-g.memberOff)>>10))
			g.gapPending = true
			// Skip the rest of the member by scanning for the next magic.
			g.skipToMagic(g.rawPos(), false)
		}
		if n > 0 {
			return n, nil
		}
	}
}

// startMember opens the gzip member at the current position, stepping over
// anything that is not one.
func (g *gzipStream) startMember() {
	head, err := g.raw.Peek(len(gzipMagic))
	off := g.rawPos()
	if len(head) == 0 {
		g.finish(err)
		return
	}
	if !bytes.Equal(head, gzipMagic) {
		g.skipToMagic(off, true)
		g.gapPending = true
		return
	}
	if g.zr == nil {
		g.zr, err = gzip.NewReader(g.raw)
	} else {
		err = g.zr.Reset(g.raw)
	}
	if err != nil {
		g.damage(off, fmt.Sprintf("bad gzip member header: %v", err))
		if g.rawPos() == off {
			g.raw.Discard(1)
		}
		g.skipToMagic(off, false)
		g.gapPending = true
		return
	}
	g.zr.Multistream(false)
	g.inMember = true
	g.memberOff = off
	g.memberBytes = 0
	g.onMember(g.upos, off)
}

// skipToMagic discards bytes up to the next gzip magic or the end of the
// file. With report set it records the skipped bytes as one Damage.
func (g *gzipStream) skipToMagic(from int64, report bool) {
	for {
		buf, err := g.raw.Peek(g.raw.Size())
		if len(buf) == 0 {
			g.reportSkip(from, report)
			g.finish(err)
			return
		}
		if i := bytes.Index(buf, gzipMagic); i >= 0 {
			g.raw.Discard(i)
			g.reportSkip(from, report)
			return
		}
		// Keep a possible partial magic at the end of the buffer.
		keep := len(gzipMagic) - 1
		if err != nil {
			keep = 0
		}
		if len(buf) > keep {
			g.raw.Discard(len(buf) - keep)
		} else {
			g.raw.Discard(len(buf))
		}
	}
}

func (g *gzipStream) reportSkip(from int64, report bool) {
	if n := g.rawPos() - from; report && n > 0 {
		g.damage(from, fmt.Sprintf("%d bytes of non-gzip data between gzip members", n))
	}
}

func (g *gzipStream) finish(err error) {
	g.done = true
	if err != nil && err != io.EOF {
		g.err = err
	}
}
