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
// apart by the file format's leading "ARROW1" magic. Both are read
// sequentially, as a stream of messages (a file-format shard holds a
// complete stream between its magic and its footer), through a message
// reader that bounds every length by the file's size and checks metadata
// before arrow-go decodes it: a damaged shard gives an error, not a crash.
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
	var body io.Reader
	if format == FormatFile {
		start, end, err := fileStreamBounds(f, size)
		if err != nil {
			return nil, fmt.Errorf("not a readable Arrow IPC file: %w", err)
		}
		body = io.NewSectionReader(f, start, end-start)
	} else {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		body = f
	}
	msgs := newCheckedMessages(bufio.NewReaderSize(body, int(min(size, 1<<20))+16), size)
	msgs.endIsEOS = format == FormatFile
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

// recoverInto turns a panic inside arrow-go's decoder (it trusts lengths
// in damaged files in places) into an error, so a bad shard is reported,
// not fatal.
func recoverInto(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("damaged Arrow IPC data: %v", p)
	}
}
