package shard

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sieve-data/sieve/pipeline"
)

// maxFieldBytes bounds one string value. utf8 columns use int32 offsets, so
// a record batch's column must stay under 2 GiB; with batches cut at
// maxBatchBytes, one value of at most 1 GiB always fits.
const maxFieldBytes = 1 << 30

// batchBuilder accumulates documents into one record batch.
type batchBuilder struct {
	rb      *array.RecordBuilder
	strs    map[string]*array.StringBuilder
	score   *array.Float32Builder
	date    *array.TimestampBuilder
	tokens  *array.Int64Builder
	signals *array.StructBuilder
	sigVals []*array.Float64Builder
	sigName []string
	removed bool
	extra   *extraBuilder // nil without carried-through columns
	schema  *arrow.Schema // with the extra columns
	rows    int
	bytes   int64 // estimated body size of the pending batch
	// repaired counts string values that were not valid UTF-8.
	repaired int64
	// lastData is each string column's data size in the previous batch:
	// a new batch reserves it up front, so the text column is not grown
	// by doubling (a copy of the batch's text, and garbage) every time.
	lastData map[string]int
}

// str appends s to a utf8 column, replacing invalid UTF-8 with U+FFFD.
// Arrow's utf8 type promises valid UTF-8: pyarrow and Hugging Face datasets
// raise UnicodeDecodeError when they turn a bad value into a Python str,
// so one stray byte in a title would break a training job far from here.
func (b *batchBuilder) str(col string, s string) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
		b.repaired++
	}
	b.strs[col].Append(s)
}

// newBatchBuilder builds batches of schema, whose first columns are
// sieve's (base) and the rest the carried-through extra fields.
func newBatchBuilder(mem memory.Allocator, schema, base *arrow.Schema, signalNames []string, removed bool) *batchBuilder {
	b := &batchBuilder{
		rb:      array.NewRecordBuilder(mem, base),
		strs:    make(map[string]*array.StringBuilder),
		sigName: signalNames,
		removed: removed,
		schema:  schema,
	}
	if extra := schema.Fields()[base.NumFields():]; len(extra) > 0 {
		b.extra = newExtraBuilder(mem, extra)
	}
	schema = base
	for i, f := range schema.Fields() {
		fb := b.rb.Field(i)
		switch f.Name {
		case ColLanguageScore:
			b.score = fb.(*array.Float32Builder)
		case ColDate:
			b.date = fb.(*array.TimestampBuilder)
		case ColTokenCount:
			b.tokens = fb.(*array.Int64Builder)
		case ColQualitySignals:
			b.signals = fb.(*array.StructBuilder)
			for j := range signalNames {
				b.sigVals = append(b.sigVals, b.signals.FieldBuilder(j).(*array.Float64Builder))
			}
		default:
			b.strs[f.Name] = fb.(*array.StringBuilder)
		}
	}
	return b
}

// docBytes estimates what d adds to a batch, for batch and shard sizing.
func docBytes(d *pipeline.Document, nSignals int, step, reason string) int64 {
	n := len(d.ID) + len(d.URL) + len(d.Domain) + len(d.Host) + len(d.Title) + len(d.Text) +
		len(d.Language) + len(d.WARCRecordID) + len(d.WARCFilename) + len(step) + len(reason)
	// offsets (4 bytes per string column), numeric columns, validity bits
	return int64(n) + 13*4 + 4 + 8 + 8 + int64(nSignals)*8 + 4
}

// checkFieldSizes rejects a value too large for a utf8 column.
func checkFieldSizes(d *pipeline.Document, step, reason string) error {
	fields := [...]struct {
		name string
		n    int
	}{
		{ColText, len(d.Text)}, {ColTitle, len(d.Title)}, {ColURL, len(d.URL)}, {ColID, len(d.ID)},
		{ColDomain, len(d.Domain)}, {ColHost, len(d.Host)}, {ColLanguage, len(d.Language)},
		{ColWARCRecordID, len(d.WARCRecordID)}, {ColWARCFilename, len(d.WARCFilename)},
		{ColDropStep, len(step)}, {ColDropReason, len(reason)},
	}
	for _, f := range fields {
		if f.n > maxFieldBytes {
			return fmt.Errorf("shard: document %.200q: %s is %d bytes, more than the %d one shard value holds", d.ID, f.name, f.n, maxFieldBytes)
		}
	}
	return nil
}

func (b *batchBuilder) append(d *pipeline.Document, step, reason string) {
	if b.rows == 0 && b.lastData != nil {
		for col, n := range b.lastData {
			b.strs[col].ReserveData(n)
		}
	}
	b.str(ColID, d.ID)
	b.str(ColURL, d.URL)
	b.str(ColDomain, d.Domain)
	b.str(ColHost, d.Host)
	b.str(ColTitle, d.Title)
	if d.TextKnownValid() {
		b.strs[ColText].Append(d.Text)
	} else {
		b.str(ColText, d.Text)
	}
	b.str(ColLanguage, d.Language)
	b.score.Append(d.LanguageScore)
	if d.Date.IsZero() {
		// No capture time is not "year 1": a null says so honestly.
		b.date.AppendNull()
	} else {
		b.date.Append(arrow.Timestamp(d.Date.UnixMicro()))
	}
	b.str(ColWARCRecordID, d.WARCRecordID)
	b.str(ColWARCFilename, d.WARCFilename)
	if d.TokenCount < 0 {
		b.tokens.AppendNull()
	} else {
		b.tokens.Append(d.TokenCount)
	}
	if b.signals != nil {
		b.signals.Append(true)
		for i, name := range b.sigName {
			if v, ok := d.Signals[name]; ok {
				b.sigVals[i].Append(v)
			} else {
				b.sigVals[i].AppendNull()
			}
		}
	}
	if b.removed {
		b.str(ColDropStep, step)
		b.str(ColDropReason, reason)
	}
	if b.extra != nil {
		x, _ := d.Extra.(*ExtraRow)
		b.extra.append(x)
	}
	b.rows++
	b.bytes += docBytes(d, len(b.sigName), step, reason)
}

// take returns the pending rows as a record batch (caller releases it) and
// resets the builder.
func (b *batchBuilder) take() (arrow.RecordBatch, error) {
	if b.lastData == nil {
		b.lastData = make(map[string]int, len(b.strs))
	}
	for col, sb := range b.strs {
		b.lastData[col] = sb.DataLen()
	}
	rec := b.rb.NewRecordBatch()
	rows := b.rows
	b.rows, b.bytes = 0, 0
	if b.extra == nil {
		return rec, nil
	}
	extra, err := b.extra.take()
	if err != nil {
		rec.Release()
		return nil, err
	}
	cols := append(append([]arrow.Array(nil), rec.Columns()...), extra...)
	full := array.NewRecordBatch(b.schema, cols, int64(rows))
	rec.Release()
	for _, a := range extra {
		a.Release()
	}
	return full, nil
}

func (b *batchBuilder) release() { b.rb.Release() }
