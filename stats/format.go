package stats

import (
	"fmt"
	"strconv"
	"strings"
)

// Number formats shared by report.md and report.html (and by the test that
// checks both against report.json).

// FormatInt writes n with thousands separators: 1234567 → "1,234,567".
func FormatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// FormatShare writes a fraction as a percentage with two decimals.
func FormatShare(f float64) string { return fmt.Sprintf("%.2f%%", f*100) }

// FormatDiff writes a share difference in percentage points, signed.
func FormatDiff(f float64) string { return fmt.Sprintf("%+.2f pp", f*100) }

// FormatFloat writes f with one decimal.
func FormatFloat(f float64) string { return fmt.Sprintf("%.1f", f) }

// FormatScore writes a language score with three decimals.
func FormatScore(f float64) string { return fmt.Sprintf("%.3f", f) }

func formatBytes(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.2f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.2f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

func sortByRate(rows []LanguageRow) {
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && (rows[j].TokensPer1000Chars > rows[j-1].TokensPer1000Chars ||
			rows[j].TokensPer1000Chars == rows[j-1].TokensPer1000Chars && rows[j].Language < rows[j-1].Language); j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}

// FormatRatio writes a ratio with two decimals and "×", or "–" for none.
func FormatRatio(f *float64) string {
	if f == nil {
		return "–"
	}
	return fmt.Sprintf("%.2f×", *f)
}

// FormatTail marks a long-tail language.
func FormatTail(b bool) string {
	if b {
		return "long tail"
	}
	return ""
}
