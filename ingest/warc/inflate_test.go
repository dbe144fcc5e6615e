package warc

import (
	"bufio"
	"bytes"
	"compress/flate"
	stdgzip "compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
)

// inflateAll decodes one gzip member with the fast decoder alone.
func inflateAll(t testing.TB, member []byte) ([]byte, error) {
	t.Helper()
	src := bufio.NewReaderSize(bytes.NewReader(member), 64<<10)
	b, _ := src.Peek(min(src.Size(), max(src.Buffered(), 1<<10)))
	n, ok := gzipHeaderLen(b)
	if !ok {
		t.Fatalf("header not taken: % x", b[:min(len(b), 16)])
	}
	f := newInflater(src)
	f.begin(b, n)
	return io.ReadAll(f)
}

// sampleTexts: real WARC content (decompressed) and a few synthetic
// shapes: long runs, incompressible bytes, empty.
func sampleTexts(t testing.TB) [][]byte {
	var out [][]byte
	dir := testdata.Shared(t, "warc")
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	for _, p := range files[:min(len(files), 6)] {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := stdgzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			continue
		}
		data, _ := io.ReadAll(zr)
		out = append(out, data[:min(len(data), 2<<20)])
	}
	rng := rand.New(rand.NewPCG(3, 4))
	noise := make([]byte, 300<<10)
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	out = append(out, noise, bytes.Repeat([]byte("a"), 1<<20), bytes.Repeat([]byte("abcdefg"), 100000), nil, []byte("x"))
	return out
}

func gzipLevel(t testing.TB, data []byte, level int) []byte {
	var buf bytes.Buffer
	w, err := stdgzip.NewWriterLevel(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Name = "name.warc"
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

// TestInflateIntact: every level of compress/gzip (stored, fixed and
// dynamic blocks, Huffman-only) decodes to the original bytes.
func TestInflateIntact(t *testing.T) {
	for i, data := range sampleTexts(t) {
		for _, level := range []int{flate.NoCompression, flate.BestSpeed, flate.DefaultCompression, flate.BestCompression, flate.HuffmanOnly} {
			got, err := inflateAll(t, gzipLevel(t, data, level))
			if err != nil {
				t.Fatalf("text %d level %d: %v", i, level, err)
			}
			if !bytes.Equal(got, data) {
				t.Fatalf("text %d level %d: %d bytes, want %d", i, level, len(got), len(data))
			}
		}
	}
}

// readStream decompresses a file through gzipStream, with or without the
// fast decoder: the stream's bytes (a gap as "<GAP>"), damages and members.
func readStream(t testing.TB, data []byte, noFast bool) (out []byte, events []string) {
	events = streamEvents(t, data, noFast, func(p []byte) { out = append(out, p...) })
	return out, events
}

// sameAsKlauspost fails unless the stream reads the same with the fast
// decoder as with klauspost's alone: bytes, gaps, members and damages.
func sameAsKlauspost(t *testing.T, data []byte, what string) {
	t.Helper()
	want, wantEv := readStream(t, data, true)
	got, gotEv := readStream(t, data, false)
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: fast decoder gives %d bytes, klauspost %d (first difference at %d)", what, len(got), len(want), firstDiff(got, want))
	}
	if len(gotEv) != len(wantEv) {
		t.Fatalf("%s: events differ:\nfast:      %q\nklauspost: %q", what, gotEv, wantEv)
	}
	for i := range gotEv {
		if gotEv[i] != wantEv[i] {
			t.Fatalf("%s: event %d: fast %q, klauspost %q", what, i, gotEv[i], wantEv[i])
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// damage returns data with one kind of damage chosen by rng: bits flipped,
// a cut, bytes deleted, junk inserted, a run overwritten.
func damage(rng *rand.Rand, data []byte) []byte {
	d := bytes.Clone(data)
	if len(d) == 0 {
		return d
	}
	at := rng.IntN(len(d))
	switch rng.IntN(5) {
	case 0:
		for range 1 + rng.IntN(3) {
			i := rng.IntN(len(d))
			d[i] ^= 1 << rng.IntN(8)
		}
	case 1:
		d = d[:at]
	case 2:
		d = append(d[:at], d[min(len(d), at+1+rng.IntN(64)):]...)
	case 3:
		junk := make([]byte, 1+rng.IntN(64))
		for i := range junk {
			junk[i] = byte(rng.Uint32())
		}
		d = append(d[:at], append(junk, d[at:]...)...)
	default:
		for i := at; i < min(len(d), at+1+rng.IntN(32)); i++ {
			d[i] = byte(rng.Uint32())
		}
	}
	return d
}

// TestInflateSameAsKlauspost: real WARC files, intact and damaged a
// thousand ways, and gzip members of every kind of block, cut and flipped,
// read the same through the fast decoder as through klauspost's: the same
// bytes, and the same damage messages (the fast decoder replays damaged
// members through klauspost's).
func TestInflateSameAsKlauspost(t *testing.T) {
	var files [][]byte
	for _, sub := range []string{"warc", "warc/malformed"} {
		paths, _ := filepath.Glob(filepath.Join(testdata.Shared(t, sub), "*.gz*"))
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			sameAsKlauspost(t, data, filepath.Base(p))
			if len(data) < 1<<20 {
				files = append(files, data)
			}
		}
	}
	for i, text := range sampleTexts(t) {
		text = text[:min(len(text), 200<<10)]
		for _, level := range []int{flate.NoCompression, flate.BestSpeed, flate.DefaultCompression, flate.HuffmanOnly} {
			z := gzipLevel(t, text, level)
			files = append(files, append(z, gzipLevel(t, text[:len(text)/3], level)...))
			sameAsKlauspost(t, z, fmt.Sprintf("text %d level %d", i, level))
		}
	}
	rng := rand.New(rand.NewPCG(17, 42))
	n := 600
	if testing.Short() {
		n = 200
	}
	for k := range n {
		f := files[rng.IntN(len(files))]
		d := damage(rng, f)
		if rng.IntN(3) == 0 {
			d = damage(rng, d)
		}
		sameAsKlauspost(t, d, fmt.Sprintf("damaged copy %d", k))
	}
}

// TestFastDecoderTakesRealMembers: the fast decoder, not the replay, reads
// every member of the real gzipped WARC files (else the tests above would
// compare klauspost's decoder with itself).
func TestFastDecoderTakesRealMembers(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(testdata.Shared(t, "warc"), "*.gz"))
	members := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		_, g := streamEventsOf(t, data, false, func([]byte) {})
		if g.replays != 0 {
			t.Errorf("%s: %d of %d members replayed", filepath.Base(p), g.replays, g.fastMembers)
		}
		members += g.fastMembers
	}
	if members < 200 {
		t.Fatalf("the fast decoder read %d members of %d files", members, len(paths))
	}
}

// FuzzInflateSame: any bytes read the same through the fast decoder as
// through klauspost's.
func FuzzInflateSame(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(testdata.Shared(f, "warc"), "*.gz"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	for _, level := range []int{flate.NoCompression, flate.BestSpeed, flate.HuffmanOnly} {
		f.Add(gzipLevel(f, []byte("WARC/1.0\r\nWARC-Type: response\r\n\r\nabcabcabcabc<html>hello hello</html>"), level))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsKlauspost(t, data, "input")
	})
}

// streamEvents reads the stream in reads of varying sizes, giving the bytes
// to sink.
func streamEvents(t testing.TB, data []byte, noFast bool, sink func([]byte)) (events []string) {
	events, _ = streamEventsOf(t, data, noFast, sink)
	return events
}

func streamEventsOf(t testing.TB, data []byte, noFast bool, sink func([]byte)) (events []string, g *gzipStream) {
	cnt := &countingReader{r: bytes.NewReader(data)}
	g = &gzipStream{
		cnt:      cnt,
		raw:      bufio.NewReaderSize(cnt, 64<<10),
		noFast:   noFast,
		onMember: func(upos, off int64) { events = append(events, fmt.Sprintf("member %d at %d", upos, off)) },
		damage:   func(off int64, msg string) { events = append(events, fmt.Sprintf("damage at %d: %s", off, msg)) },
	}
	buf := make([]byte, 100<<10)
	for i := 0; ; i++ {
		if i > 1e7 {
			t.Fatal("stream does not end")
		}
		n, err := g.Read(buf[:1+i*7919%len(buf)])
		sink(buf[:n])
		if err == errGap {
			sink([]byte("<GAP>"))
			continue
		}
		if err != nil {
			if err != io.EOF {
				events = append(events, "error: "+err.Error())
			}
			return events, g
		}
	}
}

// BenchmarkGunzip decompresses a file of the docs or cc bench corpus
// (SIEVE_BENCH_GZ) or a real WARC through gzipStream, with the fast
// decoder and with klauspost's alone.
func BenchmarkGunzip(b *testing.B) {
	path := os.Getenv("SIEVE_BENCH_GZ")
	if path == "" {
		path = filepath.Join(testdata.Shared(b, "warc"), "cc-main__CC-MAIN-20240412101354-20240412131354-00000.warc.gz")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	for _, c := range []struct {
		name   string
		noFast bool
	}{{"fast", false}, {"klauspost", true}} {
		b.Run(c.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				n = 0
				streamEvents(b, data, c.noFast, func(p []byte) { n += len(p) })
			}
			b.SetBytes(int64(n))
		})
	}
}
