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

	// fast decodes the members it can (see inflater); a member it gives up
	// on is replayed through zr from its first byte, read again from
	// replaying.
	fast      *inflater
	useFast   bool // the current member is fast's
	replaying *replayReader
	noFast    bool // klauspost's decoder for every member (tests)
	// Members begun by fast, and of those replayed (tests).
	fastMembers, replays int

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
func (g *gzipStream) rawPos() int64 {
	pos := g.cnt.n - int64(g.raw.Buffered())
	if g.useFast && g.inMember {
		pos += int64(g.fast.pending())
	}
	if g.replaying != nil {
		pos -= int64(len(g.replaying.head))
	}
	return pos
}

// replayReader reads a member's bytes again: those the fast decoder took
// from raw (head), then the rest from raw. It is an io.ByteReader, so
// klauspost's decoder reads no further than the member.
type replayReader struct {
	head []byte
	raw  *bufio.Reader
}

func (r *replayReader) Read(p []byte) (int, error) {
	if len(r.head) > 0 {
		n := copy(p, r.head)
		r.head = r.head[n:]
		return n, nil
	}
	return r.raw.Read(p)
}

func (r *replayReader) ReadByte() (byte, error) {
	if len(r.head) > 0 {
		b := r.head[0]
		r.head = r.head[1:]
		return b, nil
	}
	return r.raw.ReadByte()
}

// replay gives the current member to klauspost's decoder from its first
// byte, after the fast decoder gave up on it, and skips the bytes the fast
// decoder already handed out (the same bytes: both decode the same prefix).
// Then klauspost's decoder reports the member's damage, with the message
// and the counts it always did.
func (g *gzipStream) replay() error {
	f := g.fast
	g.useFast = false
	g.replays++
	if f.teeFull {
		f.release()
		return errors.New("flate: corrupt input (in a member too long to read again)")
	}
	g.replaying = &replayReader{head: f.tee, raw: g.raw}
	f.in = nil
	var err error
	if g.zr == nil {
		g.zr, err = gzip.NewReader(g.replaying)
	} else {
		err = g.zr.Reset(g.replaying)
	}
	if err != nil {
		return err
	}
	g.zr.Multistream(false)
	var scratch [32 << 10]byte
	for skip := g.memberBytes; skip > 0; {
		n, err := g.zr.Read(scratch[:min(skip, int64(len(scratch)))])
		skip -= int64(n)
		if err != nil && skip > 0 {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
	}
	return nil
}

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
		var n int
		var err error
		if g.useFast {
			n, err = g.fast.Read(p)
			if err == errInflate {
				if err = g.replay(); err == nil {
					continue
				}
			}
		} else {
			n, err = g.zr.Read(p)
		}
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
			g.giveUpFast()
			// The rest of the member is part of the same damage.
			g.skipToMagic(g.rawPos(), false)
		case g.memberBytes > bombMinBytes && g.memberBytes > bombRatio*(g.rawPos()-g.memberOff+1):
			g.inMember = false
			g.damage(g.memberOff, fmt.Sprintf("gzip bomb: member expands more than %dx (%d MiB from %d KiB); skipped",
				bombRatio, g.memberBytes>>20, (g.rawPos()-g.memberOff)>>10))
			g.gapPending = true
			g.giveUpFast()
			// Skip the rest of the member by scanning for the next magic.
			g.skipToMagic(g.rawPos(), false)
		}
		if n > 0 {
			return n, nil
		}
	}
}

// giveUpFast leaves raw where the fast decoder was, when its member is
// given up (damaged or a bomb), for the scan to the next member.
func (g *gzipStream) giveUpFast() {
	if g.useFast {
		g.fast.release()
		g.useFast = false
	}
}

// startMember opens the gzip member at the current position, stepping over
// anything that is not one.
func (g *gzipStream) startMember() {
	g.useFast, g.replaying = false, nil
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
	if !g.noFast {
		// The bytes buffered, or at least 1 KiB: enough for any header
		// but one with long extra fields, names or comments (those go to
		// klauspost's reader).
		b, _ := g.raw.Peek(min(g.raw.Size(), max(g.raw.Buffered(), 1<<10)))
		if n, ok := gzipHeaderLen(b); ok {
			if g.fast == nil {
				g.fast = newInflater(g.raw)
			}
			g.fast.begin(b, n)
			g.fastMembers++
			g.useFast = true
			g.inMember = true
			g.memberOff = off
			g.memberBytes = 0
			g.onMember(g.upos, off)
			return
		}
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
