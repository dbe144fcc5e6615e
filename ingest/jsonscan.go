package ingest

import (
	"encoding/json"
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// JSONL lines are split into their top-level keys and raw values with one
// pass over the bytes, and string values without escapes are taken as
// they are: encoding/json would validate the whole line, copy every value
// and then scan the text again to decode it, four passes over the largest
// field. Every value is still checked: strings here (no control
// characters, valid UTF-8, escapes through encoding/json), other values by
// json.Valid on their span, so a line this accepts is one encoding/json
// accepts (FuzzJSONObject checks it against encoding/json).

var errNotObject = errors.New("not a JSON object")

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// scanString returns the end (after the closing quote) of the string
// starting at b[i] == '"', and whether it holds an escape.
func scanString(b []byte, i int) (end int, escaped bool, err error) {
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return j + 1, escaped, nil
		case c == '\\':
			escaped = true
			j++
			if j >= len(b) {
				break
			}
			switch b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if _, ok := hex4(b, j+1); !ok {
					return 0, false, errors.New("bad \\u escape")
				}
				j += 4
			default:
				return 0, false, errors.New("bad escape")
			}
		case c < 0x20:
			return 0, false, errors.New("control character in a string")
		}
	}
	return 0, false, errors.New("unterminated string")
}

// scanValue returns the end of the value starting at b[i].
func scanValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errors.New("missing value")
	}
	switch b[i] {
	case '"':
		end, _, err := scanString(b, i)
		return end, err
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, _, err := scanString(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errors.New("unterminated value")
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && !isSpace(b[j]) {
		j++
	}
	if j == i {
		return 0, errors.New("missing value")
	}
	return j, nil
}

// decodeString decodes a JSON string value (with its quotes) as
// encoding/json does: escapes undone, invalid UTF-8 and lone surrogates
// replaced by U+FFFD. A string without escapes is copied as it is.
func decodeString(v []byte) (string, error) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", errors.New("not a string")
	}
	inner := v[1 : len(v)-1]
	plain := true
	for _, c := range inner {
		if c == '\\' || c < 0x20 || c == '"' {
			plain = false
			break
		}
	}
	if plain && utf8.Valid(inner) {
		return string(inner), nil
	}
	out := make([]byte, 0, len(inner))
	for i := 0; i < len(inner); {
		c := inner[i]
		switch {
		case c == '\\':
			if i+1 >= len(inner) {
				return "", errors.New("bad escape")
			}
			i++
			switch e := inner[i]; e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := hex4(inner, i+1)
				if !ok {
					return "", errors.New("bad \\u escape")
				}
				i += 4
				if utf16.IsSurrogate(r) {
					r2, ok := rune(-1), false
					if i+6 < len(inner) && inner[i+1] == '\\' && inner[i+2] == 'u' {
						r2, ok = hex4(inner, i+3)
					}
					if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
						r = dec
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				out = utf8.AppendRune(out, r)
			default:
				return "", errors.New("bad escape")
			}
			i++
		case c == '"' || c < 0x20:
			return "", errors.New("bad character in a string")
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(inner[i:])
			if r == utf8.RuneError && size == 1 {
				out = append(out, "\uFFFD"...)
			} else {
				out = append(out, inner[i:i+size]...)
			}
			i += size
		}
	}
	return string(out), nil
}

// hex4 reads the four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}

// splitObject returns the top-level keys of a JSON object line and their
// raw values (sub-slices of line). A repeated key keeps its last value,
// as encoding/json does.
func splitObject(line []byte) (map[string]json.RawMessage, error) {
	i := skipSpace(line, 0)
	if i >= len(line) || line[i] != '{' {
		return nil, errNotObject
	}
	obj := make(map[string]json.RawMessage, 8)
	i = skipSpace(line, i+1)
	if i < len(line) && line[i] == '}' {
		if skipSpace(line, i+1) != len(line) {
			return nil, errors.New("data after the object")
		}
		return obj, nil
	}
	for {
		if i >= len(line) || line[i] != '"' {
			return nil, errors.New("expected a key")
		}
		kend, _, err := scanString(line, i)
		if err != nil {
			return nil, err
		}
		key, err := decodeString(line[i:kend])
		if err != nil {
			return nil, err
		}
		i = skipSpace(line, kend)
		if i >= len(line) || line[i] != ':' {
			return nil, errors.New("expected a colon")
		}
		i = skipSpace(line, i+1)
		vend, err := scanValue(line, i)
		if err != nil {
			return nil, err
		}
		v := line[i:vend]
		// A string's escapes were checked by scanString; invalid UTF-8 is
		// accepted (and replaced when decoded), as encoding/json does.
		if v[0] != '"' && !json.Valid(v) {
			return nil, errors.New("invalid value")
		}
		obj[key] = v
		i = skipSpace(line, vend)
		if i >= len(line) {
			return nil, errors.New("unterminated object")
		}
		if line[i] == '}' {
			if skipSpace(line, i+1) != len(line) {
				return nil, errors.New("data after the object")
			}
			return obj, nil
		}
		if line[i] != ',' {
			return nil, errors.New("expected a comma")
		}
		i = skipSpace(line, i+1)
	}
}
