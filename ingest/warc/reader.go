package warc

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// member maps a gzip member to where its output starts in the stream.
type member struct{ upos, off int64 }

// maxMembers bounds the member map; only members whose output is still in
// the window are needed, and only pathological files (a member per byte)
// come near it. Offsets turn approximate beyond it, memory does not grow.
const maxMembers = 4096

// maxOverrun is how far past a too-short Content-Length the reader looks
// for the next record before it gives up and resynchronises.
const maxOverrun = 64 << 10

// Reader reads WARC records one after another. It is not safe for
// concurrent use.
type Reader struct {
	cnt *countingReader
	w   *window
	gz  *gzipStream // nil for an uncompressed file

	members     []member
	damages     []Damage
	damageCount int64
	records     int64

	rec       Record
	blockView bytes.Reader
	fields    Header
	streaming bool // rec.Block is a blockReader over the window
	quiet     bool // the damage for the bytes ahead was already recorded
	sawData   bool
	done      bool
}

// NewReader returns a reader of the WARC file r, compressed with gzip or
// not (told apart by the gzip magic, not by a file name). The error is only
// for a failure to read the first bytes; a file that is empty or not a WARC
// file gives a reader whose Damages say so.
func NewReader(r io.Reader) (*Reader, error) {
	cnt := &countingReader{r: r}
	head := make([]byte, 2)
	n, err := io.ReadFull(cnt, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("warc: reading the first bytes: %w", err)
	}
	src := io.MultiReader(bytes.NewReader(head[:n]), cnt)
	rd := &Reader{cnt: cnt}
	if n == 2 && head[0] == 0x1f && head[1] == 0x8b {
		rd.gz = &gzipStream{
			cnt:      cnt,
			raw:      bufio.NewReaderSize(src, 64<<10),
			onMember: rd.addMember,
			damage:   rd.addDamage,
		}
		rd.w = newWindow(rd.gz)
	} else {
		rd.w = newWindow(src)
	}
	return rd, nil
}

// Compressed reports whether the file is gzip-compressed.
func (r *Reader) Compressed() bool { return r.gz != nil }

// BytesRead returns how many bytes were read from the file and how many
// decompressed bytes were consumed so far.
func (r *Reader) BytesRead() (file, stream int64) { return r.cnt.n, r.w.pos() }

// Damages returns the damage found so far: the first 100 reports.
func (r *Reader) Damages() []Damage { return r.damages }

// DamageCount returns the number of damage reports, including those not
// kept by Damages.
func (r *Reader) DamageCount() int64 { return r.damageCount }

func (r *Reader) addDamage(off int64, msg string) {
	r.damageCount++
	if len(r.damages) < maxKeptDamages {
		r.damages = append(r.damages, Damage{Offset: off, Msg: msg})
	}
}

func (r *Reader) addMember(upos, off int64) {
	// Drop members whose output has left the window: the last one at or
	// before the window start is still needed.
	base := r.w.base
	i := 0
	for i+1 < len(r.members) && r.members[i+1].upos <= base {
		i++
	}
	if len(r.members) >= maxMembers {
		i = max(i, len(r.members)/2)
	}
	if i > 0 {
		r.members = append(r.members[:0], r.members[i:]...)
	}
	if n := len(r.members); n > 0 && r.members[n-1].upos == upos {
		r.members[n-1].off = off // an empty member: the next one starts at the same place
		return
	}
	r.members = append(r.members, member{upos: upos, off: off})
}

// fileOffset returns the file offset and in-member offset of stream
// position pos.
func (r *Reader) fileOffset(pos int64) (off, inMember int64) {
	if r.gz == nil {
		return pos, 0
	}
	for i := len(r.members) - 1; i >= 0; i-- {
		if m := r.members[i]; m.upos <= pos {
			return m.off, pos - m.upos
		}
	}
	return 0, pos
}

// Next returns the next intact (or truncated, see Record.Truncated)
// record, or io.EOF after the last. Damage is recorded in Damages, not
// returned; an error other than io.EOF is a failure to read the file.
func (r *Reader) Next() (*Record, error) {
	if r.done {
		return nil, io.EOF
	}
	if r.streaming {
		r.streaming = false
		if !r.rec.block.drain() {
			r.addDamage(r.rec.Offset, fmt.Sprintf("record block cut short: %d of %d bytes (damaged or truncated file)",
				r.rec.block.length-r.rec.block.left, r.rec.block.length))
		}
	}
	for {
		if !r.skipSeparators() {
			return r.end()
		}
		pos := r.w.pos()
		head := r.w.peek(16)
		if !r.sawData {
			r.sawData = true
			if bytes.HasPrefix(head, []byte("filedesc:")) {
				r.addDamage(0, "ARC format, not WARC: ARC files are not read")
				r.done = true
				return nil, io.EOF
			}
		}
		if !isVersionLine(head) {
			if !r.quiet {
				off, _ := r.fileOffset(pos)
				r.addDamage(off, fmt.Sprintf("expected a WARC record, found %q; skipping to the next record", head))
			}
			r.quiet = false
			r.resync()
			continue
		}
		r.quiet = false
		if rec := r.readRecord(); rec != nil {
			r.records++
			return rec, nil
		}
	}
}

func (r *Reader) end() (*Record, error) {
	r.done = true
	if err := r.w.err; err != nil && err != io.EOF {
		return nil, fmt.Errorf("warc: reading the file: %w", err)
	}
	if r.records == 0 && r.damageCount == 0 {
		if r.w.pos() == 0 && r.gz != nil {
			r.addDamage(0, "no WARC records: the file decompresses to 0 bytes")
		} else if r.w.pos() == 0 {
			r.addDamage(0, "no WARC records: the file is empty")
		} else {
			r.addDamage(0, "no WARC records: the file holds only blank lines")
		}
	}
	return nil, io.EOF
}

// skipSeparators steps over the CR/LF bytes between records and over gaps
// (a gap between records loses nothing). It returns false at the end.
func (r *Reader) skipSeparators() bool {
	for {
		buf := r.w.buffered()
		i := 0
		for i < len(buf) && (buf[i] == '\r' || buf[i] == '\n') {
			i++
		}
		r.w.discard(i)
		if i < len(buf) {
			return true
		}
		if !r.w.fill() {
			if !r.w.gap {
				return false
			}
			r.w.clearGap()
		}
	}
}

// resync skips at least one byte and then up to the next "WARC/<digit>"
// (at a line start or not: junk need not end with a line break), or to the next gap (the next gzip member starts a
// new record in most files), or to the end.
func (r *Reader) resync() {
	r.w.peek(1)
	if len(r.w.buffered()) > 0 {
		r.w.discard(1)
	}
	for {
		buf := r.w.buffered()
		if i := nextVersionIn(buf); i >= 0 {
			r.w.discard(i)
			return
		}
		// Keep a tail that may hold a "\nWARC/<digit>" cut in two.
		if len(buf) > 6 {
			r.w.discard(len(buf) - 6)
		}
		if !r.w.fill() {
			r.w.discard(len(r.w.buffered()))
			r.w.clearGap()
			return
		}
	}
}

// readRecord parses the record at the window position. On damage it
// records it, moves past the damaged part and returns nil.
func (r *Reader) readRecord() *Record {
	start := r.w.pos()
	off, inMember := r.fileOffset(start)

	end, from := -1, 0
	for end < 0 {
		buf := r.w.buffered()
		end, from = headerEnd(buf, from)
		if end >= 0 && end <= maxHeaderBytes {
			break
		}
		if len(buf) > maxHeaderBytes || end > maxHeaderBytes {
			r.addDamage(off, fmt.Sprintf("record header longer than %d KiB; skipped", maxHeaderBytes>>10))
			r.resync()
			return nil
		}
		if !r.w.fill() {
			r.addDamage(off, fmt.Sprintf("record header cut short after %d bytes (%s)", len(buf), r.blockedReason()))
			r.resync()
			return nil
		}
	}
	hdr := string(r.w.buffered()[:end])
	version, fields, err := parseHeader(hdr, r.fields[:0])
	r.fields = fields
	if err != nil {
		r.addDamage(off, "bad record header: "+err.Error()+"; skipped")
		r.resync()
		return nil
	}
	cl, err := parseContentLength(fields)
	if err != nil {
		r.addDamage(off, err.Error()+"; skipped to the next record")
		r.resync()
		return nil
	}
	r.w.discard(end)

	rec := &r.rec
	*rec = Record{
		Version:       version,
		Header:        fields,
		Offset:        off,
		InMember:      inMember,
		StreamOffset:  start,
		ContentLength: cl,
	}
	if fields.Get("WARC-Type") == "" {
		r.addDamage(off, "record has no WARC-Type; skipped")
		rec.block = blockReader{w: r.w, left: cl, length: cl}
		rec.block.drain()
		r.quiet = true // a wrong end is part of the same damage
		return nil
	}

	if cl+trailerPeek > maxWindow {
		rec.block = blockReader{w: r.w, left: cl, length: cl, rec: rec}
		rec.Block = &rec.block
		r.streaming = true
		return rec
	}
	data := r.w.peek(int(cl) + trailerPeek)
	if int64(len(data)) >= cl && endsCleanly(data[cl:]) {
		r.setBlock(data[:cl], false)
		return rec
	}
	// The block does not end where it should: a wrong Content-Length, a cut
	// file or a damaged gzip member. If the next record starts inside the
	// declared block, the block ends there.
	blockEnd := int64(len(data))
	if i := nextRecordIn(data[:min(cl, blockEnd)]); i >= 0 {
		nextOff, _ := r.fileOffset(r.w.pos() + int64(i))
		r.addDamage(off, fmt.Sprintf("Content-Length %d overruns the record: the next record starts %d bytes into the block (offset %d)", cl, i, nextOff))
		r.setBlock(bytes.TrimRight(data[:i], "\r\n"), true)
		r.w.discard(i - len(rec.bytesView))
		return rec
	}
	if blockEnd < cl {
		r.addDamage(off, fmt.Sprintf("record cut short: block has %d of %d bytes (%s)", blockEnd, cl, r.blockedReason()))
		r.setBlock(data, true)
		return rec
	}
	// The Content-Length is short. When the next record starts soon after,
	// the block runs up to it (cc_net's WET sample counts characters, not
	// bytes); otherwise the bytes after the block are skipped as junk.
	more := r.w.peek(int(cl) + maxOverrun)
	if i := nextRecordIn(more[cl:]); i >= 0 {
		nextOff, _ := r.fileOffset(r.w.pos() + cl + int64(i))
		b := bytes.TrimRight(more[:cl+int64(i)], "\r\n")
		r.addDamage(off, fmt.Sprintf("Content-Length %d is short: the block runs %d bytes further, to the next record at offset %d", cl, int64(len(b))-cl, nextOff))
		r.setBlock(b, true)
		r.w.discard(int(cl) + i - len(rec.bytesView))
		return rec
	}
	if len(more) < int(cl)+maxOverrun && r.w.err == io.EOF && !r.w.gap {
		b := bytes.TrimRight(more, "\r\n")
		r.addDamage(off, fmt.Sprintf("Content-Length %d is short: the block runs %d bytes further, to the end of the file", cl, int64(len(b))-cl))
		r.setBlock(b, true)
		r.w.discard(len(more) - len(b))
		return rec
	}
	r.addDamage(off, fmt.Sprintf("record does not end after its Content-Length %d (found %q); the length is probably wrong", cl, data[cl:]))
	r.setBlock(data[:cl], true)
	r.quiet = true
	return rec
}

// setBlock hands out b (a slice of the window) as the record block and
// moves the window past it.
func (r *Reader) setBlock(b []byte, truncated bool) {
	rec := &r.rec
	rec.bytesView = b
	rec.Truncated = truncated
	rec.block = blockReader{}
	r.blockView.Reset(b)
	rec.Block = &r.blockView
	r.w.discard(len(b))
}

func (r *Reader) blockedReason() string {
	switch {
	case r.w.gap:
		return "damaged gzip member"
	case r.w.err != nil && r.w.err != io.EOF:
		return r.w.err.Error()
	default:
		return "end of file"
	}
}
