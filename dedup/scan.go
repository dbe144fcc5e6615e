package dedup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
)

// scannedDoc is one row as the scan hands it over. Its slices are reused
// for the next row.
type scannedDoc struct {
	shard  int // index of the shard in the input list
	row    int
	id     string
	keys   []uint64
	valid  []bool
	sketch []byte
	value  float64 // keep_highest value; -Inf for null
}

// scanShards reads the shards in order and calls fn for every row, in
// order, with its keys. Keys are computed by cfg.Workers goroutines per
// record batch; fn runs on the calling goroutine.
func scanShards(ctx context.Context, paths []string, indices []int, cfg Config, sp spaces, fn func(d *scannedDoc) error) (err error) {
	cur := ""
	defer func() { recoverDamaged(cur, &err) }()
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	keyers := make([]*keyer, workers)
	for i := range keyers {
		keyers[i] = newKeyer(cfg, sp)
	}
	var keys []uint64
	var valid []bool
	var sketches []byte
	for pi, path := range paths {
		cur = path
		r, err := openShard(path)
		if err != nil {
			return err
		}
		row := 0
		for {
			if err := ctx.Err(); err != nil {
				r.Close()
				return err
			}
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				r.Close()
				return fmt.Errorf("%s: %w", path, err)
			}
			cols, err := columnsOf(rec, sp.url >= 0, cfg.KeepColumn)
			if err != nil {
				rec.Release()
				r.Close()
				return fmt.Errorf("%s: %w", path, err)
			}
			n := int(rec.NumRows())
			keys = grow(keys, n*sp.n)
			valid = grow(valid, n*sp.n)
			sketches = grow(sketches, n*sp.perms)
			computeKeys(keyers, cols, n, sp, keys, valid, sketches)
			d := scannedDoc{shard: indices[pi]}
			for i := range n {
				d.row = row
				d.id = cols.id.Value(i)
				d.keys = keys[i*sp.n : (i+1)*sp.n]
				d.valid = valid[i*sp.n : (i+1)*sp.n]
				d.sketch = sketches[i*sp.perms : (i+1)*sp.perms]
				d.value = math.Inf(-1)
				if cols.keep != nil {
					if v, ok := numericValue(cols.keep, i); ok && !math.IsNaN(v) {
						d.value = v
					}
				}
				if err := fn(&d); err != nil {
					rec.Release()
					r.Close()
					return err
				}
				row++
			}
			rec.Release()
		}
		if err := r.Close(); err != nil {
			return err
		}
	}
	return nil
}

func computeKeys(keyers []*keyer, cols docColumns, n int, sp spaces, keys []uint64, valid []bool, sketches []byte) {
	one := func(k *keyer, i int) {
		var url string
		hasURL := false
		if cols.url != nil && !cols.url.IsNull(i) {
			url, hasURL = cols.url.Value(i), true
		}
		text := ""
		if !cols.text.IsNull(i) {
			text = cols.text.Value(i)
		}
		k.docKeys(text, url, hasURL, keys[i*sp.n:(i+1)*sp.n], valid[i*sp.n:(i+1)*sp.n], sketches[i*sp.perms:(i+1)*sp.perms])
	}
	w := len(keyers)
	if w == 1 || n < 64 {
		for i := range n {
			one(keyers[0], i)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (n + w - 1) / w
	for k := range w {
		lo, hi := k*chunk, min(n, (k+1)*chunk)
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				one(keyers[k], i)
			}
		}()
	}
	wg.Wait()
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
