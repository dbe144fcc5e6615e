package shard

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
)

// Reader reads the record batches of one shard, in either IPC format.
type Reader interface {
	Schema() *arrow.Schema
	// Next returns the next record batch, valid until the following call to
	// Next or Close (Retain it to keep it longer), or io.EOF at the end.
	Next() (arrow.RecordBatch, error)
	Close() error
}

// Open opens a shard written in the IPC stream or file format, telling them
// apart by the file format's leading "ARROW1" magic, or a Parquet file
// ("PAR1"), read row group by row group in batches of ParquetBatchRows. A stream is read
// through a message reader that bounds every length by the file's size and
// checks metadata before arrow-go decodes it. A file is read through its
// footer with arrow-go's FileReader (which checks every block against the
// file's size): the format does not promise a schema message after the
// magic, and some writers (apache-arrow JS) put the schema only in the
// footer. Either way a damaged shard gives an error, not a crash, and no
// buffer is allocated beyond what the file can hold (readAllocator).
func Open(path string) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("shard: %w", err)
	}
	r, err := open(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("shard: %s: %w", path, err)
	}
	return r, nil
}

func open(f *os.File) (Reader, error) {
	format, err := detectFormat(f)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if format == FormatParquet {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		return openParquetReader(f)
	}
	if format == FormatFile {
		r, err := openFile(f, size)
		if err != nil {
			return nil, fmt.Errorf("not a readable Arrow IPC file: %w", err)
		}
		return r, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	msgs := newCheckedMessages(bufio.NewReaderSize(f, int(min(size, 1<<20))+16), size)
	r, err := openStream(f, msgs, size)
	if err != nil {
		return nil, fmt.Errorf("not a readable Arrow IPC %s: %w", format, err)
	}
	return r, nil
}

// fileStreamBounds finds the stream inside a file-format shard: after the
// 8-byte magic and padding, before the footer, whose length sits in the 4
// bytes before the closing magic. A missing closing magic means the file
// was cut.
func fileStreamBounds(f *os.File, size int64) (start, end int64, err error) {
	const head, tail = 8, 10 // "ARROW1"+2 padding; int32 footer size + "ARROW1"
	if size < head+tail {
		return 0, 0, errors.New("file too short")
	}
	var t [tail]byte
	if _, err := f.ReadAt(t[:], size-tail); err != nil {
		return 0, 0, err
	}
	if string(t[4:]) != fileMagic {
		return 0, 0, errors.New("no closing ARROW1 magic (truncated file?)")
	}
	footer := int64(int32(binary.LittleEndian.Uint32(t[:4])))
	if footer <= 0 || footer > size-head-tail {
		return 0, 0, fmt.Errorf("footer length %d does not fit a %d-byte file", footer, size)
	}
	return head, size - tail - footer, nil
}

// DetectFormat reports which IPC format the shard at path uses.
func DetectFormat(path string) (Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("shard: %w", err)
	}
	defer f.Close()
	format, err := detectFormat(f)
	if err != nil {
		return "", fmt.Errorf("shard: %s: %w", path, err)
	}
	return format, nil
}

func detectFormat(r io.Reader) (Format, error) {
	var head [8]byte
	n, err := io.ReadFull(r, head[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", err
	}
	switch {
	case n >= len(fileMagic) && string(head[:len(fileMagic)]) == fileMagic:
		return FormatFile, nil
	case n >= len(parquetMagic) && string(head[:len(parquetMagic)]) == parquetMagic:
		return FormatParquet, nil
	case n >= 4 && head[0] == 0xff && head[1] == 0xff && head[2] == 0xff && head[3] == 0xff:
		return FormatStream, nil
	case n >= 4:
		// Streams from before Arrow 0.15 start with the metadata length
		// directly; let the IPC reader judge them.
		return FormatStream, nil
	}
	return "", errors.New("too short to be an Arrow IPC shard")
}

// streamReader reads record batches through arrow-go's IPC reader.
type streamReader struct {
	f *os.File
	r *ipc.Reader
}

func openStream(f *os.File, msgs *checkedMessages, size int64) (s *streamReader, err error) {
	defer recoverInto(&err)
	r, err := ipc.NewReaderFromMessageReader(msgs,
		ipc.WithEnsureNativeEndian(true),
		ipc.WithAllocator(readAllocator(size)))
	if err != nil {
		msgs.Release()
		return nil, err
	}
	return &streamReader{f: f, r: r}, nil
}

func (s *streamReader) Schema() *arrow.Schema { return s.r.Schema() }

func (s *streamReader) Next() (rec arrow.RecordBatch, err error) {
	defer recoverInto(&err)
	rec, err = s.r.Read()
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("shard: %s: %w", s.f.Name(), err)
	}
	return rec, err
}

func (s *streamReader) Close() error {
	s.r.Release()
	return s.f.Close()
}

// fileReader reads the record batches of a file-format shard in order,
// through its footer.
type fileReader struct {
	f       *os.File
	size    int64
	records []fileBlock
	r       *ipc.FileReader
	next    int
	cur     arrow.RecordBatch
}

func openFile(f *os.File, size int64) (r *fileReader, err error) {
	defer recoverInto(&err)
	_, footerStart, err := fileStreamBounds(f, size)
	if err != nil {
		return nil, err
	}
	footer := make([]byte, size-10-footerStart) // bounded by the file's size
	if _, err := f.ReadAt(footer, footerStart); err != nil {
		return nil, fmt.Errorf("reading the footer: %w", err)
	}
	dicts, records, err := checkFooter(footer)
	if err != nil {
		return nil, fmt.Errorf("footer: %w", err)
	}
	r = &fileReader{f: f, size: size, records: records}
	for i, b := range dicts {
		if err := r.checkBlock(b); err != nil {
			return nil, fmt.Errorf("dictionary %d: %w", i, err)
		}
	}
	fr, err := ipc.NewFileReader(f,
		ipc.WithEnsureNativeEndian(true),
		ipc.WithAllocator(readAllocator(size)))
	if err != nil {
		return nil, err
	}
	if fr.NumRecords() != len(records) {
		return nil, fmt.Errorf("footer lists %d record batches, arrow-go reads %d", len(records), fr.NumRecords())
	}
	r.r = fr
	return r, nil
}

// checkBlock verifies the metadata of the message a footer block points
// to before arrow-go decodes it.
func (r *fileReader) checkBlock(b fileBlock) error {
	if b.offset < 0 || b.meta < 8 || b.offset > r.size-int64(b.meta) || int64(b.meta) > 64<<20 {
		return fmt.Errorf("block at %d with %d bytes of metadata does not fit a %d-byte file", b.offset, b.meta, r.size)
	}
	meta := make([]byte, b.meta)
	if _, err := r.f.ReadAt(meta, b.offset); err != nil {
		return err
	}
	// A message is 0xFFFFFFFF, an int32 length and the flatbuffer (or,
	// before Arrow 0.15, the length and the flatbuffer).
	fb := meta[4:]
	if binary.LittleEndian.Uint32(meta) == 0xFFFFFFFF {
		fb = meta[8:]
	}
	bodyLen, err := checkMessageMeta(fb)
	if err != nil {
		return err
	}
	if bodyLen != b.body {
		return fmt.Errorf("message body of %d bytes, footer says %d", bodyLen, b.body)
	}
	return nil
}

func (r *fileReader) Schema() *arrow.Schema { return r.r.Schema() }

func (r *fileReader) Next() (rec arrow.RecordBatch, err error) {
	defer recoverInto(&err)
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.next >= r.r.NumRecords() {
		return nil, io.EOF
	}
	if err := r.checkBlock(r.records[r.next]); err != nil {
		return nil, fmt.Errorf("shard: %s: record batch %d: %w", r.f.Name(), r.next, err)
	}
	rec, err = r.r.RecordBatchAt(r.next)
	if err != nil {
		return nil, fmt.Errorf("shard: %s: record batch %d: %w", r.f.Name(), r.next, err)
	}
	r.next++
	r.cur = rec
	return rec, nil
}

func (r *fileReader) Close() error {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	r.r.Close()
	return r.f.Close()
}

// recoverInto turns a panic inside arrow-go's decoder (it trusts lengths
// in damaged files in places) into an error, so a bad shard is reported,
// not fatal.
func recoverInto(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("damaged Arrow IPC data: %v", p)
	}
}
