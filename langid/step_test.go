package langid

import (
	"testing"

	"github.com/sieve-data/sieve/pipeline"
)

func TestStepSetsLanguage(t *testing.T) {
	st, err := NewStep(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var _ pipeline.Step = st
	var _ pipeline.SignalDeclarer = st
	pages := realPages(t)
	cases := []struct {
		text, want string
	}{
		{pages["heise"], "de"},
		{pages["hukumusume"], "ja"},
		{"", Undetermined},
		{"12345 67890 !!! ---", Undetermined},
	}
	var m pipeline.Metrics
	for _, c := range cases {
		d := &pipeline.Document{Text: c.text}
		if o := st.Process(d, &m); o.Drop {
			t.Fatalf("langid dropped a document: %+v", o)
		}
		if d.Language != c.want {
			t.Errorf("%.40q: language %q, want %q", c.text, d.Language, c.want)
		}
		if c.want == Undetermined && d.LanguageScore != 0 {
			t.Errorf("%.40q: und with score %v", c.text, d.LanguageScore)
		}
		if c.want != Undetermined && d.LanguageScore < 0.99 {
			t.Errorf("%.40q: score %v for a whole page", c.text, d.LanguageScore)
		}
		if _, ok := d.Signals[SignalRunnerUpScore]; !ok {
			t.Errorf("%.40q: no %s signal", c.text, SignalRunnerUpScore)
		}
	}
	if m.Counts["undetermined"] != 2 {
		t.Errorf("undetermined count %d, want 2", m.Counts["undetermined"])
	}
}

func TestFilter(t *testing.T) {
	doc := func(lang string, score float32) *pipeline.Document {
		return &pipeline.Document{Language: lang, LanguageScore: score}
	}
	cases := []struct {
		cfg    FilterConfig
		doc    *pipeline.Document
		reason string // "" keeps
	}{
		{DefaultFilterConfig(), doc("en", 0.99), ""},
		{DefaultFilterConfig(), doc("en", DefaultMinScore), ""},
		{DefaultFilterConfig(), doc("en", 0.3), ReasonLowScore},
		{DefaultFilterConfig(), doc(Undetermined, 0), ReasonLowScore},
		{DefaultFilterConfig(), doc("", 0), ReasonLowScore},
		{FilterConfig{Languages: []string{"en", "DE"}, MinScore: 0.65}, doc("de", 0.7), ""},
		{FilterConfig{Languages: []string{"en", "de"}, MinScore: 0.65}, doc("fr", 1), ReasonNotWanted},
		{FilterConfig{Languages: []string{"en", "de"}, MinScore: 0.65}, doc("en", 0.6), ReasonLowScore},
		{FilterConfig{Languages: []string{"en", "und"}, MinScore: 0.65}, doc(Undetermined, 0), ""},
		{FilterConfig{MinScore: 0}, doc(Undetermined, 0), ""},
	}
	for i, c := range cases {
		f, err := NewFilter(c.cfg)
		if err != nil {
			t.Fatal(err)
		}
		var m pipeline.Metrics
		o := f.Process(c.doc, &m)
		if o.Reason != c.reason || o.Drop != (c.reason != "") {
			t.Errorf("case %d (%+v, %s %.2f): got %+v, want reason %q", i, c.cfg, c.doc.Language, c.doc.LanguageScore, o, c.reason)
		}
	}
	for _, bad := range []FilterConfig{{MinScore: 1.5}, {MinScore: -0.1}, {Languages: []string{"english"}}} {
		if _, err := NewFilter(bad); err == nil {
			t.Errorf("NewFilter(%+v) accepted a bad configuration", bad)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{Languages: []string{"en"}},
		{Languages: []string{"en", "klingon"}},
		{MaxChars: 50},
	} {
		if _, err := NewDetector(cfg); err == nil {
			t.Errorf("NewDetector(%+v) accepted a bad configuration", cfg)
		}
	}
}

// TestCandidateLanguages restricts the candidates as lingua-go does: the
// answer is the best among them.
func TestCandidateLanguages(t *testing.T) {
	d, err := NewDetector(Config{Languages: []string{"nl", "af"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Languages(); len(got) != 2 {
		t.Errorf("Languages() = %v", got)
	}
	lang, _, runnerUp, _ := d.Detect(realPages(t)["heise"]) // German text
	if lang != "nl" && lang != "af" {
		t.Errorf("German text among {nl, af}: got %s", lang)
	}
	if runnerUp != "" && runnerUp != "nl" && runnerUp != "af" {
		t.Errorf("runner-up %s is no candidate", runnerUp)
	}
	// Korean text when Korean is no candidate: lingua's rules name Korean,
	// which the detector lacks, so the answer is und.
	if lang, _, _, _ := d.Detect("안녕하세요 만나서 반갑습니다"); lang != Undetermined {
		t.Errorf("Korean among {nl, af}: got %s, want und", lang)
	}
}

// TestConcurrentDetect shares one detector between goroutines (run with
// -race) and checks they all get the single-goroutine answers.
func TestConcurrentDetect(t *testing.T) {
	d, err := NewDetector(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := pageDocs(t, 4000)
	docs = docs[:min(len(docs), 40)]
	want := make([]string, len(docs))
	for i, doc := range docs {
		want[i], _, _, _ = d.Detect(doc)
	}
	errs := make(chan string, 4*len(docs))
	done := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range docs {
				j := (i + g*7) % len(docs)
				if got, _, _, _ := d.Detect(docs[j]); got != want[j] {
					errs <- got + " != " + want[j]
				}
			}
		}()
	}
	for range 4 {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
