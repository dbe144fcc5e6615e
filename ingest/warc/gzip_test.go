package warc

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/sieve-data/sieve/internal/testdata"
)

// gzipWriter is reused: a new klauspost writer allocates about 1 MB,
// which would dominate a fuzz iteration.
var gzipWriter, _ = gzip.NewWriterLevel(nil, gzip.BestSpeed)

func gzipMembers(parts ...[]byte) []byte {
	var out bytes.Buffer
	for _, p := range parts {
		gzipWriter.Reset(&out)
		gzipWriter.Write(p)
		gzipWriter.Close()
	}
	return out.Bytes()
}

// TestMembersOfAnySize: a plain WARC cut into gzip members at random places
// (members that do not line up with records, empty members) reads the
// same as the plain file, and offsets point at the member of each record.
func TestMembersOfAnySize(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	plain, err := os.ReadFile(filepath.Join(dir, "cc-ia-web-commons__link-extraction-test.warc"))
	if err != nil {
		t.Fatal(err)
	}
	want := readAllFrom(t, bytes.NewReader(plain))
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 20; round++ {
		var parts [][]byte
		for rest := plain; len(rest) > 0; {
			n := min(len(rest), rng.IntN(3000))
			parts = append(parts, rest[:n])
			rest = rest[n:]
		}
		got := readAllFrom(t, bytes.NewReader(gzipMembers(parts...)))
		if len(got.damages) != 0 || fmt.Sprint(got.order) != fmt.Sprint(want.order) {
			t.Fatalf("round %d: %v, damages %v", round, got.order, got.damages)
		}
		for i := range want.blocks {
			if !bytes.Equal(got.blocks[i], want.blocks[i]) {
				t.Fatalf("round %d: block %d differs", round, i)
			}
		}
	}
}

// TestCutAnywhere cuts real files at many places: the reader never fails,
// every record before the cut comes back unchanged, and a cut inside a
// record is reported.
func TestCutAnywhere(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	for _, name := range []string{"warcio__example.warc.gz", "warcio__example.warc", "iagowarc__good.warc.gz.open", "commoncrawl-whirlwind__whirlwind.warc.gz"} {
		data, _ := os.ReadFile(filepath.Join(dir, name))
		full := readAllFrom(t, bytes.NewReader(data))
		step := max(1, len(data)/97)
		for cut := 0; cut < len(data); cut += step {
			got := readAllFrom(t, bytes.NewReader(data[:cut]))
			intact := len(got.blocks) - got.truncated
			for i := 0; i < intact; i++ {
				if !bytes.Equal(got.blocks[i], full.blocks[i]) {
					t.Fatalf("%s cut at %d: record %d differs", name, cut, i)
				}
			}
			if intact < len(full.blocks) && int64(cut) > full.offsets[intact] && len(got.damages) == 0 {
				t.Fatalf("%s cut at %d: %d of %d records and no damage", name, cut, intact, len(full.blocks))
			}
		}
	}
}

// TestMemberOffsets: in a file of one gzip member per record, long enough
// for many window refills, every record reports its member's file offset.
func TestMemberOffsets(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	f, err := os.Open(filepath.Join(dir, "resiliparse__warcfile.warc.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, _ := NewReader(f)
	var raw [][]byte
	for {
		rec, err := rd.Next()
		if err != nil {
			break
		}
		var b bytes.Buffer
		b.WriteString(rec.Version + "\r\n")
		for _, fl := range rec.Header {
			fmt.Fprintf(&b, "%s: %s\r\n", fl.Name, fl.Value)
		}
		block, _ := io.ReadAll(rec.Block)
		b.WriteString("\r\n")
		b.Write(block)
		b.WriteString("\r\n\r\n")
		raw = append(raw, b.Bytes())
	}
	var file bytes.Buffer
	var want []int64
	for round := 0; round < 20; round++ {
		for _, r := range raw {
			want = append(want, int64(file.Len()))
			file.Write(gzipMembers(r))
		}
	}
	got := readAllFrom(t, bytes.NewReader(file.Bytes()))
	if fmt.Sprint(got.offsets) != fmt.Sprint(want) || len(got.damages) != 0 {
		t.Fatalf("offsets differ (%d records, damages %v)", len(got.offsets), got.damages)
	}
}
