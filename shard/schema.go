package shard

import (
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
)

// Column names, in schema order.
const (
	ColID             = "id"
	ColURL            = "url"
	ColDomain         = "domain"
	ColHost           = "host"
	ColTitle          = "title"
	ColText           = "text"
	ColLanguage       = "language"
	ColLanguageScore  = "language_score"
	ColDate           = "date"
	ColWARCRecordID   = "warc_record_id"
	ColWARCFilename   = "warc_filename"
	ColTokenCount     = "token_count"
	ColQualitySignals = "quality_signals"
	ColDropStep       = "drop_step"
	ColDropReason     = "drop_reason"
)

// DateType is the type of the date column: microseconds, UTC. Microseconds
// (not nanoseconds) because Hugging Face datasets, pandas and DuckDB all
// handle them, and they cover any year a web capture can carry.
var DateType = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}

// Schema returns the shard schema. Strings are utf8 (32-bit offsets, which
// Hugging Face datasets maps to "string"); the Writer keeps every record
// batch far below the 2 GiB offset limit. quality_signals is a struct of
// nullable float64 fields named by signalNames, sorted and deduplicated; it
// is left out when there are none. removed adds drop_step and drop_reason,
// the columns of the audit shards under OUT/removed/. All fields are
// nullable, as Hugging Face datasets' features assume.
func Schema(signalNames []string, removed bool) *arrow.Schema {
	str := arrow.BinaryTypes.String
	fields := []arrow.Field{
		{Name: ColID, Type: str, Nullable: true},
		{Name: ColURL, Type: str, Nullable: true},
		{Name: ColDomain, Type: str, Nullable: true},
		{Name: ColHost, Type: str, Nullable: true},
		{Name: ColTitle, Type: str, Nullable: true},
		{Name: ColText, Type: str, Nullable: true},
		{Name: ColLanguage, Type: str, Nullable: true},
		{Name: ColLanguageScore, Type: arrow.PrimitiveTypes.Float32, Nullable: true},
		{Name: ColDate, Type: DateType, Nullable: true},
		{Name: ColWARCRecordID, Type: str, Nullable: true},
		{Name: ColWARCFilename, Type: str, Nullable: true},
		{Name: ColTokenCount, Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}
	if names := sortedSignalNames(signalNames); len(names) > 0 {
		sub := make([]arrow.Field, len(names))
		for i, n := range names {
			sub[i] = arrow.Field{Name: n, Type: arrow.PrimitiveTypes.Float64, Nullable: true}
		}
		fields = append(fields, arrow.Field{Name: ColQualitySignals, Type: arrow.StructOf(sub...), Nullable: true})
	}
	if removed {
		fields = append(fields,
			arrow.Field{Name: ColDropStep, Type: str, Nullable: true},
			arrow.Field{Name: ColDropReason, Type: str, Nullable: true},
		)
	}
	return arrow.NewSchema(fields, nil)
}

// sortedSignalNames returns a sorted copy without duplicates or empty names,
// so the struct's field order does not depend on step order.
func sortedSignalNames(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// WithExtra appends carried-through input columns to a sieve schema. An
// extra column may not take the name of one of sieve's.
func WithExtra(base *arrow.Schema, extra []arrow.Field) (*arrow.Schema, error) {
	if len(extra) == 0 {
		return base, nil
	}
	fields := slices.Clone(base.Fields())
	for _, f := range extra {
		if len(base.FieldIndices(f.Name)) > 0 || f.Name == ColDropStep || f.Name == ColDropReason || f.Name == ColQualitySignals {
			return nil, fmt.Errorf("shard: carried-through column %q has the name of one of sieve's columns", f.Name)
		}
		fields = append(fields, f)
	}
	return arrow.NewSchema(fields, nil), nil
}

// IsSieveColumn reports whether name is one of the columns sieve writes.
func IsSieveColumn(name string) bool {
	switch name {
	case ColID, ColURL, ColDomain, ColHost, ColTitle, ColText, ColLanguage, ColLanguageScore, ColDate,
		ColWARCRecordID, ColWARCFilename, ColTokenCount, ColQualitySignals, ColDropStep, ColDropReason:
		return true
	}
	return false
}
