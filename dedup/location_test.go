package dedup

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// The schema read from a shard's head (how remote inputs are checked)
// equals the one the full reader sees, in both IPC formats, and reading
// it stops at the schema: a large shard is not downloaded for it.
func TestSchemaFromHead(t *testing.T) {
	docs := sentenceDocs(t, []string{"en", "fr"}, 200)
	for _, fileFormat := range []bool{false, true} {
		p := filepath.Join(t.TempDir(), "s.arrow")
		writeTestShard(t, p, docs, fileFormat, 50)
		r, err := openShard(p)
		if err != nil {
			t.Fatal(err)
		}
		want := r.Schema()
		r.Close()
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		cr := &countingReader{r: bytes.NewReader(b)}
		got, err := schemaFromHead(cr)
		if err != nil {
			t.Fatalf("file format %v: %v", fileFormat, err)
		}
		if !got.Equal(want) {
			t.Errorf("file format %v: schema %v, want %v", fileFormat, got, want)
		}
		if cr.n >= len(b)/4 {
			t.Errorf("file format %v: read %d of %d bytes for the schema", fileFormat, cr.n, len(b))
		}
		// Every truncation of the head is an error, never a panic.
		for n := 0; n < cr.n; n++ {
			if _, err := schemaFromHead(bytes.NewReader(b[:n])); err == nil {
				t.Fatalf("file format %v: head cut at %d bytes gave no error", fileFormat, n)
			}
		}
	}
	// A length field claiming a huge schema is refused before allocating.
	huge := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}
	if _, err := schemaFromHead(bytes.NewReader(huge)); err == nil {
		t.Error("2 GiB schema message accepted")
	}
	if _, err := schemaFromHead(bytes.NewReader([]byte("WARC/1.0\r\n"))); err == nil {
		t.Error("a WARC file read as an Arrow shard")
	}
}

func FuzzSchemaFromHead(f *testing.F) {
	dir := f.TempDir()
	for i, fileFormat := range []bool{false, true} {
		p := filepath.Join(dir, "seed"+string(rune('0'+i)))
		writeTestShard(f, p, []testDoc{{id: "a", text: "hello world", url: "https://x.example/"}, {id: "b", text: "東京"}}, fileFormat, 1)
		b, _ := os.ReadFile(p)
		f.Add(b)
		f.Add(b[:len(b)/3])
	}
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := schemaFromHead(bytes.NewReader(data))
		if err == nil && s == nil {
			t.Fatal("no schema and no error")
		}
		if err != nil && s != nil {
			t.Fatal("a schema and an error")
		}
	})
}

// An IPC file whose first message after the magic is a record batch (the
// schema only in the footer, as apache-arrow JS writes files) is told
// apart from a damaged head, so remoteSchema reads the whole file.
func TestSchemaOnlyInFooter(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.arrow")
	writeTestShard(t, p, []testDoc{{id: "a", text: "hello world"}}, false, 1)
	stream, _ := os.ReadFile(p)
	metaLen := int(binary.LittleEndian.Uint32(stream[4:8]))
	file := append([]byte("ARROW1\x00\x00"), stream[8+metaLen:]...)
	if _, err := schemaFromHead(bytes.NewReader(file)); !errors.Is(err, errNoHeadSchema) {
		t.Fatalf("record batch after the magic: %v", err)
	}
	if _, err := schemaFromHead(bytes.NewReader(stream)); err != nil {
		t.Fatal(err)
	}
}
