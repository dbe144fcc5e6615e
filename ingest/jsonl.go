package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/sieve-data/sieve/ingest/warc"
	"github.com/sieve-data/sieve/pipeline"
	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/stats"
)

// JSON Lines: one JSON object per line, as datatrove's JsonlReader and
// dolma read them. The keys of a "metadata" object count as top-level keys
// (datatrove's layout, which sieve's JSONL writer uses too). Mapped keys
// fill the Document; every other key is carried through as a string
// column: a key whose values are strings keeps them as they are, any other
// key holds each value's JSON text, marked (shard.MetaJSON) so the JSONL
// writer writes it back as JSON.
//
// Limits: a line is at most MaxJSONLLine bytes (a longer one is skipped
// and reported); the carried keys are those of the first jsonlProbeLines
// lines of the run's first file: a key first met later is left out and
// counted (skipped "field_not_carried", once per line).
const (
	MaxJSONLLine    = 64 << 20
	jsonlProbeLines = 1000
	// jsonlBlock lines are parsed together, so their carried-through keys
	// form one record batch.
	jsonlBlock      = 1024
	jsonlBlockBytes = 32 << 20
)

// openCompressed opens path, undoing .gz or .zst compression (by content,
// not name).
func openCompressed(path string) (io.Reader, func() error, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, 0, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	head, _ := br.Peek(4)
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, 0, err
		}
		return zr, func() error { zr.Close(); return f.Close() }, st.Size(), nil
	case len(head) >= 4 && bytes.Equal(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			f.Close()
			return nil, nil, 0, err
		}
		return zr, func() error { zr.Close(); return f.Close() }, st.Size(), nil
	}
	return br, f.Close, st.Size(), nil
}

// lineReader reads lines of at most MaxJSONLLine bytes, skipping (and
// reporting) longer ones without buffering them.
type lineReader struct {
	r      *bufio.Reader
	offset int64 // of the next line, in the uncompressed stream
	line   int64 // number of the next line, from 1
	buf    []byte
}

// next returns a line without its newline, the line's number and offset,
// and tooLong when it was cut.
func (l *lineReader) next() (line []byte, num, offset int64, tooLong bool, err error) {
	l.buf = l.buf[:0]
	num, offset = l.line+1, l.offset
	for {
		chunk, err := l.r.ReadSlice('\n')
		l.offset += int64(len(chunk))
		if !tooLong {
			if len(l.buf)+len(chunk) > MaxJSONLLine+1 {
				tooLong = true
				l.buf = l.buf[:0]
			} else {
				l.buf = append(l.buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, num, offset, false, err
		}
		if errors.Is(err, io.EOF) && len(l.buf) == 0 && !tooLong && len(chunk) == 0 {
			return nil, num, offset, false, io.EOF
		}
		l.line++
		return bytes.TrimRight(l.buf, "\r\n"), num, offset, tooLong, nil
	}
}

// jsonlObject parses one line into its keys, with metadata's keys
// flattened in (a top-level key wins over a metadata key of the same name).
func jsonlObject(line []byte) (map[string]json.RawMessage, error) {
	obj, err := splitObject(line)
	if err != nil {
		return nil, err
	}
	if md, ok := obj["metadata"]; ok && len(md) > 0 && md[0] == '{' {
		if inner, err := splitObject(md); err == nil {
			delete(obj, "metadata")
			for k, v := range inner {
				if _, top := obj[k]; !top {
					obj[k] = v
				}
			}
		}
	}
	return obj, nil
}

// jsonlExtra probes the first lines of path for the carried keys, sorted
// by name.
func jsonlExtra(path string, columns map[string]string) ([]arrow.Field, []string, error) {
	r, closeFn, _, err := openCompressed(path)
	if err != nil {
		return nil, nil, err
	}
	defer closeFn()
	lr := &lineReader{r: bufio.NewReaderSize(r, 1<<20)}
	var order []string
	jsonTyped := map[string]bool{}
	signals := map[string]bool{}
	for n := 0; n < jsonlProbeLines; n++ {
		line, _, _, tooLong, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if tooLong || len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		obj, err := jsonlObject(line)
		if err != nil {
			continue
		}
		for k, v := range obj {
			if columns[k] == shard.ColQualitySignals {
				var sig map[string]json.RawMessage
				if json.Unmarshal(v, &sig) == nil {
					for name := range sig {
						signals[name] = true
					}
				}
			}
			if _, mapped := columns[k]; mapped || shard.IsSieveColumn(k) {
				continue
			}
			if _, seen := jsonTyped[k]; !seen {
				order = append(order, k)
				jsonTyped[k] = false
			}
			if len(v) > 0 && v[0] != '"' && string(v) != "null" {
				jsonTyped[k] = true
			}
		}
	}
	// Map iteration order is random: sorted, the schema is the same on
	// every run.
	sort.Strings(order)
	fields := make([]arrow.Field, len(order))
	for i, k := range order {
		fields[i] = arrow.Field{Name: k, Type: arrow.BinaryTypes.String, Nullable: true}
		if jsonTyped[k] {
			fields[i].Metadata = arrow.NewMetadata([]string{shard.MetaJSON}, []string{"1"})
		}
	}
	var sigNames []string
	for n := range signals {
		sigNames = append(sigNames, n)
	}
	sort.Strings(sigNames)
	return fields, sigNames, nil
}

type jsonlSource struct {
	path    string
	name    string
	lr      *lineReader
	closeFn func() error
	columns map[string]string
	extra   []arrow.Field
	extraIx map[string]int
	xcols   []int
	stats   stats.FileStats
	docs    []pipeline.Document
	rec     arrow.RecordBatch
	i       int
	eof     bool
	rows    int64 // documents before this block, for default ids
}

func openJSONL(path string, columns map[string]string, extra []arrow.Field) (*jsonlSource, error) {
	r, closeFn, size, err := openCompressed(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s := &jsonlSource{path: path, name: filepath.Base(path), lr: &lineReader{r: bufio.NewReaderSize(r, 1<<20)},
		closeFn: closeFn, columns: columns, extra: extra, extraIx: map[string]int{},
		stats: stats.FileStats{Path: path, CompressedBytes: size, RecordsByType: map[string]int64{}, Skipped: map[string]int64{}}}
	s.xcols = make([]int, len(extra))
	for j, f := range extra {
		s.extraIx[f.Name] = j
		s.xcols[j] = j
	}
	return s, nil
}

func (s *jsonlSource) damage(offset int64, msg string) {
	s.stats.DamagedCount++
	if len(s.stats.Damaged) < 100 {
		s.stats.Damaged = append(s.stats.Damaged, warc.Damage{Offset: offset, Msg: msg})
	}
}

func (s *jsonlSource) Next() (*pipeline.Document, error) {
	for {
		if s.i < len(s.docs) {
			d := &s.docs[s.i]
			if s.rec != nil {
				d.Extra = &shard.ExtraRow{Batch: s.rec, Cols: s.xcols, Row: s.i}
			}
			s.i++
			return d, nil
		}
		if s.eof {
			return nil, io.EOF
		}
		if err := s.block(); err != nil {
			return nil, fmt.Errorf("%s: %w", s.path, err)
		}
	}
}

// block parses the next lines into documents and their carried-through
// columns.
func (s *jsonlSource) block() error {
	s.docs, s.i, s.rec = s.docs[:0], 0, nil
	var xb []*array.StringBuilder
	if len(s.extra) > 0 {
		for range s.extra {
			xb = append(xb, array.NewStringBuilder(memory.DefaultAllocator))
		}
	}
	var bytesRead int
	for len(s.docs) < jsonlBlock && bytesRead < jsonlBlockBytes {
		line, num, offset, tooLong, err := s.lr.next()
		if errors.Is(err, io.EOF) {
			s.eof = true
			break
		}
		if err != nil {
			// A compressed stream cut or damaged: the rest is lost.
			s.damage(offset, fmt.Sprintf("line %d: %v", num, err))
			s.eof = true
			break
		}
		s.stats.UncompressedBytes += int64(len(line)) + 1
		bytesRead += len(line)
		if tooLong {
			s.stats.Records++
			s.stats.Skipped["line_too_long"]++
			s.damage(offset, fmt.Sprintf("line %d: longer than %d bytes", num, MaxJSONLLine))
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		s.stats.Records++
		s.stats.RecordsByType["line"]++
		obj, err := jsonlObject(line)
		if err != nil {
			s.stats.Skipped["malformed_json"]++
			s.damage(offset, fmt.Sprintf("line %d: %v", num, err))
			continue
		}
		d, err := s.document(obj)
		if err != nil {
			s.stats.Skipped["malformed_json"]++
			s.damage(offset, fmt.Sprintf("line %d: %v", num, err))
			continue
		}
		if d.Text == "" {
			s.stats.Skipped["no_text"]++
			continue
		}
		finishDocument(&d, s.name, num-1)
		d.SourceOffset = offset
		s.docs = append(s.docs, d)
		s.stats.Documents++
		if xb != nil {
			s.appendExtra(xb, obj)
		}
	}
	if xb != nil {
		cols := make([]arrow.Array, len(xb))
		for j, b := range xb {
			cols[j] = b.NewArray()
			b.Release()
		}
		s.rec = array.NewRecordBatch(arrow.NewSchema(s.extra, nil), cols, int64(len(s.docs)))
	}
	return nil
}

func (s *jsonlSource) appendExtra(xb []*array.StringBuilder, obj map[string]json.RawMessage) {
	set := make([]bool, len(xb))
	for k, v := range obj {
		j, ok := s.extraIx[k]
		if !ok {
			if _, mapped := s.columns[k]; !mapped && !shard.IsSieveColumn(k) {
				s.stats.Skipped["field_not_carried"]++
			}
			continue
		}
		if string(v) == "null" {
			continue
		}
		set[j] = true
		if _, isJSON := s.extra[j].Metadata.GetValue(shard.MetaJSON); !isJSON && len(v) > 0 && v[0] == '"' {
			if str, err := decodeString(v); err == nil {
				xb[j].Append(str)
				continue
			}
		}
		xb[j].Append(string(v))
	}
	for j, ok := range set {
		if !ok {
			xb[j].AppendNull()
		}
	}
}

// document fills a Document from the mapped keys of one line.
func (s *jsonlSource) document(obj map[string]json.RawMessage) (pipeline.Document, error) {
	d := pipeline.Document{TokenCount: -1}
	for key, field := range s.columns {
		v, ok := obj[key]
		if !ok || string(v) == "null" {
			continue
		}
		var err error
		switch field {
		case shard.ColText:
			d.Text, err = decodeString(v)
		case shard.ColID:
			d.ID, err = jsonScalar(v)
		case shard.ColURL:
			d.URL, err = decodeString(v)
		case shard.ColTitle:
			d.Title, err = decodeString(v)
		case shard.ColLanguage:
			d.Language, err = decodeString(v)
		case shard.ColDomain:
			d.Domain, err = decodeString(v)
		case shard.ColHost:
			d.Host, err = decodeString(v)
		case shard.ColWARCRecordID:
			d.WARCRecordID, err = decodeString(v)
		case shard.ColWARCFilename:
			d.WARCFilename, err = decodeString(v)
		case shard.ColDate:
			var str string
			if str, err = decodeString(v); err == nil {
				d.Date = shard.ParseDate(str)
			}
		case shard.ColLanguageScore:
			var f float64
			if err = json.Unmarshal(v, &f); err == nil {
				d.LanguageScore = float32(f)
			}
		case shard.ColTokenCount:
			var n float64
			if err = json.Unmarshal(v, &n); err == nil {
				d.TokenCount = int64(n)
			}
		case shard.ColQualitySignals:
			var sig map[string]*float64
			if err = json.Unmarshal(v, &sig); err == nil {
				for k, f := range sig {
					if f != nil {
						d.SetSignal(k, *f)
					}
				}
			}
		}
		if err != nil {
			return d, fmt.Errorf("key %q: %w", key, err)
		}
	}
	return d, nil
}

// jsonScalar reads an id given as a string or a number.
func jsonScalar(v json.RawMessage) (string, error) {
	if len(v) > 0 && v[0] == '"' {
		return decodeString(v)
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil {
		return "", err
	}
	if _, err := strconv.ParseFloat(n.String(), 64); err != nil {
		return "", err
	}
	return strings.TrimSpace(n.String()), nil
}

func (s *jsonlSource) Stats() *stats.FileStats { return &s.stats }

func (s *jsonlSource) Close() error { return s.closeFn() }
