package extract

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sieve-data/sieve/internal/extracteval"
	"github.com/sieve-data/sieve/internal/testdata"
)

// Floors of the readability-set regression test: the mean word-level F1
// and precision over the 130 pages, each the measured value minus 0.005
// (issue 12). Raise them as the extractor improves.
const (
	// Measured 0.953 after the issue-12 rework (0.937 at d8b2588;
	// go-trafilatura v1.12.2 without fallback: 0.930).
	readabilityMinF1 = 0.948
	// Measured 0.968 (0.956 at d8b2588; go-trafilatura: 0.953).
	readabilityMinPrecision = 0.963
)

// readabilityPage is one mozilla/readability test page.
type readabilityPage struct {
	name     string
	source   []byte
	expected string // expected.html as plain text
}

func loadReadabilityPages(t testing.TB) []readabilityPage {
	t.Helper()
	loaded, err := extracteval.LoadReadability(testdata.Shared(t, "html"))
	if err != nil {
		t.Fatal(err)
	}
	pages := make([]readabilityPage, len(loaded))
	for i, p := range loaded {
		pages[i] = readabilityPage{name: p.Name, source: p.Source, expected: p.Expected}
	}
	return pages
}

// TestReadabilityGolden keeps the mean token F1 on the 130 readability pages
// from regressing. The floor is the measured value minus a small margin.
func TestReadabilityGolden(t *testing.T) {
	pages := loadReadabilityPages(t)
	mean, all := scoreReadability(t, pages, DefaultOptions())
	sort.Slice(all, func(i, j int) bool { return all[i].F1 < all[j].F1 })
	if testing.Verbose() {
		for _, s := range all {
			t.Logf("%-45s P=%.3f R=%.3f F1=%.3f", s.name, s.P, s.R, s.F1)
		}
	}
	t.Logf("readability pages: %d, mean P=%.3f R=%.3f F1=%.3f", len(all), mean.P, mean.R, mean.F1)
	// Keep-all baseline F1 0.892. (Readability keeps image captions, sieve
	// drops them: -0.006 here, +0.004 on trafilatura's comparison set.)
	if mean.F1 < readabilityMinF1 {
		t.Errorf("mean F1 %.3f below the floor %.3f", mean.F1, readabilityMinF1)
	}
	if mean.P < readabilityMinPrecision {
		t.Errorf("mean precision %.3f below the floor %.3f", mean.P, readabilityMinPrecision)
	}
	// Without boilerplate removal recall must be near total and precision
	// lower: a check that the removal does something and the walker finds
	// the text.
	allMean, _ := scoreReadability(t, pages, Options{KeepBoilerplate: true})
	t.Logf("keep-all baseline: mean P=%.3f R=%.3f F1=%.3f", allMean.P, allMean.R, allMean.F1)
	if allMean.R < 0.9 {
		t.Errorf("keep-all recall %.3f < 0.9: the walker loses text", allMean.R)
	}
	if mean.P <= allMean.P {
		t.Errorf("boilerplate removal does not raise precision: %.3f <= %.3f", mean.P, allMean.P)
	}
}

// TestReadabilityPagesInDetail checks four non-English pages: the title,
// sentences that must be in the text, boilerplate that must not, and a
// per-page F1 floor.
func TestReadabilityPagesInDetail(t *testing.T) {
	dir := testdata.Shared(t, "html")
	cases := []struct {
		page, title   string
		want, notWant []string
		minF1, minP   float64
	}{
		{
			page:  "heise",
			title: "1Password für Mac generiert Einmal-Passwörter | Mac & i",
			want: []string{
				"Das in der iOS-Version bereits enthaltene TOTP-Feature ist nun auch für OS X 10.10 verfügbar.",
				"mindestens OS X 10.10 voraus. (bsc)",
			},
			notWant: []string{"Impressum", "Datenschutzhinweis", "Kommentare lesen"},
			minF1:   0.95, minP: 0.95,
		},
		{
			page:  "lemonde-1",
			title: "Le projet de loi sur le renseignement massivement approuvé à l'Assemblée",
			want: []string{
				"Les députés ont, sans surprise, adopté à une large majorité (438 contre 86 et 42 abstentions)",
				"Aucune mesure de rétorsion ne pourra viser l’agent qui aurait dénoncé des actes potentiellement illégaux.",
			},
			notWant: []string{"Abonnez-vous", "Newsletter"},
			minF1:   0.95, minP: 0.95,
		},
		{
			page:  "qq",
			title: "DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶_科技_腾讯网",
			want: []string{
				"谷歌(微博) 在2014年收购的人工智能公司DeepMind开发出一款能够用自己的记忆学习新知识",
				"DeepMind表示，这款名为DNC（可微神经计算机）的AI模型",
			},
			notWant: []string{"腾讯网 版权所有", "Copyright"},
			minF1:   0.85, minP: 0.9,
		},
		{
			// Readability's expected output keeps this site's sidebars
			// (calendar trivia, riddles); sieve keeps the story only, so
			// recall against it is low by design and precision is checked.
			page:    "hukumusume",
			title:   "欲張りなイヌ ＜福娘童話集 きょうのイソップ童話＞",
			want:    []string{"肉をくわえたイヌが、橋を渡っていました。", "欲張るとけっきょく損をするというお話しです。"},
			notWant: []string{"なぞなぞ小学校", "恋の誕生日占い", "福娘童話集 > きょうのイソップ童話"},
			minF1:   0.5, minP: 0.99,
		},
	}
	for _, c := range cases {
		t.Run(c.page, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dir, c.page, "source.html"))
			if err != nil {
				t.Fatal(err)
			}
			exp, err := os.ReadFile(filepath.Join(dir, c.page, "expected.html"))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Extract(src, "", DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if res.Title != c.title {
				t.Errorf("title %q, want %q", res.Title, c.title)
			}
			if res.Charset != "utf-8" {
				t.Errorf("charset %q", res.Charset)
			}
			for _, w := range c.want {
				if !strings.Contains(res.Text, w) {
					t.Errorf("text lacks %q", w)
				}
			}
			for _, nw := range c.notWant {
				if strings.Contains(res.Text, nw) {
					t.Errorf("text contains boilerplate %q", nw)
				}
			}
			if strings.Contains(res.Text, "\n\n\n") || !strings.Contains(res.Text, "\n\n") && c.page != "hukumusume" {
				t.Errorf("blocks are not separated by exactly one blank line")
			}
			s := extracteval.WordPRF(res.Text, extracteval.HTMLToPlainText(exp))
			t.Logf("P=%.3f R=%.3f F1=%.3f, %d chars", s.P, s.R, s.F1, len(res.Text))
			if s.F1 < c.minF1 || s.P < c.minP {
				t.Errorf("P=%.3f F1=%.3f, want P >= %.2f and F1 >= %.2f", s.P, s.F1, c.minP, c.minF1)
			}
		})
	}
}
