package data

import (
	"bytes"
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// UT1's web-site category lists (Université Toulouse Capitole, CC BY-SA
// 4.0): ut1/domains.tsv.zst holds one "domain<TAB>cat1,cat2" line per
// listed domain or host, sorted by domain; ut1/global_usage is UT1's
// catalogue of the categories. The lists are loaded on first use (about
// 370,000 entries, 13 MB in memory, ~0.04 s CPU), not at start-up. They
// are compressed with zstd rather than gzip: every run loads them (the
// domain report), and zstd decodes the 10 MB in under half of gunzip's
// time (~20 against ~45 ms), from a smaller file.

//go:embed ut1/domains.tsv.zst ut1/global_usage
var ut1Files embed.FS

// SiteCategories answers which UT1 categories a host is listed in.
type SiteCategories struct {
	names []string          // category names, sorted; bit i of a mask is names[i]
	index map[string]int    // name → bit
	desc  map[string]string // name → English description from global_usage
	blob  string            // all domains, concatenated in sorted order
	ends  []uint32          // ends[i] is the end of domain i in blob
	masks []uint64          // masks[i] are domain i's categories
}

var (
	ut1Once sync.Once
	ut1     *SiteCategories
	ut1Err  error
)

// UT1 returns the shipped UT1 category lists, loading them on first call.
func UT1() (*SiteCategories, error) {
	ut1Once.Do(func() {
		zs, err := ut1Files.ReadFile("ut1/domains.tsv.zst")
		if err != nil {
			ut1Err = err
			return
		}
		cat, _ := ut1Files.ReadFile("ut1/global_usage")
		tsv, err := decompress(zs)
		if err == nil {
			ut1, err = parseSiteCategories(tsv, cat)
		}
		if err != nil {
			ut1Err = fmt.Errorf("data/ut1/domains.tsv.zst: %w", err)
		}
	})
	return ut1, ut1Err
}

// decompress decodes the zstd list in one call (~10 MB, freed after
// parsing), on the calling goroutine.
func decompress(zs []byte) ([]byte, error) {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.DecodeAll(zs, make([]byte, 0, 12<<20))
}

// parseSiteCategories parses the decompressed list. The whole list at once:
// one pass over it with IndexByte, and the slices sized from its line
// count, cost a fraction of a line scanner's copies and growth. Many
// domains share a category list ("adult"): a list's mask is looked up,
// not split again.
func parseSiteCategories(tsv []byte, catalogue []byte) (*SiteCategories, error) {
	data := bytes.TrimSuffix(tsv, []byte("\n")) // the final newline
	n := bytes.Count(data, []byte("\n")) + 1
	sc := &SiteCategories{index: map[string]int{}, desc: parseCatalogue(catalogue),
		ends: make([]uint32, 0, n), masks: make([]uint64, 0, n)}
	blob := make([]byte, 0, len(data))
	maskOf := map[string]uint64{}
	var prev []byte
	for line := 1; len(data) > 0; line++ {
		l := data
		if k := bytes.IndexByte(data, '\n'); k >= 0 {
			l, data = data[:k], data[k+1:]
		} else {
			data = nil
		}
		domain, cats, ok := bytes.Cut(l, []byte("\t"))
		if !ok || len(domain) == 0 || len(cats) == 0 {
			return nil, fmt.Errorf("line %d: want domain<TAB>categories", line)
		}
		if bytes.Compare(domain, prev) <= 0 {
			return nil, fmt.Errorf("line %d: %q is not after %q (the file must be sorted)", line, domain, prev)
		}
		prev = domain
		mask, ok := maskOf[string(cats)]
		if !ok {
			for _, c := range strings.Split(string(cats), ",") {
				bit, ok := sc.index[c]
				if !ok {
					if len(sc.names) == 64 {
						return nil, fmt.Errorf("line %d: more than 64 categories", line)
					}
					bit = len(sc.names)
					sc.index[c] = bit
					sc.names = append(sc.names, c)
				}
				mask |= 1 << bit
			}
			maskOf[string(cats)] = mask
		}
		blob = append(blob, domain...)
		sc.ends = append(sc.ends, uint32(len(blob)))
		sc.masks = append(sc.masks, mask)
	}
	sc.blob = string(blob)
	// Bits were given in order of first appearance; the names list stays
	// in that order (Names sorts a copy).
	return sc, nil
}

// parseCatalogue reads global_usage's "NAME:" and "DESC EN:" lines.
func parseCatalogue(b []byte) map[string]string {
	out := map[string]string{}
	name := ""
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "NAME:"); ok {
			name = strings.TrimSpace(v)
		} else if v, ok := strings.CutPrefix(l, "DESC EN:"); ok && name != "" {
			out[name] = strings.TrimSpace(v)
		}
	}
	return out
}

func (s *SiteCategories) domain(i int) string {
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.blob[start:s.ends[i]]
}

// listed returns the categories of exactly this domain or host.
func (s *SiteCategories) listed(h string) uint64 {
	i := sort.Search(len(s.ends), func(i int) bool { return s.domain(i) >= h })
	if i < len(s.ends) && s.domain(i) == h {
		return s.masks[i]
	}
	return 0
}

// Lookup returns the categories a host belongs to, as a mask over Names's
// bits (Bit). host and its registered domain are looked up; with parents,
// so is every domain between them (squidGuard's reading of the lists:
// a listed host covers the hosts below it). domain may be "".
func (s *SiteCategories) Lookup(host, domain string, parents bool) uint64 {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	var m uint64
	if host != "" {
		m |= s.listed(host)
	}
	if domain != "" && domain != host {
		m |= s.listed(domain)
	}
	if parents {
		for h := host; h != "" && h != domain; {
			_, rest, ok := strings.Cut(h, ".")
			if !ok || !strings.Contains(rest, ".") {
				break // a bare TLD is no site
			}
			h = rest
			m |= s.listed(h)
		}
	}
	return m
}

// Names returns the category names in bit order.
func (s *SiteCategories) Names() []string { return s.names }

// Bit returns the mask bit of a category name, and whether it exists.
func (s *SiteCategories) Bit(name string) (uint64, bool) {
	i, ok := s.index[name]
	if !ok {
		return 0, false
	}
	return 1 << i, true
}

// Description is the English description UT1's catalogue gives a
// category, or "".
func (s *SiteCategories) Description(name string) string { return s.desc[name] }

// Len is the number of listed domains and hosts.
func (s *SiteCategories) Len() int { return len(s.ends) }
