package extract

import (
	"bytes"
	"strings"

	"github.com/gogs/chardet"
)

// sniffSampleBytes bounds the text fed to the statistical detector, which
// costs about 0.3 ms per KiB: enough text for its byte-pair statistics,
// little enough that a misdeclared page does not cost more than its parse.
const sniffSampleBytes = 8 << 10

// sniffCharset guesses the charset of undeclared or misdeclared bytes with
// chardet (a port of ICU's detector: byte-pair statistics per language).
// Only charsets the decoder knows are accepted, and a multi-byte guess must
// decode cleanly.
func sniffCharset(raw []byte) (knownCharset, bool) {
	sample := textSample(raw, sniffSampleBytes)
	if len(sample) == 0 {
		return knownCharset{}, false
	}
	results, err := chardet.NewTextDetector().DetectAll(sample)
	if err != nil {
		return knownCharset{}, false
	}
	for _, r := range results {
		label := strings.ToLower(r.Charset)
		if label == "utf-8" || strings.HasPrefix(label, "utf-16") || strings.HasPrefix(label, "utf-32") {
			continue // the caller already found the bytes are not UTF-8
		}
		c, ok := lookupCharset(label)
		if !ok {
			continue
		}
		if c.multiByte && decodeErrorRate(c.enc, sample) > 0.02 {
			continue
		}
		return c, true
	}
	return knownCharset{}, false
}

// textSample collects up to max bytes of the page's text runs that hold
// non-ASCII bytes, skipping markup, scripts and styles: the detector should
// see prose, not code, which is ASCII and dilutes its statistics.
func textSample(raw []byte, max int) []byte {
	out := make([]byte, 0, max)
	for i := 0; i < len(raw) && len(out) < max; {
		lt := bytes.IndexByte(raw[i:], '<')
		if lt < 0 {
			out = appendHighRun(out, raw[i:], max)
			break
		}
		out = appendHighRun(out, raw[i:i+lt], max)
		i += lt
		// Skip the whole element for script and style, else the tag.
		skipTo := ">"
		if hasPrefixFold(raw[i:], "<script") {
			skipTo = "</script"
		} else if hasPrefixFold(raw[i:], "<style") {
			skipTo = "</style"
		}
		j := indexFold(raw[i+1:], skipTo)
		if j < 0 {
			break
		}
		i += 1 + j + len(skipTo)
	}
	return out
}

func hasPrefixFold(b []byte, lowerPrefix string) bool {
	return len(b) >= len(lowerPrefix) && indexFold(b[:len(lowerPrefix)], lowerPrefix) == 0
}

func appendHighRun(out, run []byte, max int) []byte {
	for _, c := range run {
		if c >= 0x80 {
			n := min(len(run), max-len(out))
			return append(append(out, run[:n]...), ' ')
		}
	}
	return out
}
