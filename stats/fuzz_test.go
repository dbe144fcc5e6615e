package stats

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sieve-data/sieve/data"
)

// FuzzLoad: any bytes given as a stats file load with an error or give a
// collector that merges and renders a report without panicking.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"format":1}`))
	f.Add([]byte(`{"format":1,"languages":{"en":null},"drops":{"x":null},"domains":{"k":2,"entries":[{"key":"a","docs":3},{"key":"a","docs":1}]}}`))
	f.Add([]byte(`{"format":1,"kept":{"char_hist":{"counts":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}}}`))
	f.Add([]byte(`{"format":1,"steps":[{"name":"a","in":5,"out":9,"dropped":{"r":-4}}],"files":[{"path":"p","damaged":[{"offset":-1,"msg":"<script>"}]}]}`))
	c := NewCollector(DefaultConfig())
	c.AddFile(FileStats{Path: "x.warc.gz", Records: 3, Skipped: map[string]int64{"not_html": 1}})
	c.AddDedup(DedupStats{DocsIn: 3, Removed: map[string]int64{"exact": 1}, ClusterSizes: map[int64]int64{2: 1}})
	dir := f.TempDir()
	seed := filepath.Join(dir, "seed.json")
	if err := c.Save(seed); err != nil {
		f.Fatal(err)
	}
	b, _ := os.ReadFile(seed)
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "stats.json")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := Load(p)
		if err != nil {
			return
		}
		total := NewCollector(DefaultConfig())
		total.Merge(c)
		total.Merge(c)
		r := BuildReport(total, nil)
		r.Markdown()
		if _, err := r.HTML(); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzLoadReference: any CSV loads with an error or gives shares >= 0.
func FuzzLoadReference(f *testing.F) {
	seed, err := os.ReadFile("testdata/reference-languages.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("en,0.5\nde,0.5\n"))
	f.Add(data.CommonCrawlLanguages()[:600]) // Common Crawl's own format
	f.Add([]byte("language,share\n\"e\"\"n\",1%\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "ref.csv")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ref, err := LoadReference(p)
		if err != nil {
			return
		}
		for k, v := range ref.Shares {
			if v < 0 || v != v {
				t.Fatalf("%s: share %v", k, v)
			}
		}
		BuildReport(NewCollector(DefaultConfig()), ref).Markdown()
	})
}
