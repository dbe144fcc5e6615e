package shard

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// JSON Lines output uses the field names of datatrove's JsonlWriter and
// dolma: "id" and "text" at the top level, every other column under
// "metadata" (url, date, language, quality_signals, a reader's carried-
// through fields...), so datatrove's JsonlReader and dolma's tools read
// sieve's output as their own. Nulls are left out. The date is an RFC 3339
// string (datatrove stores WARC dates as strings). A column whose field
// metadata has MetaJSON=1 holds JSON text (a JSONL input's nested field)
// and is written back as JSON, not as a string.
const (
	jsonlID       = "id"
	jsonlText     = "text"
	jsonlMetadata = "metadata"
	// MetaJSON marks a utf8 column holding JSON values as text.
	MetaJSON = "sieve.json"
)

func jsonlSuffix(compression string) string {
	switch compression {
	case CompressionGzip:
		return ".jsonl.gz"
	case CompressionZstd:
		return ".jsonl.zst"
	}
	return ".jsonl"
}

type jsonlContainer struct {
	out    *bufio.Writer
	comp   io.WriteCloser // nil when uncompressed
	schema *arrow.Schema
	line   []byte
}

func openJSONL(w io.Writer, schema *arrow.Schema, compression string, _ ContainerOptions) (container, error) {
	c := &jsonlContainer{schema: schema}
	var err error
	switch compression {
	case CompressionGzip:
		c.comp, err = gzip.NewWriterLevel(w, gzip.DefaultCompression)
	case CompressionZstd:
		c.comp, err = zstd.NewWriter(w, zstd.WithEncoderConcurrency(1))
	}
	if err != nil {
		return nil, fmt.Errorf("shard: jsonl: %w", err)
	}
	if c.comp != nil {
		w = c.comp
	}
	c.out = bufio.NewWriterSize(w, 1<<20)
	return c, nil
}

func (c *jsonlContainer) Write(rec arrow.RecordBatch) (err error) {
	defer recoverInto(&err)
	fields := rec.Schema().Fields()
	var id, text = -1, -1
	for i, f := range fields {
		switch f.Name {
		case jsonlID:
			id = i
		case jsonlText:
			text = i
		}
	}
	for r := 0; r < int(rec.NumRows()); r++ {
		b := append(c.line[:0], '{')
		first := true
		key := func(name string) {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendJSONString(b, name)
			b = append(b, ':')
		}
		for _, i := range []int{id, text} {
			if i >= 0 && rec.Column(i).IsValid(r) {
				key(fields[i].Name)
				b = appendJSONValue(b, fields[i], rec.Column(i), r)
			}
		}
		inMeta := false
		for i, f := range fields {
			if i == id || i == text || !rec.Column(i).IsValid(r) {
				continue
			}
			if !inMeta {
				key(jsonlMetadata)
				b = append(b, '{')
				first, inMeta = true, true
			}
			key(f.Name)
			b = appendJSONValue(b, f, rec.Column(i), r)
		}
		if inMeta {
			b = append(b, '}')
		}
		b = append(b, '}', '\n')
		c.line = b
		if _, err := c.out.Write(b); err != nil {
			return err
		}
	}
	return nil
}

func (c *jsonlContainer) Close() error {
	err := c.out.Flush()
	if c.comp != nil {
		if cerr := c.comp.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// appendJSONValue appends the value of col at row r (not null).
func appendJSONValue(b []byte, f arrow.Field, col arrow.Array, r int) []byte {
	switch c := col.(type) {
	case *array.String:
		if v, ok := f.Metadata.GetValue(MetaJSON); ok && v == "1" && json.Valid([]byte(c.Value(r))) {
			return append(b, c.Value(r)...)
		}
		return appendJSONString(b, c.Value(r))
	case *array.LargeString:
		return appendJSONString(b, c.Value(r))
	case *array.StringView:
		return appendJSONString(b, c.Value(r))
	case *array.Float32:
		return appendJSONFloat(b, float64(c.Value(r)), 32)
	case *array.Float64:
		return appendJSONFloat(b, c.Value(r), 64)
	case *array.Int64:
		return strconv.AppendInt(b, c.Value(r), 10)
	case *array.Int32:
		return strconv.AppendInt(b, int64(c.Value(r)), 10)
	case *array.Boolean:
		return strconv.AppendBool(b, c.Value(r))
	case *array.Timestamp:
		unit := c.DataType().(*arrow.TimestampType).Unit
		b = append(b, '"')
		b = c.Value(r).ToTime(unit).UTC().AppendFormat(b, time.RFC3339Nano)
		return append(b, '"')
	case *array.Struct:
		st := c.DataType().(*arrow.StructType)
		b = append(b, '{')
		first := true
		for j, sf := range st.Fields() {
			fc := c.Field(j)
			if !fc.IsValid(r) {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendJSONString(b, sf.Name)
			b = append(b, ':')
			b = appendJSONValue(b, sf, fc, r)
		}
		return append(b, '}')
	}
	// Other types of carried-through columns: arrow-go's own JSON form.
	v, err := json.Marshal(col.GetOneForMarshal(r))
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, v...)
}

func appendJSONFloat(b []byte, v float64, bits int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	n := len(b)
	b = strconv.AppendFloat(b, v, 'g', -1, bits)
	// A whole number keeps a decimal point ("0.0", as Python's json
	// writes floats): readers infer a column's type from the values, and
	// a float column written as "0" in one file is int64 there, which
	// made datasets.load_dataset("json") fail on the next file's 0.5.
	if !bytes.ContainsAny(b[n:], ".eE") {
		b = append(b, '.', '0')
	}
	return b
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes
// U+FFFD, as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i += size
			start = i
			continue
		}
		// U+2028 and U+2029 are valid JSON but end lines in JavaScript.
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
