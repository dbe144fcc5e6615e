package shard

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// errNoEOS marks a stream that stops at a message boundary without the
// end-of-stream marker: a shard cut after a whole batch. Every Arrow
// writer we know of (arrow-go, pyarrow, datasets) writes the marker, so
// its absence means lost rows, which must not pass silently.
var errNoEOS = errors.New("stream ends without its end-of-stream marker (truncated shard?)")

// checkedMessages reads IPC messages like arrow-go's own message reader,
// but bounds every length by the file's size and verifies the metadata
// flatbuffer (checkMessageMeta) before arrow-go decodes it.
type checkedMessages struct {
	r       io.Reader
	maxMeta int64
	maxBody int64
	refs    atomic.Int64
	msg     *ipc.Message
}

var _ ipc.MessageReader = (*checkedMessages)(nil)

func newCheckedMessages(r io.Reader, fileSize int64) *checkedMessages {
	m := &checkedMessages{r: r, maxMeta: min(fileSize, 64<<20), maxBody: fileSize}
	m.refs.Add(1)
	return m
}

func (m *checkedMessages) Retain() { m.refs.Add(1) }

func (m *checkedMessages) Release() {
	if m.refs.Add(-1) == 0 && m.msg != nil {
		m.msg.Release()
		m.msg = nil
	}
}

// Message returns the next message, valid until the next call, or io.EOF
// after the end-of-stream marker.
func (m *checkedMessages) Message() (*ipc.Message, error) {
	if m.msg != nil {
		m.msg.Release()
		m.msg = nil
	}
	var word [4]byte
	if _, err := io.ReadFull(m.r, word[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errNoEOS
		}
		return nil, fmt.Errorf("reading message length: %w", err)
	}
	length := binary.LittleEndian.Uint32(word[:])
	if length == 0xFFFFFFFF { // continuation marker, then the length
		if _, err := io.ReadFull(m.r, word[:]); err != nil {
			return nil, fmt.Errorf("reading message length: %w", noEOF(err))
		}
		length = binary.LittleEndian.Uint32(word[:])
	}
	if length == 0 {
		return nil, io.EOF
	}
	if int64(length) > m.maxMeta || length < 8 {
		return nil, fmt.Errorf("message metadata length %d is impossible in a %d-byte shard", length, m.maxBody)
	}
	meta := make([]byte, length)
	if _, err := io.ReadFull(m.r, meta); err != nil {
		return nil, fmt.Errorf("reading message metadata: %w", noEOF(err))
	}
	bodyLen, err := checkMessageMeta(meta)
	if err != nil {
		return nil, err
	}
	if bodyLen < 0 || bodyLen > m.maxBody {
		return nil, fmt.Errorf("message body length %d is impossible in a %d-byte shard", bodyLen, m.maxBody)
	}
	body := make([]byte, bodyLen)
	if _, err := io.ReadFull(m.r, body); err != nil {
		return nil, fmt.Errorf("reading message body: %w", noEOF(err))
	}
	m.msg = ipc.NewMessage(memory.NewBufferBytes(meta), memory.NewBufferBytes(body))
	return m.msg, nil
}

// noEOF turns an end of file inside a message into ErrUnexpectedEOF, so no
// caller mistakes a cut message for a clean end.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
