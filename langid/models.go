package langid

import (
	"archive/zip"
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	_ "unsafe" // for go:linkname

	_ "github.com/pemistahl/lingua-go"
	"github.com/pemistahl/lingua-go/serialization"
	"google.golang.org/protobuf/proto"
)

// linguaModels is lingua-go's own embedded model folder
// (language-models/<iso>/<n>grams.pb.bin.zip, Apache-2.0). Reading it in
// place, rather than shipping a second copy, keeps 124 MB out of the binary;
// TestMatchesLingua fails if lingua-go ever changes the layout.
//
//go:linkname linguaModels github.com/pemistahl/lingua-go.languageModels
var linguaModels embed.FS

const maxNgram = 5

// Packed n-gram keys: the length in the top 4 bits, then up to five 12-bit
// character indexes, first character highest, so a prefix's key is the
// key with its tail masked off and its length replaced.
const (
	charBits       = 12
	lengthShift    = 60
	maxModelChars  = 3072 // indexes 1..3071 for letters seen in multi-letter n-grams
	firstSpareChar = maxModelChars
	maxCharIndex   = 1<<charBits - 1
)

func charShift(pos int) uint { return uint(lengthShift - charBits*(pos+1)) }

// prefixKey turns a packed n-gram key into the key of its first k letters.
func prefixKey(key uint64, k int) uint64 {
	mask := uint64(1)<<lengthShift - uint64(1)<<charShift(k-1)
	return uint64(k)<<lengthShift | key&mask
}

// unigramKey is the key of a single letter: the rune itself, so letters
// outside the multi-letter index (Han, Hangul, kana) still have one.
func unigramKey(r rune) uint64 { return 1<<lengthShift | uint64(r) }

// modelSet holds lingua's n-gram models as packed tables, one per n-gram
// length, each built on first use and then shared read-only by every
// detector in the process.
type modelSet struct {
	charOnce sync.Once
	charErr  error
	bmpIndex []uint16 // letter -> index for n>=2 keys; 0 = none
	astral   map[rune]uint16

	skipped atomic.Int64 // model n-grams the key packing leaves out

	letters []rune // letter index -> letter (index 0 unused)

	backoffOnce [4]sync.Once
	backoff     [4]*ngramTable // [2], [3]: bigram and trigram tables with back-off folded in

	once   [maxNgram + 1]sync.Once
	tables [maxNgram + 1]*ngramTable
	errs   [maxNgram + 1]error
}

var models modelSet

var ngramFileNames = [maxNgram + 1]string{"", "unigrams", "bigrams", "trigrams", "quadrigrams", "fivegrams"}

// readModel decodes one language's n-gram model; a missing file (lingua has
// no bigram model for some languages) gives an empty model.
func readModel(code string, n int) (*serialization.SerializableLanguageModel, error) {
	name := fmt.Sprintf("language-models/%s/%s.pb.bin.zip", code, ngramFileNames[n])
	zipped, err := linguaModels.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return &serialization.SerializableLanguageModel{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("langid: lingua model %s: %w", name, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil || len(zr.File) == 0 {
		return nil, fmt.Errorf("langid: lingua model %s is not a zip with one file: %v", name, err)
	}
	f, err := zr.File[0].Open()
	if err != nil {
		return nil, fmt.Errorf("langid: lingua model %s: %w", name, err)
	}
	defer f.Close()
	raw, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("langid: lingua model %s: %w", name, err)
	}
	var m serialization.SerializableLanguageModel
	if err := proto.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("langid: lingua model %s: %w", name, err)
	}
	return &m, nil
}

// loadChars builds the letter index from the unigram models, which hold
// every letter any model knows. Letters of the single-letter-word scripts
// (Han, Hangul, kana) never occur inside a longer n-gram of a text, so they
// get no index.
func (ms *modelSet) loadChars() error {
	ms.charOnce.Do(func() {
		set := map[rune]bool{}
		for _, code := range languageCodes {
			m, err := readModel(code, 1)
			if err != nil {
				ms.charErr = err
				return
			}
			for _, s := range m.NgramSets {
				for _, g := range s.Ngrams {
					r, _ := utf8.DecodeRuneInString(g)
					if sc, _ := classOf(r); !isSingleCharWord(sc) {
						set[r] = true
					}
				}
			}
		}
		letters := make([]rune, 0, len(set))
		for r := range set {
			letters = append(letters, r)
		}
		slices.Sort(letters)
		if len(letters) >= maxModelChars {
			ms.charErr = fmt.Errorf("langid: lingua's models use %d letters, more than the %d the key packing allows", len(letters), maxModelChars-1)
			return
		}
		ms.setLetters(letters)
	})
	return ms.charErr
}

// setLetters installs the letter index: letters[i] gets index i+1.
func (ms *modelSet) setLetters(letters []rune) {
	ms.letters = append([]rune{0}, letters...)
	ms.bmpIndex = make([]uint16, bmpTableSize)
	ms.astral = map[rune]uint16{}
	for i, r := range letters {
		if r < bmpTableSize {
			ms.bmpIndex[r] = uint16(i + 1)
		} else {
			ms.astral[r] = uint16(i + 1)
		}
	}
}

// charIndex returns the letter's index for multi-letter keys, 0 if no model
// holds it.
func (ms *modelSet) charIndex(r rune) uint16 {
	if r >= 0 && r < bmpTableSize {
		return ms.bmpIndex[r]
	}
	return ms.astral[r]
}

// table returns the packed table for n-grams of length n, building it on
// first use.
func (ms *modelSet) table(n int) (*ngramTable, error) {
	ms.once[n].Do(func() {
		if err := ms.loadChars(); err != nil {
			ms.errs[n] = err
			return
		}
		ms.tables[n], ms.errs[n] = ms.build(n)
	})
	return ms.tables[n], ms.errs[n]
}

// backoffTable returns the table of n-grams (n = 2 or 3) with lingua's
// back-off to shorter prefixes folded into each entry.
func (ms *modelSet) backoffTable(n int) (*ngramTable, error) {
	var err error
	ms.backoffOnce[n].Do(func() {
		var tabs [maxNgram + 1]*ngramTable
		for k := 1; k <= n; k++ {
			if tabs[k], err = ms.table(k); err != nil {
				return
			}
		}
		ms.backoff[n] = buildBackoffTable(n, &tabs, ms.letters)
	})
	if ms.backoff[n] == nil && err == nil {
		_, err = ms.table(n) // the build failed in another call; report why
	}
	return ms.backoff[n], err
}

func (ms *modelSet) build(n int) (*ngramTable, error) {
	perLang := make([]langModel, numLanguages)
	errs := make([]error, numLanguages)
	var wg sync.WaitGroup
	work := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lang := range work {
				perLang[lang], errs[lang] = ms.packModel(lang, n)
			}
		}()
	}
	for lang := range numLanguages {
		work <- lang
	}
	close(work)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	t := buildNgramTable(perLang)
	if n >= 4 {
		// The 4- and 5-gram builds leave a few hundred MB of decoded
		// models behind; hand it back now rather than at the next GCs.
		debug.FreeOSMemory()
	}
	return t, nil
}

// packModel reads one language's model for n-grams of length n as packed
// keys and float32 natural-log probabilities.
func (ms *modelSet) packModel(lang, n int) (langModel, error) {
	m, err := readModel(languageCodes[lang], n)
	if err != nil {
		return langModel{}, err
	}
	out := langModel{keys: make([]uint64, 0, m.TotalNgrams), logps: make([]float32, 0, m.TotalNgrams)}
	for _, s := range m.NgramSets {
		if !(s.Probability > 0) {
			continue // lingua counts only n-grams with probability > 0
		}
		logp := float32(math.Log(s.Probability))
		for _, g := range s.Ngrams {
			key, ok := ms.packString(g, n)
			if !ok {
				// A multi-letter n-gram with a Han, Hangul or kana letter:
				// lingua makes those letters words of their own, so such
				// an n-gram only occurs in a text where a run of other
				// letters runs on into Han. Left out and counted.
				ms.skipped.Add(1)
				continue
			}
			out.keys = append(out.keys, key)
			out.logps = append(out.logps, logp)
		}
	}
	return out, nil
}

func (ms *modelSet) packString(g string, n int) (uint64, bool) {
	if n == 1 {
		r, size := utf8.DecodeRuneInString(g)
		return unigramKey(r), size == len(g) && size > 0
	}
	key := uint64(n) << lengthShift
	pos := 0
	for _, r := range g {
		if pos >= n {
			return 0, false
		}
		c := ms.charIndex(r)
		if c == 0 {
			return 0, false
		}
		key |= uint64(c) << charShift(pos)
		pos++
	}
	return key, pos == n
}
