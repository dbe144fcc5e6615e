package ingest

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sieve-data/sieve/ingest/warc"
	"github.com/sieve-data/sieve/pipeline"
	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/stats"
)

// Reader is a stream of documents from one input file: a WARC Source or
// one of the dataset readers (JSONL, Parquet, Arrow).
type Reader interface {
	// Next returns the next document, valid until the following call, or
	// io.EOF after the last. Skipped and damaged input is counted in
	// Stats; another error means the file could not be read on.
	Next() (*pipeline.Document, error)
	Stats() *stats.FileStats
	Close() error
}

var _ Reader = (*Source)(nil)

// Reader types, as `reader: {type: ...}` names them.
const (
	TypeWARC    = "warc"
	TypeWET     = "wet" // the WARC reader: it keeps WET conversion records
	TypeJSONL   = "jsonl"
	TypeParquet = "parquet"
	TypeArrow   = "arrow"
)

// Types lists the reader types.
func Types() []string { return []string{TypeWARC, TypeWET, TypeJSONL, TypeParquet, TypeArrow} }

// TypeOf picks a reader type by file name: .parquet, .jsonl(.gz|.zst),
// .ndjson, .json.gz, .arrow/.feather/.ipc; anything else is a crawl file.
func TypeOf(name string) string {
	n := strings.ToLower(name)
	for _, s := range []string{".gz", ".zst", ".zstd"} {
		n = strings.TrimSuffix(n, s)
	}
	switch {
	case strings.HasSuffix(n, ".parquet"):
		return TypeParquet
	case strings.HasSuffix(n, ".jsonl"), strings.HasSuffix(n, ".ndjson"), strings.HasSuffix(n, ".json"):
		return TypeJSONL
	case strings.HasSuffix(n, ".arrow"), strings.HasSuffix(n, ".feather"), strings.HasSuffix(n, ".ipc"):
		return TypeArrow
	}
	return TypeWARC
}

// IsTable reports whether a reader type reads datasets of text (no HTML).
func IsTable(typ string) bool { return typ == TypeJSONL || typ == TypeParquet || typ == TypeArrow }

// mappable are the Document fields a dataset's columns map to, by their
// sieve column names.
var mappable = []string{shard.ColID, shard.ColText, shard.ColURL, shard.ColTitle, shard.ColDate,
	shard.ColLanguage, shard.ColLanguageScore, shard.ColDomain, shard.ColHost, shard.ColWARCRecordID,
	shard.ColWARCFilename, shard.ColTokenCount, shard.ColQualitySignals}

// TableOptions configure the dataset readers.
type TableOptions struct {
	// Fields maps a Document field (by its sieve column name: text, id,
	// url, date, ...) to the dataset's column or JSON key. Fields not given
	// are read from the column of their own name, as datatrove's readers
	// default to "text" and "id".
	Fields map[string]string
	// Extra are the carried-through columns (see shard.ExtraRow), the
	// same for every file of a run: DetectExtra of its first input.
	Extra []arrow.Field
}

// columns returns the input column → sieve column map.
func (o TableOptions) columns() (map[string]string, error) {
	m := make(map[string]string, len(mappable))
	for _, c := range mappable {
		m[c] = c
	}
	for field, col := range o.Fields {
		if !slices.Contains(mappable, field) {
			return nil, fmt.Errorf("reader fields: %q is not a document field (want one of %v)", field, mappable)
		}
		if col == "" {
			return nil, fmt.Errorf("reader fields: %q maps to an empty name", field)
		}
		delete(m, field) // the default column of that name is no longer read as it
	}
	for field, col := range o.Fields {
		m[col] = field
	}
	return m, nil
}

// CheckFields validates a field mapping.
func CheckFields(fields map[string]string) error {
	_, err := TableOptions{Fields: fields}.columns()
	return err
}

// extraOf returns the fields of schema that are carried through: every
// column not mapped to a Document field and not named like one of
// sieve's output columns (which the output would shadow).
func extraOf(fields []arrow.Field, columns map[string]string) []arrow.Field {
	var out []arrow.Field
	for _, f := range fields {
		if _, mapped := columns[f.Name]; mapped || shard.IsSieveColumn(f.Name) {
			continue
		}
		out = append(out, arrow.Field{Name: f.Name, Type: f.Type, Nullable: true, Metadata: f.Metadata})
	}
	return out
}

// DetectExtra returns the carried-through columns of a dataset file: the
// schema's unmapped columns (Parquet, Arrow), or the unmapped keys of the
// first lines (JSONL, see jsonlExtra); and the names of the quality
// signals it holds already, which the output keeps beside the ones the
// pipeline's steps compute.
func DetectExtra(typ, path string, fields map[string]string) (extra []arrow.Field, signals []string, err error) {
	columns, err := TableOptions{Fields: fields}.columns()
	if err != nil {
		return nil, nil, err
	}
	switch typ {
	case TypeJSONL:
		return jsonlExtra(path, columns)
	case TypeParquet, TypeArrow:
		open := openParquetBatches
		if typ == TypeArrow {
			open = openArrowBatches
		}
		b, err := open(path)
		if err != nil {
			return nil, nil, err
		}
		defer b.close()
		for _, f := range b.schema.Fields() {
			if columns[f.Name] != shard.ColQualitySignals {
				continue
			}
			if st, ok := f.Type.(*arrow.StructType); ok {
				for _, sf := range st.Fields() {
					signals = append(signals, sf.Name)
				}
			}
		}
		return extraOf(b.schema.Fields(), columns), signals, nil
	}
	return nil, nil, nil
}

// OpenTable opens a dataset file of the given type.
func OpenTable(typ, path string, opts TableOptions) (Reader, error) {
	columns, err := opts.columns()
	if err != nil {
		return nil, err
	}
	var b *batches
	switch typ {
	case TypeJSONL:
		return openJSONL(path, columns, opts.Extra)
	case TypeParquet:
		b, err = openParquetBatches(path)
	case TypeArrow:
		b, err = openArrowBatches(path)
	default:
		return nil, fmt.Errorf("%q is not a dataset reader type", typ)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return newBatchSource(path, b, columns, opts.Extra, typ)
}

// batches is a dataset file read as Arrow record batches (Parquet by row
// group, Arrow IPC batch by batch).
type batches struct {
	schema *arrow.Schema
	size   int64
	// next returns the next batch (owned by the caller) or io.EOF.
	next  func() (arrow.RecordBatch, error)
	close func() error
}

// batchSource turns record batches into documents.
type batchSource struct {
	path    string
	b       *batches
	columns map[string]string
	extra   []arrow.Field
	name    string
	stats   stats.FileStats
	rec     arrow.RecordBatch
	xcols   []int
	docs    []pipeline.Document
	i       int
	row     int64 // rows before rec
	done    bool
}

func newBatchSource(path string, b *batches, columns map[string]string, extra []arrow.Field, typ string) (*batchSource, error) {
	s := &batchSource{path: path, b: b, columns: columns, extra: extra, name: filepath.Base(path),
		stats: stats.FileStats{Path: path, CompressedBytes: b.size, RecordsByType: map[string]int64{}, Skipped: map[string]int64{}}}
	if _, ok := reverse(columns)[shard.ColText]; !ok {
		b.close()
		return nil, fmt.Errorf("%s: no text column (have %v)", path, fieldNames(b.schema))
	}
	if err := s.checkColumns(); err != nil {
		b.close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// checkColumns finds the extra columns in this file and checks that the
// text column is there.
func (s *batchSource) checkColumns() error {
	textCol := reverse(s.columns)[shard.ColText]
	if len(s.b.schema.FieldIndices(textCol)) == 0 {
		return fmt.Errorf("no %q column for the text (have %v; map another with reader: {fields: {text: NAME}})", textCol, fieldNames(s.b.schema))
	}
	s.xcols = make([]int, len(s.extra))
	for j, f := range s.extra {
		s.xcols[j] = -1
		idx := s.b.schema.FieldIndices(f.Name)
		if len(idx) == 0 {
			continue
		}
		if t := s.b.schema.Field(idx[0]).Type; !arrow.TypeEqual(t, f.Type) {
			return fmt.Errorf("column %s is %s here, %s in the run's first input", f.Name, t, f.Type)
		}
		s.xcols[j] = idx[0]
	}
	return nil
}

func reverse(m map[string]string) map[string]string {
	r := make(map[string]string, len(m))
	for k, v := range m {
		r[v] = k
	}
	return r
}

func fieldNames(s *arrow.Schema) []string {
	var n []string
	for _, f := range s.Fields() {
		n = append(n, f.Name)
	}
	sort.Strings(n)
	return n
}

// damage records a place the reader could not read past: the rest of the
// file is given up, the other files go on.
func (s *batchSource) damage(msg string) {
	s.stats.DamagedCount++
	if len(s.stats.Damaged) < 100 {
		// No byte offset: a batch's place is its first row, in msg.
		s.stats.Damaged = append(s.stats.Damaged, warc.Damage{Offset: -1, Msg: msg})
	}
	s.done = true
}

func (s *batchSource) Next() (*pipeline.Document, error) {
	for {
		for s.i < len(s.docs) {
			i := s.i
			d := &s.docs[i]
			s.i++
			s.stats.Records++
			s.stats.RecordsByType["row"]++
			s.stats.UncompressedBytes += int64(len(d.Text))
			if d.Text == "" {
				s.stats.Skipped["no_text"]++
				continue
			}
			finishDocument(d, s.name, s.row+int64(i))
			if len(s.extra) > 0 {
				d.Extra = &shard.ExtraRow{Batch: s.rec, Cols: s.xcols, Row: i}
			}
			s.stats.Documents++
			return d, nil
		}
		if s.done {
			return nil, io.EOF
		}
		s.row += int64(len(s.docs))
		s.docs, s.i = nil, 0
		rec, err := s.b.next()
		if errors.Is(err, io.EOF) {
			s.done = true
			return nil, io.EOF
		}
		if err != nil {
			s.damage(fmt.Sprintf("row %d: %v", s.row, err))
			continue
		}
		docs, err := shard.DocumentsFromColumns(rec, s.columns)
		if err != nil {
			s.damage(fmt.Sprintf("row %d: %v", s.row, err))
			continue
		}
		s.rec, s.docs = rec, docs
	}
}

// finishDocument fills what a dataset row may lack: an id (datatrove's
// "<file>/<row>"), the host and registered domain from the URL.
func finishDocument(d *pipeline.Document, file string, row int64) {
	if d.ID == "" {
		d.ID = fmt.Sprintf("%s/%d", file, row)
	}
	if d.URL != "" && d.Host == "" {
		d.Host = hostOf(d.URL)
	}
	if d.Host != "" && d.Domain == "" {
		d.Domain = registeredDomain(d.Host)
	}
}

func (s *batchSource) Stats() *stats.FileStats { return &s.stats }

func (s *batchSource) Close() error { return s.b.close() }
