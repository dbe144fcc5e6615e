package dedup

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sieve-data/sieve/shard"
)

var realPages = []string{"wikipedia", "lemonde-1", "heise", "hukumusume", "qq", "pixnet", "yahoo-4", "nytimes-1", "bbc-1", "folha"}

func TestExactAndURLOnRealPages(t *testing.T) {
	texts := pageTexts(t, realPages...)
	var docs []testDoc
	for i, text := range texts {
		docs = append(docs, testDoc{id: realPages[i], text: text, url: "https://www." + realPages[i] + ".example/article/", score: float64(i)})
	}
	// Exact copies that differ only in case, punctuation, digits and spacing.
	docs = append(docs,
		testDoc{id: "wikipedia-upper", text: strings.ToUpper(texts[0]), url: "https://mirror.example/1"},
		testDoc{id: "lemonde-spaced", text: strings.ReplaceAll(texts[1], " ", "  \n "), url: "https://mirror.example/2"},
		testDoc{id: "qq-nopunct", text: strings.NewReplacer("，", "", "。", " ", "1", "7").Replace(texts[4]), url: "https://mirror.example/3"},
		testDoc{id: "heise-url", text: texts[2][:len(texts[2])/2], url: "http://heise.example/article#comments"},
	)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.arrow")
	writeTestShard(t, in, docs, false, 3)

	cfg := DefaultConfig()
	cfg.Mode = ModeExact
	res, err := DedupShards(context.Background(), []string{in}, filepath.Join(dir, "exact"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	removed := readRemoved(t, res.RemovedPath)
	got := map[string]string{}
	for _, r := range removed {
		got[r.id] = r.dupOf
		if r.method != MethodExact || !r.hasJaccard || r.jaccard != 1 {
			t.Errorf("%s: method %s jaccard %v, want exact 1", r.id, r.method, r.jaccard)
		}
		if r.size != 2 {
			t.Errorf("%s: cluster size %d, want 2", r.id, r.size)
		}
	}
	want := map[string]string{"wikipedia-upper": "wikipedia", "lemonde-spaced": "lemonde-1", "qq-nopunct": "qq"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("exact removed %v, want %v", got, want)
	}
	// Every kept row carries its input columns unchanged.
	rows := readOutShards(t, res.Shards)
	if len(rows) != len(docs)-3 {
		t.Fatalf("%d rows kept, want %d", len(rows), len(docs)-3)
	}
	byID := map[string]testDoc{}
	for _, d := range docs {
		byID[d.id] = d
	}
	for _, r := range rows {
		d := byID[r.id]
		if r.text != d.text || r.score != d.score || r.tags != "tag-"+d.id+","+d.lang {
			t.Errorf("%s: columns changed on the way through", r.id)
		}
		if want := map[string]int32{"wikipedia": 2, "lemonde-1": 2, "qq": 2}[r.id]; want != 0 && r.size != want {
			t.Errorf("%s: cluster size %d, want %d", r.id, r.size, want)
		}
	}

	cfg.Mode = ModeURL
	res, err = DedupShards(context.Background(), []string{in}, filepath.Join(dir, "url"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	removed = readRemoved(t, res.RemovedPath)
	if len(removed) != 1 || removed[0].id != "heise-url" || removed[0].dupOf != "heise" || removed[0].method != MethodURL || removed[0].hasJaccard {
		t.Errorf("url mode removed %+v, want heise-url as duplicate of heise (no Jaccard)", removed)
	}
}

func TestNearDuplicatesInJapaneseAndChinese(t *testing.T) {
	texts := pageTexts(t, "hukumusume", "yahoo-4", "qq", "gmw")
	rng := rand.New(rand.NewPCG(1, 2))
	var docs []testDoc
	for i, text := range texts {
		docs = append(docs, testDoc{id: fmt.Sprintf("page%d", i), text: text})
	}
	vocab := []string{"あ", "の", "日", "本", "中", "国", "人"}
	for i, text := range texts {
		docs = append(docs, testDoc{id: fmt.Sprintf("page%d-edited", i), text: editText(rng, text, 0.01, vocab)})
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "cjk.arrow")
	writeTestShard(t, in, docs, true, 0)
	res, err := DedupShards(context.Background(), []string{in}, filepath.Join(dir, "out"), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	removed := readRemoved(t, res.RemovedPath)
	got := map[string]string{}
	for _, r := range removed {
		got[r.id] = r.dupOf
		sa, sb := trueShingles(docs[idIndex(docs, r.id)].text, 5), trueShingles(docs[idIndex(docs, r.dupOf)].text, 5)
		tj := jaccardSorted(sa, sb)
		t.Logf("%s ~ %s: true Jaccard %.3f, estimated %.3f", r.id, r.dupOf, tj, r.jaccard)
		if d := tj - float64(r.jaccard); d > 0.15 || d < -0.15 {
			t.Errorf("%s: estimate %.3f far from true %.3f", r.id, r.jaccard, tj)
		}
	}
	for i := range texts {
		if got[fmt.Sprintf("page%d-edited", i)] != fmt.Sprintf("page%d", i) {
			t.Errorf("page%d-edited (1%% character edits) not removed as a duplicate of page%d: %v", i, i, got)
		}
	}
	if len(removed) != len(texts) {
		t.Errorf("removed %d documents, want %d", len(removed), len(texts))
	}
}

func idIndex(docs []testDoc, id string) int {
	for i, d := range docs {
		if d.id == id {
			return i
		}
	}
	return -1
}

// partition returns the clusters as sorted lists of ids.
func partition(t testing.TB, res *Result) []string {
	cl, _ := clusterOf(t, res)
	groups := map[int64][]string{}
	for id, c := range cl {
		groups[c] = append(groups[c], id)
	}
	var out []string
	for _, g := range groups {
		sort.Strings(g)
		out = append(out, strings.Join(g, ","))
	}
	sort.Strings(out)
	return out
}

func TestOrderDoesNotChangeClusters(t *testing.T) {
	docs := nearDupCorpus(t, 10)
	dir := t.TempDir()
	a, err := DedupShards(context.Background(), writeCorpus(t, filepath.Join(dir, "a"), docs, 3), filepath.Join(dir, "outa"), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	shuffled := append([]testDoc(nil), docs...)
	rand.New(rand.NewPCG(99, 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	b, err := DedupShards(context.Background(), writeCorpus(t, filepath.Join(dir, "b"), shuffled, 5), filepath.Join(dir, "outb"), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	pa, pb := partition(t, a), partition(t, b)
	if strings.Join(pa, "\n") != strings.Join(pb, "\n") {
		t.Fatalf("clusters depend on input order: %d vs %d clusters", len(pa), len(pb))
	}
	if a.Stats.Removed != b.Stats.Removed || a.Stats.Removed == 0 {
		t.Fatalf("removed %d vs %d", a.Stats.Removed, b.Stats.Removed)
	}
	// First seen survives: every removed document comes after its survivor.
	pos := map[string]int{}
	for i, d := range docs {
		pos[d.id] = i
	}
	for _, r := range readRemoved(t, a.RemovedPath) {
		if pos[r.dupOf] >= pos[r.id] {
			t.Errorf("%s (position %d) kept over earlier %s (%d)", r.dupOf, pos[r.dupOf], r.id, pos[r.id])
		}
	}
}

func TestKeepHighest(t *testing.T) {
	docs := nearDupCorpus(t, 10)
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.KeepColumn = "score"
	res, err := DedupShards(context.Background(), writeCorpus(t, dir, docs, 2), filepath.Join(dir, "out"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	score := map[string]float64{}
	for _, d := range docs {
		score[d.id] = d.score
	}
	rm := readRemoved(t, res.RemovedPath)
	if len(rm) == 0 {
		t.Fatal("nothing removed")
	}
	for _, r := range rm {
		if score[r.dupOf] < score[r.id] {
			t.Errorf("kept %s (score %.3f) over %s (%.3f)", r.dupOf, score[r.dupOf], r.id, score[r.id])
		}
	}
	cfg.KeepColumn = "text"
	if _, err := DedupShards(context.Background(), writeCorpus(t, dir, docs, 2), filepath.Join(dir, "out2"), cfg); err == nil || !strings.Contains(err.Error(), "want a number") {
		t.Errorf("keep_highest on a text column: %v", err)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	// Not an Arrow file.
	junk := filepath.Join(dir, "junk.arrow")
	os.WriteFile(junk, []byte("this is not arrow"), 0o644)
	if _, err := DedupShards(ctx, []string{junk}, filepath.Join(dir, "o1"), DefaultConfig()); err == nil || !strings.Contains(err.Error(), "not an Arrow") {
		t.Errorf("junk input: %v", err)
	}
	// No text column.
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.BinaryTypes.String}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	b.Field(0).(*array.StringBuilder).Append("x")
	rec := b.NewRecordBatch()
	p := filepath.Join(dir, "notext.arrow")
	w, _ := newRecordWriter(p, schema, shard.FormatStream, "")
	w.write(rec)
	w.close()
	rec.Release()
	b.Release()
	if _, err := DedupShards(ctx, []string{p}, filepath.Join(dir, "o2"), DefaultConfig()); err == nil || !strings.Contains(err.Error(), `no "text" column`) {
		t.Errorf("missing text column: %v", err)
	}
	// Empty shard and empty texts work.
	empty := filepath.Join(dir, "empty.arrow")
	writeTestShard(t, empty, nil, false, 0)
	blank := filepath.Join(dir, "blank.arrow")
	writeTestShard(t, blank, []testDoc{{id: "a"}, {id: "b", text: "..."}, {id: "c", text: "one two"}}, false, 0)
	res, err := DedupShards(ctx, []string{empty, blank}, filepath.Join(dir, "o3"), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Documents != 3 || res.Stats.NoShingles != 2 || res.Stats.Removed != 0 {
		t.Errorf("stats %+v", res.Stats)
	}
	cfg := DefaultConfig()
	cfg.Mode = "fuzzy"
	if _, err := DedupShards(ctx, []string{blank}, filepath.Join(dir, "o4"), cfg); err == nil {
		t.Error("unknown mode accepted")
	}
}

func TestRefusesToOverwriteInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "shards", "a.arrow")
	writeTestShard(t, in, []testDoc{{id: "a", text: "some text here"}}, false, 0)
	if _, err := DedupShards(context.Background(), []string{in}, dir, DefaultConfig()); err == nil || !strings.Contains(err.Error(), "overwrite") {
		t.Fatalf("got %v, want a refusal", err)
	}
	// No input at all is not an error: nothing to do.
	res, err := DedupShards(context.Background(), nil, filepath.Join(dir, "empty"), DefaultConfig())
	if err != nil || res.Stats.Documents != 0 || len(res.Shards) != 0 {
		t.Fatalf("empty run: %+v, %v", res, err)
	}
}
