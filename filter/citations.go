package filter

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// removeCitations is citationRE.ReplaceAllString(line, ""): it removes
// "[" digits "]", "[edit]" and "[citation needed]", left to right.
func removeCitations(line string) string {
	i := strings.IndexByte(line, '[')
	if i < 0 {
		return line
	}
	var b strings.Builder
	last := 0
	for i >= 0 {
		if n := citationLen(line[i:]); n > 0 {
			if b.Len() == 0 {
				b.Grow(len(line))
			}
			b.WriteString(line[last:i])
			last = i + n
			i += n
		} else {
			i++
		}
		k := strings.IndexByte(line[i:], '[')
		if k < 0 {
			break
		}
		i += k
	}
	if last == 0 {
		return line
	}
	b.WriteString(line[last:])
	return b.String()
}

// citationLen returns the length of the citation s starts with, 0 for none
// (s starts with "[").
func citationLen(s string) int {
	j := 1
	for j < len(s) {
		r, size := rune(s[j]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[j:])
		}
		if !unicode.Is(unicode.Nd, r) {
			break
		}
		j += size
	}
	if j < len(s) && s[j] == ']' {
		return j + 1
	}
	for _, c := range [...]string{"[edit]", "[citation needed]"} {
		if strings.HasPrefix(s, c) {
			return len(c)
		}
	}
	return 0
}
