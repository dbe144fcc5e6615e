package shard

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Strings reads a string column whatever its Arrow encoding: utf8,
// large_utf8 (polars before string views), string_view (polars' writeIPC)
// or dictionary-encoded strings (pandas and polars categoricals, the
// default of apache-arrow JS for strings).
type Strings interface {
	Len() int
	IsNull(i int) bool
	Value(i int) string
}

// StringsOf checks a column read from disk and returns a reader for its
// values. The checks are what arrow-go leaves to the caller: offsets that
// never decrease, views inside their data buffers, dictionary indices
// inside the dictionary. A damaged column gives an error, so Value cannot
// index out of range. Invalid UTF-8 is tolerated (the writer repairs it).
func StringsOf(a arrow.Array) (Strings, error) {
	switch c := a.(type) {
	case *array.String:
		if err := validOffsets(c.Validate(), c.ValueOffsets()); err != nil {
			return nil, err
		}
		return c, nil
	case *array.LargeString:
		if err := validOffsets(c.Validate(), c.ValueOffsets()); err != nil {
			return nil, err
		}
		return c, nil
	case *array.StringView:
		// BinaryView's full check is StringView's without the UTF-8 one.
		if err := array.NewBinaryViewData(c.Data()).ValidateFull(); err != nil {
			return nil, err
		}
		return c, nil
	case *array.Dictionary:
		vals, err := StringsOf(c.Dictionary())
		if err != nil {
			return nil, fmt.Errorf("dictionary: %w", err)
		}
		idx := c.Indices()
		if err := checkLayout("dictionary indices", idx); err != nil {
			return nil, err
		}
		n := vals.Len()
		for i := 0; i < c.Len(); i++ {
			if c.IsValid(i) {
				if j := c.GetValueIndex(i); j < 0 || j >= n {
					return nil, fmt.Errorf("dictionary index %d at row %d is outside the %d-entry dictionary", j, i, n)
				}
			}
		}
		return dictStrings{c, vals}, nil
	}
	return nil, fmt.Errorf("type %s is not a string type (want utf8, large_utf8, string_view or a dictionary of strings)", a.DataType())
}

// IsStringType reports whether StringsOf reads columns of type t.
func IsStringType(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.STRING_VIEW:
		return true
	case arrow.DICTIONARY:
		return IsStringType(t.(*arrow.DictionaryType).ValueType)
	}
	return false
}

type dictStrings struct {
	d    *array.Dictionary
	vals Strings
}

func (s dictStrings) Len() int          { return s.d.Len() }
func (s dictStrings) IsNull(i int) bool { return s.d.IsNull(i) || s.vals.IsNull(s.d.GetValueIndex(i)) }
func (s dictStrings) Value(i int) string {
	return s.vals.Value(s.d.GetValueIndex(i))
}

// validOffsets checks what arrow-go's Validate leaves out: offsets that
// never decrease, so Value(i) cannot slice out of range on damaged input.
// (ValidateFull would also reject invalid UTF-8.)
func validOffsets[T int32 | int64](err error, offs []T) error {
	if err != nil {
		return err
	}
	for i := 1; i < len(offs); i++ {
		if offs[i] < offs[i-1] || offs[i-1] < 0 {
			return fmt.Errorf("offsets decrease at %d", i)
		}
	}
	return nil
}
