package dedup

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

var qualityLangs = []string{"en", "de", "fr", "es", "ru", "ja", "zh", "th"}

// nearDupCorpus builds real-prose documents and near-duplicates of half of
// them with controlled edit rates, shuffled with a fixed seed.
func nearDupCorpus(t testing.TB, perLang int) []testDoc {
	base := sentenceDocs(t, qualityLangs, 12)
	byLang := map[string]int{}
	var docs []testDoc
	for _, d := range base {
		if byLang[d.lang] >= perLang {
			continue
		}
		byLang[d.lang]++
		d.family = len(docs)
		docs = append(docs, d)
	}
	vocab := wordsOf(docs)
	rng := rand.New(rand.NewPCG(7, 11))
	rates := []float64{0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.15, 0.3}
	n := len(docs)
	for i := 0; i < n; i += 2 {
		for v := range 3 {
			rate := rates[(i/2*3+v)%len(rates)]
			d := docs[i]
			d.id = fmt.Sprintf("%s-v%d", d.id, v)
			d.text = editText(rng, d.text, rate, vocab)
			d.score = rng.Float64()
			docs = append(docs, d)
		}
	}
	rng.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	return docs
}

func writeCorpus(t testing.TB, dir string, docs []testDoc, shards int) []string {
	var paths []string
	per := (len(docs) + shards - 1) / shards
	for s := 0; s < shards; s++ {
		lo, hi := s*per, min(len(docs), (s+1)*per)
		p := filepath.Join(dir, "in", fmt.Sprintf("part-%03d.arrow", s))
		writeTestShard(t, p, docs[lo:hi], s%2 == 1, 50)
		paths = append(paths, p)
	}
	return paths
}

// clusterOf maps every input id to its cluster id, from the output shards
// and removed.arrow.
func clusterOf(t testing.TB, res *Result) (map[string]int64, map[string]bool) {
	cl := map[string]int64{}
	kept := map[string]bool{}
	for _, r := range readOutShards(t, res.Shards) {
		cl[r.id] = r.cluster
		kept[r.id] = true
	}
	for _, r := range readRemoved(t, res.RemovedPath) {
		if _, dup := cl[r.id]; dup {
			t.Fatalf("%s is both kept and removed", r.id)
		}
		cl[r.id] = r.cluster
	}
	return cl, kept
}

func TestQualityOnRealProse(t *testing.T) {
	docs := nearDupCorpus(t, 40)
	dir := t.TempDir()
	inputs := writeCorpus(t, dir, docs, 4)
	cfg := DefaultConfig()
	res, err := DedupShards(context.Background(), inputs, filepath.Join(dir, "out"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	cl, kept := clusterOf(t, res)
	if len(cl) != len(docs) {
		t.Fatalf("%d documents in, %d accounted for", len(docs), len(cl))
	}

	// Brute-force true Jaccard on the same shingles.
	sh := make([][]uint64, len(docs))
	for i, d := range docs {
		sh[i] = trueShingles(d.text, cfg.MinHash.NGram)
	}
	maxJ := make([]float64, len(docs))
	var high, found int
	var buckets [5][2]int // J in [0.5,0.6) ... [0.9,1]: found, total
	trueJ := map[[2]string]float64{}
	for i := range docs {
		for j := i + 1; j < len(docs); j++ {
			jac := jaccardSorted(sh[i], sh[j])
			maxJ[i], maxJ[j] = max(maxJ[i], jac), max(maxJ[j], jac)
			same := cl[docs[i].id] == cl[docs[j].id]
			if jac >= 0.85 {
				high++
				if same {
					found++
				}
			}
			if jac >= 0.5 {
				b := min(4, int((jac-0.5)*10))
				buckets[b][1]++
				if same {
					buckets[b][0]++
				}
				trueJ[[2]string{docs[i].id, docs[j].id}] = jac
				trueJ[[2]string{docs[j].id, docs[i].id}] = jac
			}
		}
	}
	for b, c := range buckets {
		t.Logf("true Jaccard %.1f-%.1f: %d/%d pairs in one cluster (expected share %.2f)", 0.5+float64(b)/10, 0.6+float64(b)/10, c[0], c[1], cfg.MinHash.CandidateProbability(0.55+float64(b)/10))
	}
	if high < 200 {
		t.Fatalf("only %d pairs with Jaccard >= 0.85; the corpus does not test recall", high)
	}
	recall := float64(found) / float64(high)
	t.Logf("%d documents, %d removed, recall %.3f on %d pairs with J >= 0.85", len(docs), res.Stats.Removed, recall, high)
	if recall < 0.95 {
		t.Errorf("recall %.3f < 0.95 for pairs with Jaccard >= 0.85", recall)
	}

	// No cluster loses all its documents.
	keptClusters := map[int64]bool{}
	for id := range kept {
		keptClusters[cl[id]] = true
	}
	for _, r := range readRemoved(t, res.RemovedPath) {
		if !keptClusters[r.cluster] {
			t.Errorf("cluster %d lost all its documents (%s removed)", r.cluster, r.id)
		}
		if r.id == r.dupOf {
			t.Errorf("%s is recorded as its own duplicate", r.id)
		}
	}

	// Documents without a near duplicate are kept.
	var lonely, lonelyGone int
	for i, d := range docs {
		if maxJ[i] < 0.5 {
			lonely++
			if !kept[d.id] {
				lonelyGone++
			}
		}
	}
	t.Logf("%d documents have no near duplicate (max J < 0.5); %d of them removed", lonely, lonelyGone)
	if lonely < 100 || float64(lonelyGone) > 0.01*float64(lonely) {
		t.Errorf("%d of %d documents without near duplicate removed (limit 1%%)", lonelyGone, lonely)
	}

	// The Jaccard estimates in removed.arrow are close to the truth.
	var sumErr float64
	var nEst int
	for _, r := range readRemoved(t, res.RemovedPath) {
		if tj, ok := trueJ[[2]string{r.id, r.dupOf}]; ok && r.hasJaccard {
			sumErr += math.Abs(tj - float64(r.jaccard))
			nEst++
		}
	}
	if nEst == 0 || sumErr/float64(nEst) > 0.08 {
		t.Errorf("mean Jaccard estimate error %.3f over %d removed documents", sumErr/float64(max(nEst, 1)), nEst)
	}
	t.Logf("mean |estimated - true Jaccard| = %.3f over %d removed documents", sumErr/float64(max(nEst, 1)), nEst)
}
