package filter

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/pipeline"
)

// dtCase is one of datatrove's own filter-test cases
// (../shared/testdata/datatrove-filters/cases.jsonl).
type dtCase struct {
	ID         string         `json:"id"`
	Filter     string         `json:"filter"`
	Params     map[string]any `json:"params"`
	Text       string         `json:"text"`
	URL        string         `json:"url"`
	Expect     string         `json:"expect"`
	Reason     string         `json:"reason"`
	ExpectText *string        `json:"expect_text"`
}

// documentedDepartures are the cases where a non-default setting of a
// documented parameter (filter/doc.go) gives another answer than
// datatrove's: the case, the setting, and sieve's answer under it.
var documentedDepartures = map[string]struct {
	params map[string]any
	reason string
}{
	// match: parents blocks hosts under a listed host; datatrove only the
	// exact host.
	"url_filter-07": {map[string]any{"match": URLMatchParents}, "url_subdomain"},
}

// TestDatatroveConformance runs sieve's filters, with datatrove's
// parameter values, on every case of datatrove's own filter tests and
// expects datatrove's decision and reason (sieve's reasons carry a
// c4_/fineweb_/url_ prefix), and for PII datatrove's output text. Each
// documented departure is checked both ways.
func TestDatatroveConformance(t *testing.T) {
	dir := testdata.Shared(t, "datatrove-filters")
	f, err := os.Open(filepath.Join(dir, "cases.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []dtCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var c dtCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("cases.jsonl line %d: %v", len(cases)+1, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cases) != 33 {
		t.Fatalf("%d cases, want datatrove's 33", len(cases))
	}
	agree := 0
	for _, c := range cases {
		reason, text := runDatatroveCase(t, dir, c, nil)
		if checkDatatroveCase(t, c, reason, text) {
			agree++
		}
		if dep, ok := documentedDepartures[c.ID]; ok {
			if r, _ := runDatatroveCase(t, dir, c, dep.params); r != dep.reason {
				t.Errorf("%s with %v: %q, want the documented departure %q", c.ID, dep.params, r, dep.reason)
			}
		}
	}
	t.Logf("%d of %d datatrove cases agree with sieve's defaults", agree, len(cases))
}

func checkDatatroveCase(t *testing.T, c dtCase, reason, text string) bool {
	t.Helper()
	ok := true
	if (reason == "") != (c.Expect == "keep") {
		t.Errorf("%s (%s): sieve %q, datatrove %s %s", c.ID, c.Filter, reason, c.Expect, c.Reason)
		ok = false
	} else if c.Reason != "" {
		bare := reason
		for _, p := range []string{"c4_", "fineweb_", "url_"} {
			bare = strings.TrimPrefix(bare, p)
		}
		if bare != c.Reason {
			t.Errorf("%s (%s): sieve's reason %q, datatrove's %q", c.ID, c.Filter, reason, c.Reason)
			ok = false
		}
	}
	if c.ExpectText != nil && text != *c.ExpectText {
		t.Errorf("%s (%s): output text differs from datatrove's:\n%q\nwant\n%q", c.ID, c.Filter, text, *c.ExpectText)
		ok = false
	}
	return ok
}

// runDatatroveCase builds the case's filter with its parameters (datatrove
// names, which are sieve's YAML names except where mapped below) over
// extra, and returns the drop reason ("" kept) and the output text.
func runDatatroveCase(t *testing.T, dir string, c dtCase, extra map[string]any) (string, string) {
	t.Helper()
	params := map[string]any{}
	for k, v := range c.Params {
		params[k] = v
	}
	for k, v := range extra {
		params[k] = v
	}
	lists := filepath.Join(dir, "lists")
	switch c.Filter {
	case "url_filter":
		// datatrove's names, and its integrated word lists.
		if v, ok := params["extra_domains"]; ok {
			params["block_domains"] = v
			delete(params, "extra_domains")
		}
		if v, ok := params["extra_urls"]; ok {
			params["block_urls"] = v
			delete(params, "extra_urls")
		}
		params["banned_words_files"] = []string{filepath.Join(lists, "banned_words.txt")}
		params["banned_subwords_files"] = []string{filepath.Join(lists, "banned_subwords.txt")}
		params["soft_banned_words_files"] = []string{filepath.Join(lists, "soft_banned_words.txt")}
	case "pii":
		for _, k := range []string{"email_replacement", "ip_replacement"} {
			if s, ok := params[k].(string); ok {
				params[k] = []string{s}
			}
		}
	}
	raw, err := yaml.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	var step pipeline.Step
	decode := func(cfg any) {
		// A datatrove parameter sieve does not know fails the test.
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		dec.KnownFields(true)
		if err := dec.Decode(cfg); err != nil {
			t.Fatalf("%s: params %s: %v", c.ID, raw, err)
		}
	}
	switch c.Filter {
	case "gopher_repetition":
		cfg := DefaultGopherRepetitionConfig()
		decode(&cfg)
		step, err = NewGopherRepetition(cfg)
	case "gopher_quality":
		cfg := DefaultGopherQualityConfig()
		decode(&cfg)
		step, err = NewGopherQuality(cfg)
	case "url_filter":
		cfg := DefaultURLFilterConfig()
		decode(&cfg)
		step, err = NewURLFilter(cfg)
	case "c4_quality":
		cfg := DefaultC4QualityConfig()
		decode(&cfg)
		step, err = NewC4Quality(cfg)
	case "fineweb_quality":
		cfg := DefaultFineWebQualityConfig()
		decode(&cfg)
		step, err = NewFineWebQuality(cfg)
	case "pii":
		cfg := DefaultPIIConfig()
		decode(&cfg)
		step, err = NewPII(cfg)
	default:
		t.Fatalf("%s: no sieve filter for datatrove's %s", c.ID, c.Filter)
	}
	if err != nil {
		t.Fatalf("%s: %v", c.ID, err)
	}
	d := doc(c.Text, "en")
	d.URL = c.URL
	return step.Process(d, &pipeline.Metrics{}).Reason, d.Text
}
