package filter

import (
	"slices"
	"testing"
)

// ipCandidatesScan is ipCandidates as a byte-by-byte left-to-right scan
// (the implementation before the search went from "." to ":"): the
// reference FuzzIPCandidates holds the fast one to.
func ipCandidatesScan(text string, yield func(int, int)) {
	for i := 0; i < len(text); {
		c := ipByte[text[i]]
		if c&(ipHex|ipColon) == 0 || i > 0 && ipByte[text[i-1]]&ipAlnum != 0 {
			i++
			if c&ipAlnum != 0 {
				for i < len(text) && ipByte[text[i]]&ipAlnum != 0 {
					i++
				}
				i++
			}
			continue
		}
		j, colons, dots := i, 0, 0
		for ; j < len(text); j++ {
			k := ipByte[text[j]]
			if k&(ipHex|ipColon|ipDot) == 0 {
				break
			}
			if k&ipColon != 0 {
				colons++
			} else if k&ipDot != 0 {
				dots++
			}
		}
		end := j
		for end > i && text[end-1] == '.' {
			end--
			dots--
		}
		glued := end < len(text) && ipByte[text[end]]&ipAlnum != 0
		if !glued && end > i && (colons == 0 && dots == 3 || colons >= 2) {
			yield(i, end)
		}
		i = j
	}
}

func spans(find func(string, func(int, int)), s string) (out [][2]int) {
	find(s, func(i, j int) { out = append(out, [2]int{i, j}) })
	return
}

// FuzzIPCandidates checks ipCandidates against the byte-by-byte scan.
func FuzzIPCandidates(f *testing.F) {
	for _, s := range []string{"", "1.2.3.4", "a1.2.3.4", "x 10.0.0.1.", "fe80::1", "e::", "::", "v1.2 and 3.4",
		"see 2001:db8::ff00:42:8329 here", "...1", "time 10:30:15", "a.b.c.d", "ab:cd", "1.2.3", "g12.3.4.5",
		"1.2.3.4g", "1.2.3.4..", ".:1.2.3.4", "x::1 ::2 g:: 1.2.3.4.5 abc.1.2.3", "1.2.3.4:5.6.7.8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := spans(ipCandidates, s), spans(ipCandidatesScan, s)
		if !slices.Equal(got, want) {
			t.Fatalf("ipCandidates(%q) = %v, want %v", s, got, want)
		}
	})
}

func TestIPCandidates(t *testing.T) {
	for s, want := range map[string][][2]int{
		"host 192.168.0.1 up":            {{5, 16}},
		"addr fe80::1.":                  {{5, 12}},
		"Version 1.2 is out. e.g. this":  nil,
		"x1.2.3.4 g12.3.4.5 1.2.3.4.":    {{19, 26}},
		"time 10:30:15 and 1.2.3.4.5":    {{5, 13}},
		"deadbeef:cafe::1 x::y":          {{0, 16}},
		"1.2.3.4x 1.2.3.4, ::":           {{9, 16}, {18, 20}},
		"ab:cd office.1.2.3 .10.0.0.1..": {{20, 28}},
	} {
		if got := spans(ipCandidates, s); !slices.Equal(got, want) {
			t.Errorf("ipCandidates(%q) = %v, want %v", s, got, want)
		}
	}
}
