package filter

import (
	"strings"
	"testing"
)

func fwOutcome(t *testing.T, cfg FineWebQualityConfig, text, lang string) (string, map[string]float64) {
	t.Helper()
	f, err := NewFineWebQuality(cfg)
	must(t, err)
	d := doc(text, lang)
	o := f.Process(d, nil)
	if r := f.Decide(d.Signals, lang); r != o {
		t.Fatalf("Decide %v != Process %v", r, o)
	}
	return o.Reason, d.Signals
}

// fwLines returns n distinct long lines (50+ characters, 8 words), the
// first `punct` of them ending with a period.
func fwLines(n, punct int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = uniqueLine(i, 8)
		if i < punct {
			out[i] += "."
		}
	}
	return out
}

func TestFineWebLinePunct(t *testing.T) {
	def := DefaultFineWebQualityConfig()
	// ratio <= 0.12 drops: 12 of 100 lines drop, 13 keep.
	if r, _ := fwOutcome(t, def, strings.Join(fwLines(100, 12), "\n"), "en"); r != "fineweb_line_punct_ratio" {
		t.Errorf("12/100: %q", r)
	}
	if r, s := fwOutcome(t, def, strings.Join(fwLines(100, 13), "\n"), "en"); r != "" {
		t.Errorf("13/100: %q %v", r, s)
	}
	// Blank lines between blocks do not count as lines.
	if r, _ := fwOutcome(t, def, strings.Join(fwLines(100, 13), "\n\n"), "en"); r != "" {
		t.Errorf("13/100 blank-line separated: %q", r)
	}
	// line_punct_exclude_zero keeps a page with no punctuated line.
	cfg := def
	cfg.LinePunctExcludeZero = true
	if r, _ := fwOutcome(t, cfg, strings.Join(fwLines(100, 0), "\n"), "en"); r != "" {
		t.Errorf("exclude zero: %q", r)
	}
	// Chinese lines end with 。, which counts for zh.
	zh := strings.Repeat("人工智能迈上新台阶，这是一段足够长的中文句子用于测试。\n", 3) + "人工智能迈上新台阶，这是一段足够长的中文句子用于测试二。"
	if r, s := fwOutcome(t, def, zh, "zh"); r == "fineweb_line_punct_ratio" {
		t.Errorf("zh lines ending in 。: %q %v", r, s)
	}
}

func TestFineWebShortLines(t *testing.T) {
	def := DefaultFineWebQualityConfig()
	build := func(long, short int) string {
		ls := fwLines(long, long)
		for i := 0; i < short; i++ {
			ls = append(ls, strings.Repeat("x", 29)+string(rune('a'+i%26))) // 30 chars: short
		}
		return strings.Join(ls, "\n")
	}
	// short (<= 30 chars) ratio >= 0.67 drops: 67/100 drops, 66/100 keeps.
	if r, _ := fwOutcome(t, def, build(33, 67), "en"); r != "fineweb_short_line_ratio" {
		t.Errorf("67/100 short: %q", r)
	}
	if r, s := fwOutcome(t, def, build(34, 66), "en"); r == "fineweb_short_line_ratio" {
		t.Errorf("66/100 short: %q %v", r, s)
	}
}

func TestFineWebCharDup(t *testing.T) {
	def := DefaultFineWebQualityConfig()
	ls := fwLines(40, 40)
	text := strings.Join(append(ls, ls[0]), "\n")
	if r, s := fwOutcome(t, def, text, "en"); r != "fineweb_char_dup_ratio" {
		t.Errorf("one duplicated line (%v): %q", s[SigFineWebCharDupRatio], r)
	}
	f, _ := NewFineWebQuality(def)
	base := map[string]float64{SigFineWebLines: 10, SigFineWebLinePunctRatio: 1}
	base[SigFineWebCharDupRatio] = 0.0099
	if o := f.Decide(base, "en"); o.Drop {
		t.Errorf("char dup 0.0099: %v", o)
	}
	base[SigFineWebCharDupRatio] = 0.01
	if o := f.Decide(base, "en"); o.Reason != "fineweb_char_dup_ratio" {
		t.Errorf("char dup 0.01: %v", o)
	}
}

func TestFineWebNewLineRatio(t *testing.T) {
	f, _ := NewFineWebQuality(DefaultFineWebQualityConfig())
	s := map[string]float64{SigFineWebLines: 10, SigFineWebLinePunctRatio: 1, SigFineWebNewLineRatio: 0.3}
	if o := f.Decide(s, "en"); o.Drop {
		t.Errorf("0.3 newlines per word: %v", o)
	}
	s[SigFineWebNewLineRatio] = 0.30001
	if o := f.Decide(s, "en"); o.Reason != "fineweb_list_ratio" {
		t.Errorf("above 0.3: %v", o)
	}
	// A list of two-word lines: 1 newline per 3 tokens (2 words + ".").
	var ls []string
	for i, w := range filler(200, 5) {
		if i%2 == 1 {
			ls = append(ls, filler(200, 5)[i-1]+" "+w+" and more words here.")
		}
	}
	if r, sig := fwOutcome(t, DefaultFineWebQualityConfig(), strings.Join(ls, "\n"), "en"); r != "" {
		t.Errorf("six-word lines: %q %v", r, sig)
	}
	ls = ls[:0]
	for _, w := range filler(100, 5) {
		ls = append(ls, w+" "+w+".")
	}
	if r, sig := fwOutcome(t, DefaultFineWebQualityConfig(), strings.Join(ls, "\n"), "en"); r != "fineweb_list_ratio" && r != "fineweb_short_line_ratio" {
		t.Errorf("two-word lines: %q %v", r, sig)
	}
}

func TestFineWebEmpty(t *testing.T) {
	if r, _ := fwOutcome(t, DefaultFineWebQualityConfig(), "\n\n  \n", "en"); r != "fineweb_empty" {
		t.Errorf("blank text: %q", r)
	}
}

// TestFineWebComparison: the departure from datatrove as a parameter. A
// ratio equal to its threshold drops in FineWeb v1 (inclusive) and is kept
// by datatrove since its PR #285 (strict).
func TestFineWebComparison(t *testing.T) {
	// 2 of 4 lines are short (ratio 0.5 = short_line_thr); every line ends
	// with a full stop.
	text := "This line is long enough to not count as a short line.\nShort one.\nThis line is also long enough to count as a long line.\nTiny.\n"
	for mode, want := range map[string]string{ComparisonInclusive: "fineweb_short_line_ratio", ComparisonStrict: ""} {
		cfg := DefaultFineWebQualityConfig()
		cfg.Comparison = mode
		cfg.ShortLineThr = 0.5
		cfg.CharDuplicatesRatio = -1
		cfg.NewLineRatio = -1
		f, err := NewFineWebQuality(cfg)
		must(t, err)
		d := doc(text, "en")
		if o := f.Process(d, nil); o.Reason != want {
			t.Errorf("%s: %q, want %q (short-line ratio %v)", mode, o.Reason, want, d.Signals[SigFineWebShortLineRatio])
		}
	}
	// line_punct_ratio equal to its threshold: 1 of 2 lines ends in a full stop.
	text = "This line ends with a full stop.\nThis one does not end with one\n"
	for mode, want := range map[string]string{ComparisonInclusive: "fineweb_line_punct_ratio", ComparisonStrict: ""} {
		cfg := DefaultFineWebQualityConfig()
		cfg.Comparison = mode
		cfg.LinePunctThr = 0.5
		cfg.ShortLineThr, cfg.CharDuplicatesRatio, cfg.NewLineRatio = -1, -1, -1
		f, err := NewFineWebQuality(cfg)
		must(t, err)
		if o := f.Process(doc(text, "en"), nil); o.Reason != want {
			t.Errorf("line punct %s: %q, want %q", mode, o.Reason, want)
		}
	}
	cfg := DefaultFineWebQualityConfig()
	cfg.Comparison = "loose"
	if _, err := NewFineWebQuality(cfg); err == nil {
		t.Error("comparison: loose accepted")
	}
}

// TestFineWebEndPunctuation: FineWeb v1's line-end set by default, another
// set as a parameter. Lines ending in ":" or ";" count only with the latter.
func TestFineWebEndPunctuation(t *testing.T) {
	text := "Here is the first line of this document:\nAnd here comes a second line of text;\nThe third line ends like the others:\n"
	for _, c := range []struct {
		set  []string
		want string
	}{
		{nil, "fineweb_line_punct_ratio"},
		{[]string{".", "!", "?", ":", ";"}, ""},
	} {
		cfg := DefaultFineWebQualityConfig()
		cfg.EndPunctuation = c.set
		cfg.ShortLineThr, cfg.CharDuplicatesRatio, cfg.NewLineRatio = -1, -1, -1
		f, err := NewFineWebQuality(cfg)
		must(t, err)
		if o := f.Process(doc(text, "en"), nil); o.Reason != c.want {
			t.Errorf("end_punctuation %v: %q, want %q", c.set, o.Reason, c.want)
		}
	}
}
