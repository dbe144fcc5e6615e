package warc

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/internal/testdata"
)

// result is everything a test wants to know after reading a whole file.
type result struct {
	types     map[string]int
	order     []string
	offsets   []int64
	blocks    [][]byte
	truncated int
	damages   []Damage
}

func readAllFrom(t testing.TB, r io.Reader) result {
	t.Helper()
	rd, err := NewReader(r)
	if err != nil {
		t.Fatal(err)
	}
	res := result{types: map[string]int{}}
	for i := 0; ; i++ {
		if i > 1_000_000 {
			t.Fatal("reader does not end")
		}
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rec.Block)
		if err != nil && !rec.Truncated {
			t.Fatalf("record at %d: %v", rec.Offset, err)
		}
		if int64(len(b)) > rec.ContentLength && !rec.Truncated {
			t.Fatalf("record at %d: block %d > Content-Length %d", rec.Offset, len(b), rec.ContentLength)
		}
		if !rec.Truncated && int64(len(b)) != rec.ContentLength {
			t.Fatalf("record at %d: block %d != Content-Length %d", rec.Offset, len(b), rec.ContentLength)
		}
		res.types[rec.Type()]++
		res.order = append(res.order, rec.Type())
		res.offsets = append(res.offsets, rec.Offset)
		res.blocks = append(res.blocks, b)
		if rec.Truncated {
			res.truncated++
		}
	}
	if _, err := rd.Next(); err != io.EOF {
		t.Fatalf("Next after the end: %v, want io.EOF", err)
	}
	res.damages = rd.Damages()
	return res
}

func readAllFile(t testing.TB, path string) result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readAllFrom(t, f)
}

// TestSharedFiles reads every well-formed shared WARC file and compares the
// record counts per WARC-Type with SOURCES.md; none may report damage.
func TestSharedFiles(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	rows := testdata.WARCSources(t, dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc*"))
	if len(files) < 30 {
		t.Fatalf("found only %d shared WARC files", len(files))
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			row, ok := rows[name]
			if !ok {
				t.Fatalf("%s is not described in SOURCES.md", name)
			}
			res := readAllFile(t, path)
			if len(res.damages) > 0 {
				t.Errorf("damage in a well-formed file: %v", res.damages)
			}
			if len(res.order) != row.Records {
				t.Errorf("records = %d, SOURCES.md says %d", len(res.order), row.Records)
			}
			for typ, n := range row.Types {
				if res.types[typ] != n {
					t.Errorf("%s records = %d, SOURCES.md says %d", typ, res.types[typ], n)
				}
			}
		})
	}
}

// TestBlockDigests checks block contents against WARC-Block-Digest (sha1,
// base32) on the files that carry it: the reader must return exactly the
// block bytes, not a byte more or less.
func TestBlockDigests(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	checked := 0
	for _, name := range []string{"resiliparse__warcfile.warc.gz", "commoncrawl-whirlwind__whirlwind.warc.gz", "warcio__example.warc.gz", "jwarc__cc.warc.gz", "dolma__sample-0000.warc.gz"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		rd, _ := NewReader(f)
		for {
			rec, err := rd.Next()
			if err != nil {
				break
			}
			want := rec.Header.Get("WARC-Block-Digest")
			b, _ := io.ReadAll(rec.Block)
			if !strings.HasPrefix(want, "sha1:") {
				continue
			}
			sum := sha1.Sum(b)
			if got := "sha1:" + base32.StdEncoding.EncodeToString(sum[:]); got != want {
				t.Errorf("%s@%d: block digest %s, header says %s", name, rec.Offset, got, want)
			}
			checked++
		}
		f.Close()
	}
	if checked < 50 {
		t.Fatalf("only %d digests checked", checked)
	}
}

func TestRecordOffsets(t *testing.T) {
	dir := testdata.Shared(t, "warc")
	// resiliparse's own test expects these record start offsets.
	for name, want := range map[string][]int64{
		"resiliparse__block-sized-records.warc":    {0, 16386, 32772},
		"resiliparse__block-sized-records.warc.gz": {0, 204, 409},
		"warcio__example.warc":                     {0, 488, 1197, 2566, 3370, 4316},
	} {
		got := readAllFile(t, filepath.Join(dir, name)).offsets
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: offsets %v, want %v", name, got, want)
		}
	}
}

func TestMalformedFiles(t *testing.T) {
	dir := testdata.Shared(t, "warc/malformed")
	cases := []struct {
		file      string
		order     string // record types in order
		damages   int
		truncated int
		damageAt  int64 // offset of the first damage, -1 for any
		msg       string
	}{
		// warcio's test: 4 records and exactly one error.
		{"warcio__example-trunc.warc", "warcinfo warcinfo response request", 1, 1, 1197, "Content-Length 973 is short"},
		// A whole-file gzip stream: warcio cannot index it, a streaming reader reads all.
		{"warcio__example-bad.warc.gz.bad", "warcinfo response request revisit request response", 0, 0, -1, ""},
		{"warcio__example-bad-non-chunked.warc.gz", "warcinfo warcinfo response request revisit request", 0, 0, -1, ""},
		// Members that do not line up with records.
		{"warcio__example-wrong-chunks.warc.gz", "response request", 0, 0, -1, ""},
		{"iagowarc__corrupted-trailing-bytes.warc.gz.open", strings.TrimSpace(strings.Repeat("response ", 30)), 1, 0, 2362, "55 bytes of non-gzip data"},
		{"iagowarc__corrupted-mid-record.warc.gz.open", strings.TrimSpace(strings.Repeat("response ", 12)), 1, 0, 1219, "34 bytes of non-gzip data"},
		{"iagowarc__empty.warc.gz.open", "", 1, 0, 0, "decompresses to 0 bytes"},
		// Truncated gzip: the one record comes back marked truncated
		// (75206 of 88275 bytes of its block; SOURCES.md's 75207 counts
		// the whole decompressed stream from the header end).
		{"resiliparse__clipped.warc.gz", "response", 2, 1, 0, "truncated gzip member"},
		// cc_net's WET sample: every Content-Length is wrong (it counts
		// characters); all four records still come back.
		{"ccnet__sample.warc.wet.txt", "warcinfo conversion conversion conversion", 4, 4, 0, "Content-Length 370 overruns the record"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			res := readAllFile(t, filepath.Join(dir, c.file))
			if got := strings.Join(res.order, " "); got != c.order {
				t.Errorf("records %q, want %q", got, c.order)
			}
			if len(res.damages) != c.damages {
				t.Errorf("damages %v, want %d", res.damages, c.damages)
			}
			if res.truncated != c.truncated {
				t.Errorf("truncated records %d, want %d", res.truncated, c.truncated)
			}
			if c.damages > 0 && len(res.damages) > 0 {
				d := res.damages[0]
				if c.damageAt >= 0 && d.Offset != c.damageAt {
					t.Errorf("first damage at %d, want %d (%s)", d.Offset, c.damageAt, d.Msg)
				}
				if !strings.Contains(d.Msg, c.msg) {
					t.Errorf("first damage %q, want it to say %q", d.Msg, c.msg)
				}
			}
		})
	}
	// The cut record of the clipped file keeps what was there.
	res := readAllFile(t, filepath.Join(dir, "resiliparse__clipped.warc.gz"))
	if len(res.blocks) != 1 || len(res.blocks[0]) != 75206 {
		t.Errorf("clipped: block of %d bytes, want 75206", len(res.blocks[0]))
	}
	// The trunc file's response block runs to the next record: 973 + 2.
	res = readAllFile(t, filepath.Join(dir, "warcio__example-trunc.warc"))
	if len(res.blocks[2]) != 975 {
		t.Errorf("trunc: response block %d bytes, want 975", len(res.blocks[2]))
	}
}

func TestARCFiles(t *testing.T) {
	dir := testdata.Shared(t, "warc/arc")
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 5 {
		t.Fatalf("expected 5 ARC files, found %d", len(files))
	}
	for _, path := range files {
		res := readAllFile(t, path)
		if len(res.order) != 0 || len(res.damages) != 1 || !strings.Contains(res.damages[0].Msg, "ARC format, not WARC") {
			t.Errorf("%s: records %v, damages %v; want none and one ARC damage", filepath.Base(path), res.order, res.damages)
		}
	}
}

func TestEmptyAndNonWARC(t *testing.T) {
	for name, c := range map[string]struct {
		in  string
		msg string
	}{
		"empty":       {"", "file is empty"},
		"blank lines": {"\r\n\r\n\n", "only blank lines"},
		"text":        {"hello world\nthis is not a WARC file\n", "expected a WARC record"},
		"one byte":    {"W", "expected a WARC record"},
		"gzip magic":  {"\x1f\x8b", "non-gzip data"},
	} {
		res := readAllFrom(t, strings.NewReader(c.in))
		if len(res.order) != 0 || len(res.damages) != 1 || !strings.Contains(res.damages[0].Msg, c.msg) {
			t.Errorf("%s: records %v, damages %v; want one saying %q", name, res.order, res.damages, c.msg)
		}
	}
}

// record builds one WARC/1.0 record with a CRLF CRLF trailer.
func record(typ, body string, extra ...string) string {
	var b strings.Builder
	b.WriteString("WARC/1.0\r\n")
	if typ != "" {
		b.WriteString("WARC-Type: " + typ + "\r\n")
	}
	for _, e := range extra {
		b.WriteString(e + "\r\n")
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s\r\n\r\n", len(body), body)
	return b.String()
}

func TestDamagedRecordsAreSkipped(t *testing.T) {
	good := record("resource", "first")
	last := record("resource", "last")
	cases := map[string]struct {
		mid string
		msg string
	}{
		"no WARC-Type":       {record("", "body"), "no WARC-Type"},
		"no Content-Length":  {"WARC/1.0\r\nWARC-Type: resource\r\n\r\nbody\r\n\r\n", "no Content-Length"},
		"bad Content-Length": {"WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: -5\r\n\r\n", "bad Content-Length"},
		"garbage":            {"\x00\x01garbage between records\r\n", "expected a WARC record"},
		"line without colon": {"WARC/1.0\r\nWARC-Type resource\r\nContent-Length: 0\r\n\r\n\r\n\r\n", "without a colon"},
		"long header":        {"WARC/1.0\r\nX: " + strings.Repeat("x", 300<<10) + "\r\n\r\n", "header longer than"},
		"too many fields":    {"WARC/1.0\r\n" + strings.Repeat("X: y\r\n", 1500) + "\r\n", "more than 1000 header fields"},
		"length too short":   {record("resource", "0123456789", "")[:0] + "WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 3\r\n\r\n0123456789xyz\r\n\r\n", "Content-Length 3 is short"},
	}
	for name, c := range cases {
		res := readAllFrom(t, strings.NewReader(good+c.mid+last))
		if len(res.order) < 2 || string(res.blocks[0]) != "first" || string(res.blocks[len(res.blocks)-1]) != "last" {
			t.Errorf("%s: intact records lost: %q", name, res.blocks)
		}
		if len(res.damages) != 1 || !strings.Contains(res.damages[0].Msg, c.msg) {
			t.Errorf("%s: damages %v, want one saying %q", name, res.damages, c.msg)
		}
		if res.damages[0].Offset != int64(len(good)) {
			t.Errorf("%s: damage at %d, want %d", name, res.damages[0].Offset, len(good))
		}
	}
}

// TestLFOnlyAndOldVersions: WARC/0.18 with LF-only lines and folded fields.
func TestLFOnlyAndOldVersions(t *testing.T) {
	in := "WARC/0.18\nWARC-Type: response\nX-Folded: a\n  b\nContent-Length: 4\n\nbody\n\nWARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 2\r\n\r\nok\r\n\r\n"
	rd, _ := NewReader(strings.NewReader(in))
	rec, err := rd.Next()
	if err != nil || rec.Version != "WARC/0.18" || rec.Header.Get("x-folded") != "a b" {
		t.Fatalf("first record: %v %+v", err, rec)
	}
	if b, _ := io.ReadAll(rec.Block); string(b) != "body" {
		t.Fatalf("block %q", b)
	}
	rec, err = rd.Next()
	if err != nil || rec.Version != "WARC/1.1" || rec.Type() != "resource" {
		t.Fatalf("second record: %v %+v", err, rec)
	}
	if len(rd.Damages()) != 0 {
		t.Fatal(rd.Damages())
	}
}

// TestLargeStreamedRecord: a block bigger than the window is streamed, and a
// file cut inside it is reported, with the record marked by a read error.
func TestLargeStreamedRecord(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), (6<<20)/16)
	in := record("resource", string(body)) + record("resource", "after")
	res := readAllFrom(t, strings.NewReader(in))
	if len(res.blocks) != 2 || !bytes.Equal(res.blocks[0], body) || string(res.blocks[1]) != "after" || len(res.damages) != 0 {
		t.Fatalf("got %d records, damages %v", len(res.blocks), res.damages)
	}
	// Cut inside the big block.
	rd, _ := NewReader(strings.NewReader(in[:5<<20]))
	rec, err := rd.Next()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, rec.Block); err == nil {
		t.Fatal("reading a cut block gave no error")
	}
	if _, err := rd.Next(); err != io.EOF {
		t.Fatal(err)
	}
	if len(rd.Damages()) != 1 || !strings.Contains(rd.Damages()[0].Msg, "cut short") {
		t.Fatalf("damages %v", rd.Damages())
	}
}
