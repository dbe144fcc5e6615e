package main

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// The docs corpus (-corpus docs): text-dense pages with light markup, the
// second bench corpus of issue 17. Its pages are the HTML manuals of Debian
// documentation packages, unpacked under -docs by bench/run (the Debian
// installation guide in 19 languages, the Debian Administrator's Handbook in
// 26), so the text is real prose in many languages and scripts and the
// markup is DocBook's. Each chosen page is written -copies times, on
// different URLs, in a shuffled order across the files: a run's dedup
// removes (copies-1)/copies of the pages that survive the filters, a share
// known in advance.

// untranslatedJaccard is the word 5-shingle Jaccard similarity to the same
// page in the reference language (en, en-US) from which a translated page
// counts as untranslated and is left out of the pool: MinHash dedup (14
// bands of 8, datatrove's default) would remove such a page with its
// original and blur the known dedup share. At 0.3 the chance of a MinHash
// match is ~0.1%.
const untranslatedJaccard = 0.3

// langDir is a directory named like a language: en, de, zh_CN, pt-BR, ca-ES.
var langDir = regexp.MustCompile(`^[a-z]{2,3}([-_][A-Za-z]{2,4})?$`)

// docPage is one page of a documentation package.
type docPage struct {
	page
	pkg, lang, file string
}

// docPool is the pages a docs corpus draws from, with what was left out.
type docPool struct {
	pages        []docPage
	untranslated int // left out: mostly the reference language's text
	duplicate    int // left out: the same bytes as a page already in
	small        int // left out: under 512 bytes
}

// loadDocPool reads every *.html file under root whose directory is named
// like a language; the package is the path between root (and usr/share/doc)
// and that directory. Walk order is lexical, so the pool is deterministic.
func loadDocPool(root string) (*docPool, error) {
	pool := &docPool{}
	seen := map[uint64]bool{}
	var paths []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".html") && langDir.MatchString(filepath.Base(filepath.Dir(p))) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the documentation pages: %w", err)
	}
	sort.Strings(paths)
	shingleCache := map[string]map[uint64]struct{}{}
	shinglesOf := func(p string) (map[uint64]struct{}, error) {
		if s, ok := shingleCache[p]; ok {
			return s, nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		s := shingles(b)
		shingleCache[p] = s
		return s, nil
	}
	for _, p := range paths {
		body, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if len(body) < 512 {
			pool.small++
			continue
		}
		h := fnv.New64a()
		h.Write(body)
		sum := h.Sum64()
		if seen[sum] {
			pool.duplicate++
			continue
		}
		langPath := filepath.Dir(p)
		lang, group := filepath.Base(langPath), filepath.Dir(langPath)
		if ref := referenceLanguage(group); ref != "" && ref != lang {
			counterpart := filepath.Join(group, ref, filepath.Base(p))
			if _, err := os.Stat(counterpart); err == nil {
				a, err := shinglesOf(p)
				if err != nil {
					return nil, err
				}
				b, err := shinglesOf(counterpart)
				if err != nil {
					return nil, err
				}
				if jaccard(a, b) >= untranslatedJaccard {
					pool.untranslated++
					continue
				}
			}
		}
		seen[sum] = true
		pkg, _ := filepath.Rel(root, group)
		pkg = strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(pkg), "usr/share/doc/"), "/html")
		ct := "text/html; charset=UTF-8"
		if !utf8.Valid(body) {
			ct = "text/html" // the page's meta tag gives the charset
		}
		pool.pages = append(pool.pages, docPage{page: page{name: p, body: body, contentType: ct}, pkg: pkg, lang: lang, file: filepath.Base(p)})
	}
	if len(pool.pages) == 0 {
		return nil, fmt.Errorf("no documentation pages under %s (bench/run unpacks them there)", root)
	}
	return pool, nil
}

// referenceLanguage is the English directory of a package's translations.
func referenceLanguage(group string) string {
	for _, l := range []string{"en", "en-US", "en_US"} {
		if fi, err := os.Stat(filepath.Join(group, l)); err == nil && fi.IsDir() {
			return l
		}
	}
	return ""
}

// shingles hashes the word 5-grams of a page's text (tags, script and style
// left out). Han, kana and Thai characters count as one word each, since
// those scripts do not separate words by spaces.
func shingles(html []byte) map[uint64]struct{} {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	mapText(html, func(run []byte) []byte {
		for _, r := range string(run) {
			switch {
			case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai):
				flush()
				words = append(words, string(r))
			case unicode.IsLetter(r) || unicode.IsNumber(r):
				cur.WriteRune(unicode.ToLower(r))
			default:
				flush()
			}
		}
		flush()
		return run
	})
	set := map[uint64]struct{}{}
	for i := 0; i+5 <= len(words); i++ {
		h := fnv.New64a()
		for _, w := range words[i : i+5] {
			h.Write([]byte(w))
			h.Write([]byte{0})
		}
		set[h.Sum64()] = struct{}{}
	}
	return set
}

func jaccard(a, b map[uint64]struct{}) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for k := range a {
		if _, ok := b[k]; ok {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// docsStats is what a docs corpus holds, printed so a reader can check it.
type docsStats struct {
	unique, responses, htmlBytes, warcBytes int64
	langs, pkgs                             map[string]int // unique pages
}

// recordOverhead estimates a fetch's bytes besides the page (request,
// metadata and the WARC and HTTP headers) when choosing how many pages fill
// -size; the actual size is printed.
const recordOverhead = 2000

// runDocs writes the docs corpus: pages drawn without replacement from the
// pool in a seeded order until copies×(pages+overhead) reaches total, each
// written copies times, the copies shuffled across files.
func runDocs(out string, total int64, seed uint64, files, copies int, root string) error {
	if copies < 1 {
		return fmt.Errorf("-copies must be at least 1")
	}
	pool, err := loadDocPool(root)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 0)) // the files use streams 1..files
	order := rng.Perm(len(pool.pages))
	var chosen []int
	var est int64
	for _, i := range order {
		if est >= total {
			break
		}
		chosen = append(chosen, i)
		est += int64(copies) * int64(len(pool.pages[i].body)+recordOverhead)
	}
	if est < total {
		return fmt.Errorf("-size %d MB is more than the pool holds: %d pages, ~%d MB at -copies %d (raise -copies or lower -size)",
			total>>20, len(pool.pages), est>>20, copies)
	}
	records := make([]int, 0, len(chosen)*copies)
	for _, i := range chosen {
		for range copies {
			records = append(records, i)
		}
	}
	rng.Shuffle(len(records), func(a, b int) { records[a], records[b] = records[b], records[a] })
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, files)
	written := make([]int64, files)
	sem := make(chan struct{}, 2)
	for f := range files {
		part := records[f*len(records)/files : (f+1)*len(records)/files]
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			name := filepath.Join(out, fmt.Sprintf("DOCS-BENCH-%05d.warc.gz", f))
			errs[f] = writeAtomic(name, func(w io.Writer) error {
				g := newFileGen(w, nil, seed, f, filepath.Base(name))
				if err := g.writeInfo(); err != nil {
					return err
				}
				for _, i := range part {
					p := pool.pages[i]
					g.now = g.now.Add(time.Duration(g.rng.IntN(2000)) * time.Millisecond)
					if err := g.writeCapture(g.docURL(p), "200 OK", p.contentType, nil, p.body); err != nil {
						return err
					}
				}
				written[f] = g.ww.bytes
				return nil
			})
		}()
	}
	wg.Wait()
	st := docsStats{unique: int64(len(chosen)), responses: int64(len(records)), langs: map[string]int{}, pkgs: map[string]int{}}
	for f, e := range errs {
		if e != nil {
			return e
		}
		st.warcBytes += written[f]
	}
	for _, i := range chosen {
		p := pool.pages[i]
		st.htmlBytes += int64(len(p.body)) * int64(copies)
		st.langs[p.lang]++
		st.pkgs[p.pkg]++
	}
	fmt.Printf("gencorpus: docs pool: %d pages under %s (left out: %d untranslated, %d duplicate, %d small)\n",
		len(pool.pages), root, pool.untranslated, pool.duplicate, pool.small)
	fmt.Printf("gencorpus: %s\n", st)
	return nil
}

func (s docsStats) String() string {
	return fmt.Sprintf("%.1f MB uncompressed; %d unique pages × %d copies = %d HTML responses (dedup removes %d), %.1f KB of HTML per page; unique pages by package %s; %d language directories %s",
		float64(s.warcBytes)/(1<<20), s.unique, s.responses/max(s.unique, 1), s.responses, s.responses-s.unique,
		float64(s.htmlBytes)/float64(max(s.responses, 1))/1024, sortedCounts(s.pkgs), len(s.langs), sortedCounts(s.langs))
}

func sortedCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// docURL puts a page on one of ~100k mirror hosts, under its package and
// language as documentation sites do.
func (g *fileGen) docURL(p docPage) string {
	h := g.rng.IntN(100000)
	return fmt.Sprintf("https://docs.%s%s%d.%s/manual/%s/%s/%s", hostWords[h%len(hostWords)], hostWords[(h/20)%len(hostWords)], h,
		tlds[(h/7)%len(tlds)], p.pkg, p.lang, p.file)
}

// writeAtomic writes a file through fill into name.tmp and renames it.
func writeAtomic(name string, fill func(io.Writer) error) error {
	f, err := os.Create(name + ".tmp")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name + ".tmp")
		return err
	}
	return os.Rename(name+".tmp", name)
}
