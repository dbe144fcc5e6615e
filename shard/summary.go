package shard

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Summary is what `sieve inspect` shows of a shard; its JSON form is the
// --json output.
type Summary struct {
	Path    string       `json:"path"`
	Format  Format       `json:"format"`
	Schema  []ColumnInfo `json:"schema"`
	Batches int          `json:"batches"`
	Rows    int64        `json:"rows"`
	First   []Row        `json:"first"`
}

// ColumnInfo describes one column.
type ColumnInfo struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Nullable bool   `json:"nullable"`
}

// Row is one row (or struct value) as JSON-safe values, in column order.
type Row struct {
	Names  []string
	Values []any
}

// MarshalJSON keeps the column order (a map would sort it).
func (r Row) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, n := range r.Names {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := jsonNoEscape(n)
		if err != nil {
			return nil, err
		}
		v, err := jsonNoEscape(r.Values[i])
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func jsonNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// Summarize reads the whole shard (a stream has no row count up front) but
// keeps only its first n rows, so memory stays at one batch. Strings longer
// than width characters are cut (width 0: never).
func Summarize(path string, n, width int) (*Summary, error) {
	format, err := DetectFormat(path)
	if err != nil {
		return nil, err
	}
	r, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	s := &Summary{Path: path, Format: format, First: []Row{}}
	var names []string
	for _, f := range r.Schema().Fields() {
		s.Schema = append(s.Schema, ColumnInfo{Name: f.Name, Type: f.Type.String(), Nullable: f.Nullable})
		names = append(names, f.Name)
	}
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return s, nil
		}
		if err != nil {
			return nil, fmt.Errorf("batch %d: %w", s.Batches, err)
		}
		s.Batches++
		if err := s.keepRows(rec, names, n, width); err != nil {
			return nil, err
		}
		s.Rows += rec.NumRows()
	}
}

func (s *Summary) keepRows(rec arrow.RecordBatch, names []string, n, width int) (err error) {
	defer recoverInto(&err)
	for i := 0; i < int(rec.NumRows()) && len(s.First) < n; i++ {
		row := Row{Names: names}
		for c := range names {
			row.Values = append(row.Values, cellValue(rec.Column(c), i, width))
		}
		s.First = append(s.First, row)
	}
	return nil
}

// cellValue turns one cell into a JSON-safe value: strings cut to width
// characters, non-finite floats as strings, structs as Rows.
func cellValue(col arrow.Array, i, width int) any {
	if col.IsNull(i) {
		return nil
	}
	switch c := col.(type) {
	case *array.String:
		return cut(c.Value(i), width)
	case *array.LargeString:
		return cut(c.Value(i), width)
	case *array.Float32:
		return finite(float64(c.Value(i)))
	case *array.Float64:
		return finite(c.Value(i))
	case *array.Struct:
		st := c.DataType().(*arrow.StructType)
		row := Row{}
		for j, f := range st.Fields() {
			row.Names = append(row.Names, f.Name)
			row.Values = append(row.Values, cellValue(c.Field(j), i, width))
		}
		return row
	}
	return col.GetOneForMarshal(i)
}

func finite(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprint(v)
	}
	return v
}

// cut shortens s to width characters, saying how long it was.
func cut(s string, width int) string {
	if width <= 0 || len(s) <= width {
		return s
	}
	n := 0
	for i := range s {
		if n == width {
			return fmt.Sprintf("%s… (%d bytes)", s[:i], len(s))
		}
		n++
	}
	return s
}

// WriteText prints the summary for people: one line per column and field.
func (s *Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	kind := "Arrow IPC " + string(s.Format)
	if s.Format == FormatParquet {
		kind = "Parquet"
	}
	fmt.Fprintf(&b, "%s\nformat: %s\nrows: %d in %d record batches\nschema:\n", s.Path, kind, s.Rows, s.Batches)
	for _, c := range s.Schema {
		fmt.Fprintf(&b, "  %-16s %s\n", c.Name, c.Type)
	}
	for i, row := range s.First {
		fmt.Fprintf(&b, "\nrow %d:\n", i)
		for j, name := range row.Names {
			v, err := jsonNoEscape(row.Values[j])
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "  %-16s %s\n", name, v)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
