package filter

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestC4BadWords(t *testing.T) {
	f, err := NewC4BadWords(DefaultC4BadWordsConfig())
	must(t, err)
	for _, c := range []struct {
		text, lang string
		drop       bool
	}{
		{"A page about sex education.", "en", true},
		{"A page about SEX education.", "en", true},
		{"Essex is a county in England.", "en", false}, // inside a word
		{"sex", "en", true},                            // at both ends
		{"Sussex-based sex.", "en", true},
		{"A clean page about gardening.", "en", false},
		{"Watch 2 Girls 1 Cup now.", "en", true}, // a phrase entry
		{"Well \U0001F595 you.", "en", true},     // an entry without letters
		{"Sexy", "en", true},
		{"SEXYZ", "en", false},
		{"Watch 2 girls 1 cupcake now.", "en", false},
		{"A clean page.", "", false},      // default language en
		{"Une page propre.", "xx", false}, // no list: kept, counted
		// Spaceless: no word boundaries needed, but datatrove's allow-list
		// keeps 性 (part of many ordinary words) out of the Chinese list.
		{"这个问题的性质很重要。", "zh", false},
	} {
		d := doc(c.text, c.lang)
		var m pipelineMetrics
		o := f.Process(d, &m.Metrics)
		if o.Drop != c.drop {
			t.Errorf("%q (%s): %v, want drop=%v", c.text, c.lang, o, c.drop)
		}
		if r := f.Decide(d.Signals, c.lang); r != o {
			t.Errorf("%q: Decide %v != Process %v", c.text, r, o)
		}
		if c.lang == "xx" && (m.Counts["missing_badwords_lang:xx"] != 1 || d.Signals[SigBadWordsFound] != -1) {
			t.Errorf("missing language not counted: %v %v", m.Counts, d.Signals)
		}
	}
}

func TestC4BadWordsKeepFraction(t *testing.T) {
	cfg := DefaultC4BadWordsConfig()
	cfg.KeepFraction = 0.3
	cfg.Seed = 7
	f, err := NewC4BadWords(cfg)
	must(t, err)
	kept := 0
	for i := 0; i < 2000; i++ {
		d := doc("sex", "en")
		d.ID = fmt.Sprint("doc-", i)
		o := f.Process(d, nil)
		if !o.Drop {
			kept++
		}
		if f.Decide(d.Signals, "en") != o {
			t.Fatal("replay differs")
		}
	}
	if kept < 500 || kept > 700 {
		t.Errorf("kept %d of 2000 with keep_fraction 0.3", kept)
	}
}

func TestC4BadWordsListDir(t *testing.T) {
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "en.txt"), []byte("gardening\n"), 0o644))
	cfg := DefaultC4BadWordsConfig()
	cfg.ListDir = dir
	f, err := NewC4BadWords(cfg)
	must(t, err)
	if o := f.Process(doc("A page about gardening.", "en"), nil); !o.Drop {
		t.Error("custom list not used")
	}
	if o := f.Process(doc("A page about sex.", "en"), nil); o.Drop {
		t.Error("custom list did not replace the shipped one")
	}
}
