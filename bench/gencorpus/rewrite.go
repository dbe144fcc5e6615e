package main

import (
	"bytes"
	"math/rand/v2"
	"strings"
)

// rewriteText replaces every long text run of an HTML page (outside script,
// style and tags) with real sentences of one language of about the same
// length. The markup, and so the page size and the extractor's work, stay
// those of the real page; the text becomes new, so each page is unique.
func rewriteText(html []byte, lang language, rng *rand.Rand) []byte {
	return mapText(html, func(run []byte) []byte {
		if len(bytes.TrimSpace(run)) < 40 {
			return run
		}
		var b strings.Builder
		for b.Len() < len(run) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(lang.sentences[rng.IntN(len(lang.sentences))])
		}
		return []byte(b.String())
	})
}

// nearDuplicate makes a small edit, as a republished copy would: in a few
// text runs, one word is dropped or doubled.
func nearDuplicate(html []byte, rng *rand.Rand) []byte {
	return mapText(html, func(run []byte) []byte {
		if len(run) < 80 || rng.IntN(4) != 0 {
			return run
		}
		words := bytes.Fields(run)
		if len(words) < 2 {
			return run
		}
		i := rng.IntN(len(words))
		if rng.IntN(2) == 0 {
			words = append(words[:i], words[i+1:]...)
		} else {
			words = append(words[:i+1], words[i:]...)
		}
		return bytes.Join(words, []byte(" "))
	})
}

// mapText calls f on each text run between tags, skipping the contents of
// script, style and comments. A byte scan, not a parser: it only has to keep
// real markup intact, not understand it.
func mapText(html []byte, f func([]byte) []byte) []byte {
	out := make([]byte, 0, len(html)+len(html)/8)
	lower := asciiLower(html)
	i := 0
	for i < len(html) {
		lt := bytes.IndexByte(html[i:], '<')
		if lt < 0 {
			out = append(out, f(html[i:])...)
			break
		}
		out = append(out, f(html[i:i+lt])...)
		i += lt
		end := tagEnd(lower, i)
		out = append(out, html[i:end]...)
		i = end
	}
	return out
}

// tagEnd returns where the markup starting at i ends: after the tag, or after
// the closing tag for script and style, or after the comment.
func tagEnd(lower []byte, i int) int {
	rest := lower[i:]
	var closer string
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		closer = "-->"
	case bytes.HasPrefix(rest, []byte("<script")):
		closer = "</script>"
	case bytes.HasPrefix(rest, []byte("<style")):
		closer = "</style>"
	default:
		closer = ">"
	}
	j := bytes.Index(rest[1:], []byte(closer))
	if j < 0 {
		return len(lower)
	}
	return i + 1 + j + len(closer)
}

// asciiLower lowers ASCII letters only, so offsets stay those of the input
// (bytes.ToLower changes lengths on invalid UTF-8 and some letters).
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}
