package dedup

import (
	"container/heap"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// The staged mode splits dedup over many tasks, like datatrove's four
// MinHash stages, with files under OUT/dedup/stage:
//
//	Signatures (per task)       manifest/task-T.json, keys/space-SSS/task-T.keys, docs/task-T.{docs,ids}
//	Buckets    (per key space)  pairs/space-SSS.pairs: (first position with the key, position)
//	Clusters   (one task)       decisions, OUT/dedup/removed.arrow, OUT/dedup/stats.json
//	Filter     (per task)       OUT/shards/<name>
//
// Every task is given the same full list of input shards; task T of N
// handles shards T, T+N, T+2N, ... A document's position is (shard index,
// row), which orders documents exactly as the one-process mode does, so
// both modes remove the same documents. Every file is self-verifying
// (count + checksum, see checkedfile.go) and written atomically; the
// manifest is written last, so its presence means the task finished.
//
// Clustering is not a bottleneck as in datatrove (issue 106): it reads the
// pair files sequentially and runs union-find over a uint32 array indexed
// by dense position (see BenchmarkClusterPairs for the measured rate).

// StageDir is the folder of the staged mode's intermediate files.
func StageDir(outDir string) string { return joinLoc(outDir, "dedup", "stage") }

type taskManifest struct {
	Task    int         `json:"task"`
	Tasks   int         `json:"tasks"`
	Inputs  []string    `json:"inputs"`
	Config  Config      `json:"config"`
	Spaces  int         `json:"spaces"`
	Methods []string    `json:"methods"`
	HaveURL bool        `json:"have_url"`
	Shards  []shardSpan `json:"shards"`
	Docs    int64       `json:"docs"`
	NoShing int64       `json:"no_shingles"`
}

func manifestPath(outDir string, task int) string {
	return joinLoc(StageDir(outDir), "manifest", fmt.Sprintf("task-%05d.json", task))
}
func keysPath(outDir string, space, task int) string {
	return joinLoc(StageDir(outDir), "keys", fmt.Sprintf("space-%03d", space), fmt.Sprintf("task-%05d.keys", task))
}
func pairsPath(outDir string, space int) string {
	return joinLoc(StageDir(outDir), "pairs", fmt.Sprintf("space-%03d.pairs", space))
}
func docsPath(outDir string, task int) string {
	return joinLoc(StageDir(outDir), "docs", fmt.Sprintf("task-%05d.docs", task))
}
func idsPath(outDir string, task int) string {
	return joinLoc(StageDir(outDir), "docs", fmt.Sprintf("task-%05d.ids", task))
}
func decisionsPath(outDir string) string { return joinLoc(StageDir(outDir), "decisions") }

func checkTask(tasks, task int) error {
	if tasks < 1 || task < 0 || task >= tasks {
		return fmt.Errorf("task index %d out of range for %d tasks", task, tasks)
	}
	return nil
}

// keyRecord is a key with the position (shard<<32 | row) that had it.
type keyRecord struct{ key, pos uint64 }

func cmpKeyRecord(a, b keyRecord) int {
	if a.key != b.key {
		if a.key < b.key {
			return -1
		}
		return 1
	}
	if a.pos != b.pos {
		if a.pos < b.pos {
			return -1
		}
		return 1
	}
	return 0
}

// Signatures is stage 1: task `task` of `tasks` computes the keys of its
// shards and writes, per key space, a sorted key file, plus its documents'
// sketches and ids.
func Signatures(ctx context.Context, inputs []string, outDir string, cfg Config, tasks, task int) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if err := checkTask(tasks, task); err != nil {
		return err
	}
	if err := checkNoOverwrite(inputs, outDir); err != nil {
		return err
	}
	if len(inputs) >= 1<<31 {
		return errors.New("too many input shards")
	}
	haveURL, err := inputsHaveURL(inputs)
	if err != nil {
		return err
	}
	if cfg.Mode == ModeURL && !haveURL {
		return fmt.Errorf("mode url needs a url column in every shard")
	}
	sp := layoutFor(cfg, haveURL)
	var mine []string
	var idx []int
	for i := task; i < len(inputs); i += tasks {
		mine = append(mine, inputs[i])
		idx = append(idx, i)
	}
	m := taskManifest{Task: task, Tasks: tasks, Inputs: inputs, Config: cfg, Spaces: sp.n, HaveURL: haveURL}
	for s := range sp.n {
		m.Methods = append(m.Methods, sp.method(s))
	}
	spanOf := map[int]int{}
	for k, i := range idx {
		spanOf[i] = k
		m.Shards = append(m.Shards, shardSpan{Index: i, Path: inputs[i], Store: task})
	}
	// A rerun invalidates the old result first.
	if err := store().Remove(ctx, manifestPath(outDir, task)); err != nil {
		return err
	}
	store, err := createDocStore(docsPath(outDir, task), idsPath(outDir, task), sp)
	if err != nil {
		return err
	}
	recs := make([][]keyRecord, sp.n)
	var local int
	err = scanShards(ctx, mine, idx, cfg, sp, func(d *scannedDoc) error {
		if d.row >= 1<<32-1 {
			return fmt.Errorf("shard %s has more than 2^32 rows", inputs[d.shard])
		}
		k := spanOf[d.shard]
		if d.row == 0 {
			m.Shards[k].StoreOffset = local
		}
		m.Shards[k].Rows++
		pos := uint64(d.shard)<<32 | uint64(d.row)
		for s := range sp.n {
			if d.valid[s] {
				recs[s] = append(recs[s], keyRecord{d.keys[s], pos})
			}
		}
		if sp.bands > 0 && !d.valid[sp.firstBand] {
			m.NoShing++
		}
		local++
		return store.add(d)
	})
	if err != nil {
		store.abort()
		return err
	}
	if err := store.close(); err != nil {
		return err
	}
	// Empty shards still need a correct offset.
	off := 0
	for k := range m.Shards {
		m.Shards[k].StoreOffset = off
		off += m.Shards[k].Rows
	}
	m.Docs = int64(local)
	var buf [16]byte
	for s := range sp.n {
		slices.SortFunc(recs[s], cmpKeyRecord)
		w, err := createChecked(keysPath(outDir, s, task), kindKeys, 16)
		if err != nil {
			return err
		}
		for _, r := range recs[s] {
			binary.LittleEndian.PutUint64(buf[0:], r.key)
			binary.LittleEndian.PutUint64(buf[8:], r.pos)
			if err := w.record(buf[:]); err != nil {
				w.abort()
				return err
			}
		}
		if err := w.close(); err != nil {
			return err
		}
		recs[s] = nil
	}
	return writeJSONAtomic(manifestPath(outDir, task), m)
}

// readManifests loads every task's manifest and checks they agree.
func readManifests(outDir string) ([]taskManifest, error) {
	var first taskManifest
	if err := readJSON(manifestPath(outDir, 0), &first); err != nil {
		return nil, fmt.Errorf("signatures stage not finished: %w", err)
	}
	ms := []taskManifest{first}
	for t := 1; t < first.Tasks; t++ {
		var m taskManifest
		if err := readJSON(manifestPath(outDir, t), &m); err != nil {
			return nil, fmt.Errorf("signatures task %d of %d not finished: %w", t, first.Tasks, err)
		}
		if m.Tasks != first.Tasks || m.Spaces != first.Spaces || !slices.Equal(m.Inputs, first.Inputs) || m.Config.Mode != first.Config.Mode || m.Config.MinHash != first.Config.MinHash {
			return nil, fmt.Errorf("signatures task %d was run with other inputs or settings than task 0", t)
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// Buckets is stage 2: task `task` of `tasks` takes key spaces task,
// task+tasks, ... (one per LSH band, plus exact and url), merges the
// tasks' sorted key files and writes the duplicate pairs: every position
// paired with the first position that had the same key.
func Buckets(ctx context.Context, outDir string, tasks, task int) error {
	if err := checkTask(tasks, task); err != nil {
		return err
	}
	ms, err := readManifests(outDir)
	if err != nil {
		return err
	}
	for s := task; s < ms[0].Spaces; s += tasks {
		if err := bucketSpace(ctx, outDir, s, len(ms)); err != nil {
			return err
		}
	}
	return nil
}

type keyStream struct {
	r   *checkedReader
	cur keyRecord
}

type keyHeap []*keyStream

func (h keyHeap) Len() int           { return len(h) }
func (h keyHeap) Less(i, j int) bool { return cmpKeyRecord(h[i].cur, h[j].cur) < 0 }
func (h keyHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keyHeap) Push(x any)        { *h = append(*h, x.(*keyStream)) }
func (h *keyHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (s *keyStream) advance() (bool, error) {
	var buf [16]byte
	err := s.r.next(buf[:])
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	s.cur = keyRecord{binary.LittleEndian.Uint64(buf[0:]), binary.LittleEndian.Uint64(buf[8:])}
	return true, nil
}

func bucketSpace(ctx context.Context, outDir string, space, tasks int) error {
	var h keyHeap
	defer func() {
		for _, s := range h {
			s.r.close()
		}
	}()
	for t := range tasks {
		r, err := openChecked(keysPath(outDir, space, t), kindKeys, 16)
		if err != nil {
			return err
		}
		s := &keyStream{r: r}
		ok, err := s.advance()
		if err != nil {
			r.close()
			return err
		}
		if ok {
			h = append(h, s)
		} else {
			r.close()
		}
	}
	heap.Init(&h)
	w, err := createChecked(pairsPath(outDir, space), kindPairs, 16)
	if err != nil {
		return err
	}
	var buf [16]byte
	var prevKey, firstPos uint64
	started := false
	n := 0
	for h.Len() > 0 {
		if n++; n%(1<<20) == 0 {
			if err := ctx.Err(); err != nil {
				w.abort()
				return err
			}
		}
		s := h[0]
		rec := s.cur
		if started && rec.key == prevKey {
			binary.LittleEndian.PutUint64(buf[0:], firstPos)
			binary.LittleEndian.PutUint64(buf[8:], rec.pos)
			if err := w.record(buf[:]); err != nil {
				w.abort()
				return err
			}
		} else {
			prevKey, firstPos, started = rec.key, rec.pos, true
		}
		ok, err := s.advance()
		if err != nil {
			w.abort()
			return err
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			s.r.close()
			heap.Pop(&h)
		}
	}
	return w.close()
}

// denseSpans places every shard of every task in the canonical order.
func denseSpans(ms []taskManifest) ([]shardSpan, []uint64, error) {
	n := len(ms[0].Inputs)
	byIndex := make([]shardSpan, n)
	seen := make([]bool, n)
	for _, m := range ms {
		for _, s := range m.Shards {
			if s.Index < 0 || s.Index >= n || seen[s.Index] {
				return nil, nil, fmt.Errorf("manifests disagree about shard %d", s.Index)
			}
			seen[s.Index] = true
			byIndex[s.Index] = s
		}
	}
	starts := make([]uint64, n+1)
	for i := range byIndex {
		if !seen[i] {
			return nil, nil, fmt.Errorf("no signatures task covered shard %d (%s)", i, ms[0].Inputs[i])
		}
		byIndex[i].Dense = starts[i]
		starts[i+1] = starts[i] + uint64(byIndex[i].Rows)
	}
	if starts[n] >= 1<<32-1 {
		return nil, nil, errors.New("more than 4,294,967,294 documents in one dedup run")
	}
	return byIndex, starts, nil
}

// Clusters is stage 3 (one task): union-find over all pairs, the survivor
// of each cluster, removed.arrow and the decisions the filter tasks read.
func Clusters(ctx context.Context, outDir string) (*Stats, error) {
	start := time.Now()
	ms, err := readManifests(outDir)
	if err != nil {
		return nil, err
	}
	cfg := ms[0].Config
	sp := layoutFor(cfg, ms[0].HaveURL)
	if sp.n != ms[0].Spaces {
		return nil, fmt.Errorf("manifest has %d key spaces, settings give %d", ms[0].Spaces, sp.n)
	}
	spans, starts, err := denseSpans(ms)
	if err != nil {
		return nil, err
	}
	total := starts[len(starts)-1]
	var links linkSet
	links.uf.parent = make([]uint32, 0, total)
	links.method = make([]byte, 0, total)
	links.grow(int(total))
	stats := newStats(cfg, sp)
	stats.Documents = int64(total)
	for _, m := range ms {
		stats.NoShingles += m.NoShing
	}
	dense := func(pos uint64) (uint32, error) {
		shard, row := pos>>32, pos&(1<<32-1)
		if shard >= uint64(len(spans)) || row >= uint64(spans[shard].Rows) {
			return 0, fmt.Errorf("%w: pair names row %d of shard %d, which does not exist", ErrCorrupt, row, shard)
		}
		return uint32(starts[shard] + row), nil
	}
	var buf [16]byte
	for s := range sp.n {
		code := methodCode(sp.method(s))
		r, err := openChecked(pairsPath(outDir, s), kindPairs, 16)
		if err != nil {
			return nil, fmt.Errorf("buckets stage not finished: %w", err)
		}
		for n := 0; ; n++ {
			if n%(1<<20) == 0 && ctx.Err() != nil {
				r.close()
				return nil, ctx.Err()
			}
			err := r.next(buf[:])
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				r.close()
				return nil, err
			}
			a, err1 := dense(binary.LittleEndian.Uint64(buf[0:]))
			b, err2 := dense(binary.LittleEndian.Uint64(buf[8:]))
			if err := errors.Join(err1, err2); err != nil {
				r.close()
				return nil, fmt.Errorf("%s: %w", pairsPath(outDir, s), err)
			}
			links.link(a, b, code)
		}
		r.close()
	}
	var docs, ids []string
	for t := range ms {
		docs = append(docs, docsPath(outDir, t))
		ids = append(ids, idsPath(outDir, t))
	}
	stores, err := openDocStores(docs, ids, slices.Clone(spans), sp)
	if err != nil {
		return nil, err
	}
	defer stores.close()
	res, err := resolve(&links, stores, cfg.KeepColumn != "", sp.bands > 0, decisionsPath(outDir), joinLoc(outDir, "dedup", "removed.arrow"))
	if err != nil {
		return nil, err
	}
	stats.addResolution(res)
	stats.ElapsedSecs = time.Since(start).Seconds()
	return &stats, writeJSONAtomic(joinLoc(outDir, "dedup", "stats.json"), stats)
}

// Filter is stage 4: task `task` of `tasks` writes the survivors of its
// shards to OUT/shards, and returns their paths and the rows kept.
func Filter(ctx context.Context, outDir string, tasks, task int) ([]string, int64, error) {
	if err := checkTask(tasks, task); err != nil {
		return nil, 0, err
	}
	ms, err := readManifests(outDir)
	if err != nil {
		return nil, 0, err
	}
	spans, _, err := denseSpans(ms)
	if err != nil {
		return nil, 0, err
	}
	dc, err := openDecisions(decisionsPath(outDir))
	if err != nil {
		return nil, 0, fmt.Errorf("clusters stage not finished: %w", err)
	}
	defer dc.close()
	names := outputNames(ms[0].Inputs)
	var out []string
	var kept int64
	for i := task; i < len(spans); i += tasks {
		p := joinLoc(outDir, "shards", names[i])
		k, err := filterShard(ctx, spans[i], p, dc, Output{})
		if err != nil {
			return nil, 0, err
		}
		kept += k
		out = append(out, p)
	}
	return out, kept, nil
}
