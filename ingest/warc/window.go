package warc

import "io"

// Window sizes. A record whose header and block fit in maxWindow is handed
// out without copying and checked for a correct end before it is returned;
// a larger one is streamed.
const (
	initialWindow = 64 << 10
	maxWindow     = 4 << 20
)

// window is a read buffer over the decompressed stream that, unlike
// bufio.Reader, stops at gaps (errGap) so the parser knows where data is
// missing, and can grow to hold a whole record for zero-copy access.
type window struct {
	src  io.Reader
	buf  []byte
	r, w int
	base int64 // stream offset of buf[0]
	gap  bool  // a gap follows buf[w]; no more data until clearGap
	err  error // io.EOF or a read error; sticky
}

func newWindow(src io.Reader) *window {
	return &window{src: src, buf: make([]byte, initialWindow)}
}

// pos is the stream offset of the next unread byte.
func (w *window) pos() int64 { return w.base + int64(w.r) }

func (w *window) buffered() []byte { return w.buf[w.r:w.w] }

func (w *window) discard(n int) { w.r += n }

// blocked reports that no more data can come before clearGap (at a gap)
// or ever (at the end or after a read error).
func (w *window) blocked() bool { return w.gap || w.err != nil }

func (w *window) clearGap() { w.gap = false }

// fill reads at least one more byte into the buffer, making room first;
// it returns false when the stream is blocked. Room is made by moving the
// unread bytes to the front, which invalidates slices handed out earlier.
func (w *window) fill() bool {
	for !w.blocked() {
		if w.w == len(w.buf) {
			if w.r > 0 {
				n := copy(w.buf, w.buf[w.r:w.w])
				w.base += int64(w.r)
				w.r, w.w = 0, n
			} else if len(w.buf) < maxWindow {
				nb := make([]byte, min(2*len(w.buf), maxWindow))
				copy(nb, w.buf[:w.w])
				w.buf = nb
			} else {
				return false // full: callers peek at most maxWindow
			}
		}
		n, err := w.src.Read(w.buf[w.w:])
		w.w += n
		if err == errGap {
			w.gap = true
		} else if err != nil {
			w.err = err
		}
		if n > 0 {
			return true
		}
	}
	return false
}

// peek returns up to n unread bytes (n at most maxWindow), fewer only when
// the stream is blocked first.
func (w *window) peek(n int) []byte {
	n = min(n, maxWindow)
	for w.w-w.r < n && w.fill() {
	}
	return w.buf[w.r:min(w.w, w.r+n)]
}
