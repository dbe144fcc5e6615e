package shard

import (
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/sieve-data/sieve/pipeline"
)

// DocumentsFrom turns a record batch back into documents. Columns are found
// by name, so shards with extra or missing columns (other versions, the
// removed-documents audit shards) still read; a missing column leaves the
// field zero, a missing token_count gives -1. Nulls read as zero values,
// except token_count (-1) and quality signals (absent from the map).
func DocumentsFrom(rec arrow.RecordBatch) (docs []pipeline.Document, err error) {
	return DocumentsFromColumns(rec, nil)
}

// DocumentsFromColumns is DocumentsFrom over a table whose columns have
// other names: column maps an input column name to the sieve column it
// holds (ColText, ColID, ...); input columns not in the map are not read.
// A nil map reads sieve's own column names.
func DocumentsFromColumns(rec arrow.RecordBatch, column map[string]string) (docs []pipeline.Document, err error) {
	// arrow-go does not check every offset of a batch read from disk; a
	// damaged shard must give an error here, not take the process down.
	defer recoverInto(&err)
	n := int(rec.NumRows())
	if err := checkBatch(rec, column); err != nil {
		return nil, err
	}
	docs = make([]pipeline.Document, n)
	for i := range docs {
		docs[i].TokenCount = -1
	}
	schema := rec.Schema()
	for ci, f := range schema.Fields() {
		col := rec.Column(ci)
		name := f.Name
		if column != nil {
			name = column[f.Name] // "" for a column that is not read
		}
		switch name {
		case ColID:
			err = setStrings(f, col, docs, func(d *pipeline.Document, s string) { d.ID = s })
		case ColURL:
			err = setStrings(f, col, docs, func(d *pipeline.Document, s string) { d.URL = s })
		case ColDomain:
			err = setStrings(f, col, docs, func(d *pipeline.Document, s string) { d.Domain = s })
		case ColHost:
			err = setStrings(f, col, docs, func(d *pipeline.Document, s string) { d.Host = s })
		case ColTitle:
			err = setStrings(f, col, docs, func(d *pipeline.Document, s string) { d.Title = s })
		case ColText:
			err = setStrings(f, col, docs, func(d *pipeline.Document, s string) { d.Text = s })
		case ColLanguage:
			err = setStrings(f, col, docs, func(d *pipeline.Document, s string) { d.Language = s })
		case ColWARCRecordID:
			err = setStrings(f, col, docs, func(d *pipeline.Document, s string) { d.WARCRecordID = s })
		case ColWARCFilename:
			err = setStrings(f, col, docs, func(d *pipeline.Document, s string) { d.WARCFilename = s })
		case ColLanguageScore:
			err = setScores(f, col, docs)
		case ColDate:
			err = setDates(f, col, docs)
		case ColTokenCount:
			err = setTokens(f, col, docs)
		case ColQualitySignals:
			err = setSignals(f, col, docs)
		}
		if err != nil {
			return nil, err
		}
	}
	return docs, nil
}

func setStrings(f arrow.Field, col arrow.Array, docs []pipeline.Document, set func(*pipeline.Document, string)) error {
	sv, err := StringsOf(col)
	if err != nil {
		return fmt.Errorf("shard: column %s: %w", f.Name, err)
	}
	for i := range docs {
		if !sv.IsNull(i) {
			// Copy: the batch's buffers are released after the caller's
			// next Read, and documents outlive it.
			set(&docs[i], strings.Clone(sv.Value(i)))
		}
	}
	return nil
}

func setScores(f arrow.Field, col arrow.Array, docs []pipeline.Document) error {
	switch c := col.(type) {
	case *array.Float32:
		for i := range docs {
			if c.IsValid(i) {
				docs[i].LanguageScore = c.Value(i)
			}
		}
	case *array.Float64:
		for i := range docs {
			if c.IsValid(i) {
				docs[i].LanguageScore = float32(c.Value(i))
			}
		}
	default:
		return typeError(f, "float32")
	}
	return nil
}

func setDates(f arrow.Field, col arrow.Array, docs []pipeline.Document) error {
	if IsStringType(col.DataType()) {
		// Datasets such as FineWeb store the WARC date as a string.
		return setStrings(f, col, docs, func(d *pipeline.Document, s string) { d.Date = ParseDate(s) })
	}
	c, ok := col.(*array.Timestamp)
	if !ok {
		return typeError(f, "a timestamp or a string")
	}
	unit := c.DataType().(*arrow.TimestampType).Unit
	for i := range docs {
		if c.IsValid(i) {
			docs[i].Date = c.Value(i).ToTime(unit).In(time.UTC)
		}
	}
	return nil
}

func setTokens(f arrow.Field, col arrow.Array, docs []pipeline.Document) error {
	switch c := col.(type) {
	case *array.Int64:
		for i := range docs {
			if c.IsValid(i) {
				docs[i].TokenCount = c.Value(i)
			}
		}
	case *array.Int32:
		for i := range docs {
			if c.IsValid(i) {
				docs[i].TokenCount = int64(c.Value(i))
			}
		}
	case *array.Float64: // JavaScript writers (polars in Node) have no int64
		for i := range docs {
			if v := c.Value(i); c.IsValid(i) && v >= 0 && v < 1<<53 {
				docs[i].TokenCount = int64(v)
			}
		}
	default:
		return typeError(f, "an integer")
	}
	return nil
}

// ParseDate reads a date as datasets store it: RFC 3339 (FineWeb,
// datatrove's WARC reader), with a space for the T, or a bare day. An
// unreadable date gives the zero time, written as null.
func ParseDate(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func setSignals(f arrow.Field, col arrow.Array, docs []pipeline.Document) error {
	c, ok := col.(*array.Struct)
	if !ok {
		return typeError(f, "a struct")
	}
	st := c.DataType().(*arrow.StructType)
	for j, sf := range st.Fields() {
		vals, ok := c.Field(j).(*array.Float64)
		if !ok {
			return typeError(sf, "float64 (in quality_signals)")
		}
		for i := range docs {
			if c.IsValid(i) && vals.IsValid(i) {
				docs[i].SetSignal(sf.Name, vals.Value(i))
			}
		}
	}
	return nil
}

func typeError(f arrow.Field, want string) error {
	return fmt.Errorf("shard: column %s is %s, want %s", f.Name, f.Type, want)
}

// checkBatch bounds the batch's row count by its buffers before anything is
// allocated per row: every column must have the batch's length, and at
// least one known column must have buffers that hold that many rows.
func checkBatch(rec arrow.RecordBatch, column map[string]string) error {
	n := rec.NumRows()
	bounded := n == 0
	for ci, f := range rec.Schema().Fields() {
		col := rec.Column(ci)
		if int64(col.Len()) != n {
			return fmt.Errorf("shard: column %s has %d rows, batch has %d", f.Name, col.Len(), n)
		}
		name := f.Name
		if column != nil {
			name = column[f.Name]
		}
		switch name {
		case ColID, ColURL, ColDomain, ColHost, ColTitle, ColText, ColLanguage, ColLanguageScore, ColDate,
			ColWARCRecordID, ColWARCFilename, ColTokenCount, ColQualitySignals:
			if err := checkLayout(f.Name, col); err != nil {
				return err
			}
			switch col.(type) {
			case *array.String, *array.LargeString, *array.StringView, *array.Dictionary,
				*array.Float32, *array.Float64, *array.Int64, *array.Int32, *array.Timestamp:
				bounded = true
			}
		}
	}
	if !bounded {
		return fmt.Errorf("shard: batch of %d rows has none of sieve's columns to read", n)
	}
	return nil
}
