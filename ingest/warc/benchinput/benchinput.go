// Package benchinput builds a large, realistic WARC.gz file for benchmarks
// from the real records of the shared test data: each record is recompressed
// as its own gzip member (the Common Crawl layout), and members are written
// in a seeded random order until the file reaches the wanted size. The file
// goes to a temporary directory and is never committed.
package benchinput

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/gzip"
	"github.com/sieve-data/sieve/ingest/warc"
)

// Sources are the shared files with real crawl records: Common Crawl
// (resiliparse, whirlwind, jwarc), wget (dolma, webarchive-commons) and
// ClueWeb09.
var Sources = []string{
	"resiliparse__warcfile.warc.gz",
	"dolma__sample-0000.warc.gz",
	"dolma__sample-0001.warc.gz",
	"commoncrawl-whirlwind__whirlwind.warc.gz",
	"resiliparse__clueweb-quirk.warc.gz",
	"webarchive-commons__IAH-urls-wget.warc.gz",
	"jwarc__cc.warc.gz",
}

// Input describes a built benchmark file.
type Input struct {
	Path              string
	CompressedBytes   int64
	UncompressedBytes int64
	Records           int
	HTMLResponses     int // response records with an HTML Content-Type, for BenchmarkSource
}

// Build writes the file to dir. sharedDir is the shared warc test data.
func Build(sharedDir, dir string, target int64, seed uint64) (*Input, error) {
	type member struct {
		gz     []byte
		size   int64
		isHTML bool
	}
	var members []member
	for _, name := range Sources {
		f, err := os.Open(filepath.Join(sharedDir, name))
		if err != nil {
			return nil, err
		}
		rd, err := warc.NewReader(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		for {
			rec, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				f.Close()
				return nil, err
			}
			var raw bytes.Buffer
			raw.WriteString(rec.Version + "\r\n")
			for _, fl := range rec.Header {
				fmt.Fprintf(&raw, "%s: %s\r\n", fl.Name, fl.Value)
			}
			raw.WriteString("\r\n")
			block, _ := io.ReadAll(rec.Block)
			raw.Write(block)
			raw.WriteString("\r\n\r\n")
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			zw.Write(raw.Bytes())
			zw.Close()
			html := rec.Type() == "response" && bytes.Contains(bytes.ToLower(block[:min(len(block), 2048)]), []byte("content-type: text/html"))
			members = append(members, member{gz: gz.Bytes(), size: int64(raw.Len()), isHTML: html})
		}
		f.Close()
	}
	out, err := os.CreateTemp(dir, "bench-*.warc.gz")
	if err != nil {
		return nil, err
	}
	in := &Input{Path: out.Name()}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for in.CompressedBytes < target {
		m := members[rng.IntN(len(members))]
		if _, err := out.Write(m.gz); err != nil {
			out.Close()
			return nil, err
		}
		in.CompressedBytes += int64(len(m.gz))
		in.UncompressedBytes += m.size
		in.Records++
		if m.isHTML {
			in.HTMLResponses++
		}
	}
	return in, out.Close()
}
