package dedup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
)

// Per-document data that clustering needs only for the documents it
// removes (the Jaccard sketch, the keep_highest value, the id) stays on
// disk, not in the index: a "docs" file of fixed records (sketch, value)
// and an "ids" file of the ids, both in the order the documents were read.
const (
	kindDocs  = "DOCS"
	kindIDs   = "IDS_"
	kindKeys  = "KEYS"
	kindPairs = "PAIR"
	kindDecis = "DECI"
)

func docRecordSize(sp spaces) int { return sp.perms + 8 }

type docStoreWriter struct {
	docs, ids *checkedWriter
	rec       []byte
	perms     int
}

func createDocStore(docsPath, idsPath string, sp spaces) (*docStoreWriter, error) {
	d, err := createChecked(docsPath, kindDocs, docRecordSize(sp))
	if err != nil {
		return nil, err
	}
	i, err := createChecked(idsPath, kindIDs, 0)
	if err != nil {
		d.abort()
		return nil, err
	}
	return &docStoreWriter{docs: d, ids: i, rec: make([]byte, docRecordSize(sp)), perms: sp.perms}, nil
}

func (w *docStoreWriter) add(d *scannedDoc) error {
	copy(w.rec, d.sketch)
	binary.LittleEndian.PutUint64(w.rec[w.perms:], math.Float64bits(d.value))
	if err := w.docs.record(w.rec); err != nil {
		return err
	}
	return w.ids.writeBytesRecord([]byte(d.id))
}

func (w *docStoreWriter) close() error {
	if err := w.docs.close(); err != nil {
		w.ids.abort()
		return err
	}
	return w.ids.close()
}

func (w *docStoreWriter) abort() {
	w.docs.abort()
	w.ids.abort()
}

// shardSpan places one input shard in the canonical order: its rows are
// dense positions [Dense, Dense+Rows), stored from record StoreOffset of
// doc store Store.
type shardSpan struct {
	Index       int    `json:"index"`
	Path        string `json:"path"`
	Rows        int    `json:"rows"`
	Store       int    `json:"store"`
	StoreOffset int    `json:"store_offset"`
	Dense       uint64 `json:"dense"`
}

// docStores gives random access to the stored per-document records.
type docStores struct {
	docs    []*os.File
	copies  []func() // remove local copies of remote doc stores
	ids     []string
	spans   []shardSpan // sorted by Dense
	recSize int
	perms   int
}

func openDocStores(docPaths, idPaths []string, spans []shardSpan, sp spaces) (*docStores, error) {
	s := &docStores{ids: idPaths, spans: spans, recSize: docRecordSize(sp), perms: sp.perms}
	sort.Slice(s.spans, func(i, j int) bool { return s.spans[i].Dense < s.spans[j].Dense })
	for _, loc := range docPaths {
		// Records are read at random (ReadAt), so a remote store is copied
		// to local disk once rather than read with one GET per record.
		p, done, err := localCopy(loc)
		if err != nil {
			s.close()
			return nil, err
		}
		s.copies = append(s.copies, done)
		if _, err := verifyChecked(p, kindDocs, s.recSize); err != nil {
			s.close()
			return nil, fmt.Errorf("%s: %w", loc, err)
		}
		f, err := os.Open(p)
		if err != nil {
			s.close()
			return nil, err
		}
		s.docs = append(s.docs, f)
	}
	return s, nil
}

func (s *docStores) locate(dense uint64) (store int, local int64) {
	i := sort.Search(len(s.spans), func(i int) bool { return s.spans[i].Dense > dense }) - 1
	sp := s.spans[i]
	return sp.Store, int64(sp.StoreOffset) + int64(dense-sp.Dense)
}

// record reads the (sketch, value) record of a document into buf.
func (s *docStores) record(dense uint64, buf []byte) ([]byte, float64, error) {
	st, local := s.locate(dense)
	buf = grow(buf, s.recSize)
	if _, err := s.docs[st].ReadAt(buf, checkedHeader+local*int64(s.recSize)); err != nil {
		return nil, 0, fmt.Errorf("doc store %d record %d: %w", st, local, err)
	}
	return buf[:s.perms], math.Float64frombits(binary.LittleEndian.Uint64(buf[s.perms:])), nil
}

// collectIDs returns the ids of the wanted dense positions, reading every
// ids file once, front to back.
func (s *docStores) collectIDs(want map[uint64]string) error {
	// The dense start of each store's k-th shard, in store order.
	byStore := map[int][]shardSpan{}
	for _, sp := range s.spans {
		byStore[sp.Store] = append(byStore[sp.Store], sp)
	}
	var buf []byte
	for st, path := range s.ids {
		list := byStore[st]
		sort.Slice(list, func(i, j int) bool { return list[i].StoreOffset < list[j].StoreOffset })
		r, err := openChecked(path, kindIDs, 0)
		if err != nil {
			return err
		}
		for _, sp := range list {
			for row := 0; row < sp.Rows; row++ {
				if buf, err = r.nextBytes(buf); err != nil {
					r.close()
					return fmt.Errorf("%s: %w", path, err)
				}
				d := sp.Dense + uint64(row)
				if _, ok := want[d]; ok {
					want[d] = string(buf)
				}
			}
		}
		if _, err := r.nextBytes(buf); err == nil {
			r.close()
			return fmt.Errorf("%s: %w: more ids than rows", path, ErrCorrupt)
		} else if !errors.Is(err, io.EOF) {
			r.close()
			return err
		}
		r.close()
	}
	return nil
}

func (s *docStores) close() {
	for _, f := range s.docs {
		f.Close()
	}
	for _, done := range s.copies {
		done()
	}
}
