package filter

import (
	"strings"
	"testing"

	"github.com/sieve-data/sieve/pipeline"
)

func c4Run(t *testing.T, cfg C4QualityConfig, text, lang string) (*pipeline.Document, pipeline.Outcome) {
	t.Helper()
	c, err := NewC4Quality(cfg)
	must(t, err)
	d := doc(text, lang)
	o := c.Process(d, nil)
	if r := c.Decide(d.Signals, lang); r != o {
		t.Fatalf("Decide %v != Process %v", r, o)
	}
	return d, o
}

const c4Good = "This is the first good sentence here.\nThe second line is also a sentence!\nA third line asks a question?\nThe fourth says \"hello there.\"\nFinally the fifth one ends here."

func TestC4LineCleaning(t *testing.T) {
	text := strings.Join([]string{
		"Menu",                                  // no terminal punctuation
		"Too short.",                            // 2 words
		"Please enable JavaScript to continue.", // javascript
		"This site uses cookies for analytics.", // policy
		"Read our Privacy Policy for details.",  // policy
		"Wait for it...",                        // ellipsis
		"A cited claim is made here.[1]",        // citation removed, then kept
		"An edited claim is made here.[edit]",
		"word " + strings.Repeat("x", 1001) + " end.", // word over 1000 chars
		"",
		c4Good,
	}, "\n")
	d, o := c4Run(t, DefaultC4QualityConfig(), text, "en")
	if o.Drop {
		t.Fatalf("dropped: %v %v", o, d.Signals)
	}
	want := "A cited claim is made here.\nAn edited claim is made here.\n\n" + c4Good
	if d.Text != want {
		t.Errorf("cleaned text:\n%s\nwant:\n%s", d.Text, want)
	}
	s := d.Signals
	for sig, n := range map[string]float64{SigC4LinesNoTerminal: 3, SigC4LinesTooFewWords: 1, SigC4LinesJavascript: 1,
		SigC4LinesPolicy: 2, SigC4LinesTooLongWord: 1, SigC4LinesKept: 7, SigC4Sentences: 7} {
		if s[sig] != n {
			t.Errorf("%s = %v, want %v", sig, s[sig], n)
		}
	}
	if d.Analysis != nil {
		t.Error("analysis not reset after the text changed")
	}
}

func TestC4DocumentRules(t *testing.T) {
	def := DefaultC4QualityConfig()
	// >= 5 sentences: five keep, four drop.
	if _, o := c4Run(t, def, c4Good, "en"); o.Drop {
		t.Errorf("5 sentences: %v", o)
	}
	four := c4Good[:strings.LastIndexByte(c4Good, '\n')]
	if d, o := c4Run(t, def, four, "en"); o.Reason != "c4_too_few_sentences" {
		t.Errorf("4 sentences: %v", o)
	} else if d.Text != four {
		t.Error("a dropped document's text was changed")
	}
	// Two sentences on one line count as two.
	if _, o := c4Run(t, def, "One sentence is here. Two sentences are here.\n"+four, "en"); o.Drop {
		t.Errorf("6 sentences over 5 lines: %v", o)
	}
	if _, o := c4Run(t, def, c4Good+"\nLorem ipsum dolor sit amet.", "en"); o.Reason != "c4_lorem_ipsum" {
		t.Errorf("lorem ipsum: %v", o)
	}
	if _, o := c4Run(t, def, c4Good+"\nThe code is function() { return 1; }.", "en"); o.Reason != "c4_curly_bracket" {
		t.Errorf("curly bracket: %v", o)
	}
	// A "{" on a line already dropped for another reason does not count.
	if _, o := c4Run(t, def, c4Good+"\n{menu}", "en"); o.Drop {
		t.Errorf("curly bracket on a dropped line: %v", o)
	}
	// The first of the two document rules wins, as datatrove returns early.
	if _, o := c4Run(t, def, c4Good+"\nThe code is { here }.\nLorem ipsum dolor sit amet.", "en"); o.Reason != "c4_curly_bracket" {
		t.Errorf("curly then lorem: %v", o)
	}
	cfg := def
	cfg.MinNumSentences = -1
	if _, o := c4Run(t, cfg, "Menu", "en"); o.Drop {
		t.Errorf("min_num_sentences -1: %v", o)
	}
}

func TestC4Spaceless(t *testing.T) {
	zh := strings.Repeat("人工智能迈上新台阶，这是一段中文句子。\n", 5)
	d, o := c4Run(t, DefaultC4QualityConfig(), zh, "zh")
	if o.Drop || d.Signals[SigC4LinesKept] != 5 {
		t.Errorf("Chinese lines: %v %v", o, d.Signals)
	}
}
