package filter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestURLFilterBlockLists(t *testing.T) {
	dir := t.TempDir()
	// UT1-style domains file with a comment.
	domains := filepath.Join(dir, "domains")
	must(t, os.WriteFile(domains, []byte("# adult\nbad-site.com\nsub.shared-host.net\n"), 0o644))
	cfg := DefaultURLFilterConfig()
	cfg.BlockDomainsFiles = []string{domains}
	cfg.BlockURLs = []string{"https://news.example.org/bad-page"}
	cfg.BannedWords = []string{"casino"}
	cfg.SoftBannedWords = []string{"hot", "live"}
	cfg.BannedSubwords = []string{"xxxvideo"}
	cfg.Match = URLMatchParents
	cfg.WordCase = URLWordsCaseInsensitive
	f, err := NewURLFilter(cfg)
	must(t, err)
	for url, want := range map[string]string{
		"https://bad-site.com/page":             "url_domain",
		"https://www.bad-site.com/page":         "url_domain",
		"https://sub.shared-host.net/a":         "url_subdomain",
		"https://deep.sub.shared-host.net/a":    "url_subdomain",
		"https://other.shared-host.net/a":       "",
		"https://news.example.org/bad-page":     "url_url",
		"https://news.example.org/bad-page2":    "",
		"https://example.com/Casino-games":      "url_hard_blacklisted",
		"https://example.com/casinos":           "",
		"https://example.com/hot-and-live":      "url_soft_blacklisted",
		"https://example.com/hot-news":          "",
		"https://example.com/free-XXX-Video/1":  "url_blacklisted_subword",
		"https://example.com/ordinary/page.htm": "",
	} {
		d := doc("text", "en")
		d.URL = url
		o := f.Process(d, nil)
		if o.Reason != want {
			t.Errorf("%s: %q, want %q", url, o.Reason, want)
		}
		if f.Decide(d.Signals, "en") != o {
			t.Errorf("%s: replay differs", url)
		}
	}
}

// TestURLFilterMatchModes: the departure from datatrove as a parameter.
// datatrove's URLFilter (match: exact) blocks a listed registered domain
// and its subdomains, and a listed host only as itself; match: parents
// also blocks the hosts under a listed host.
func TestURLFilterMatchModes(t *testing.T) {
	for mode, want := range map[string]map[string]string{
		URLMatchExact: {
			"https://blocked.com/x":                "url_domain",
			"https://www.blocked.com/x":            "url_domain",
			"https://badsubdomain.nice.com/x":      "url_subdomain",
			"https://sdsd.badsubdomain.nice.com/x": "",
			"https://nice.com/x":                   "",
		},
		URLMatchParents: {
			"https://blocked.com/x":                "url_domain",
			"https://www.blocked.com/x":            "url_domain",
			"https://badsubdomain.nice.com/x":      "url_subdomain",
			"https://sdsd.badsubdomain.nice.com/x": "url_subdomain",
			"https://nice.com/x":                   "",
		},
	} {
		cfg := DefaultURLFilterConfig()
		cfg.Match = mode
		cfg.BlockDomains = []string{"blocked.com", "badsubdomain.nice.com"}
		f, err := NewURLFilter(cfg)
		must(t, err)
		for url, reason := range want {
			d := doc("text", "en")
			d.URL = url
			if o := f.Process(d, nil); o.Reason != reason {
				t.Errorf("match %s: %s: %q, want %q", mode, url, o.Reason, reason)
			}
		}
	}
	if DefaultURLFilterConfig().Match != URLMatchExact {
		t.Error("the default is not datatrove's exact matching")
	}
	cfg := DefaultURLFilterConfig()
	cfg.Match = "fuzzy"
	if _, err := NewURLFilter(cfg); err == nil {
		t.Error("match: fuzzy accepted")
	}
}

// TestURLFilterWordCase: the departure from datatrove as a parameter, and
// soft words counted once each, as datatrove's set of URL words does.
func TestURLFilterWordCase(t *testing.T) {
	for mode, want := range map[string]map[string]string{
		URLWordsCaseSensitive: {
			"https://example.com/casino-games": "url_hard_blacklisted",
			"https://example.com/Casino-games": "",
			"https://example.com/HOT-and-LIVE": "",
			"https://example.com/hot-and-live": "url_soft_blacklisted",
			"https://example.com/hot/hot/hot":  "", // one distinct soft word
		},
		URLWordsCaseInsensitive: {
			"https://example.com/casino-games": "url_hard_blacklisted",
			"https://example.com/Casino-games": "url_hard_blacklisted",
			"https://example.com/HOT-and-LIVE": "url_soft_blacklisted",
			"https://example.com/hot-and-live": "url_soft_blacklisted",
			"https://example.com/hot/hot/hot":  "",
		},
	} {
		cfg := DefaultURLFilterConfig()
		cfg.WordCase = mode
		cfg.BannedWords = []string{"Casino"} // lists are lower-cased on loading
		cfg.SoftBannedWords = []string{"hot", "live"}
		f, err := NewURLFilter(cfg)
		must(t, err)
		for url, reason := range want {
			d := doc("text", "en")
			d.URL = url
			if o := f.Process(d, nil); o.Reason != reason {
				t.Errorf("word_case %s: %s: %q, want %q", mode, url, o.Reason, reason)
			}
		}
	}
	if DefaultURLFilterConfig().WordCase != URLWordsCaseSensitive {
		t.Error("the default is not datatrove's case-sensitive matching")
	}
	cfg := DefaultURLFilterConfig()
	cfg.WordCase = "upper"
	if _, err := NewURLFilter(cfg); err == nil {
		t.Error("word_case: upper accepted")
	}
}

func TestURLFilterAllowList(t *testing.T) {
	cfg := DefaultURLFilterConfig()
	cfg.AllowDomains = []string{"wikipedia.org", "blog.example.com"}
	cfg.AllowURLs = []string{"https://example.net/one-page"}
	f, err := NewURLFilter(cfg)
	must(t, err)
	for url, keep := range map[string]bool{
		"https://en.wikipedia.org/wiki/Go": true,
		"https://blog.example.com/post":    true,
		"https://a.blog.example.com/post":  true,
		"https://www.example.com/post":     false,
		"https://example.net/one-page":     true,
		"https://example.net/another-page": false,
		"not a url":                        false,
	} {
		d := doc("text", "en")
		d.URL = url
		if o := f.Process(d, nil); o.Drop == keep {
			t.Errorf("%s: %v, want keep=%v", url, o, keep)
		}
	}
}

func TestURLFilterMissingFile(t *testing.T) {
	cfg := DefaultURLFilterConfig()
	cfg.BlockDomainsFiles = []string{"/nonexistent/list"}
	if _, err := NewURLFilter(cfg); err == nil {
		t.Error("missing list file accepted")
	}
}

// TestURLFilterBlockCategories blocks UT1 categories from the shipped lists.
func TestURLFilterBlockCategories(t *testing.T) {
	cfg := DefaultURLFilterConfig()
	cfg.BlockCategories = []string{"fakenews", "gambling"}
	f, err := NewURLFilter(cfg)
	must(t, err)
	for url, want := range map[string]string{
		"https://www.bet365.com/en/":       "url_category_gambling",
		"https://FAKENEWS_HOST/article/1":  "url_category_fakenews",
		"https://www.lemonde.fr/article/1": "", // press: not blocked
		"https://example.org/":             "",
	} {
		d := doc("text", "en")
		d.URL = strings.Replace(url, "FAKENEWS_HOST", "www.50statesoflie.com", 1)
		o := f.Process(d, nil)
		if o.Reason != want {
			t.Errorf("%s: %q, want %q", d.URL, o.Reason, want)
		}
		if f.Decide(d.Signals, "en") != o {
			t.Errorf("%s: replay differs", url)
		}
	}
	found := false
	for _, s := range f.SignalNames() {
		found = found || s == "url_category_fakenews"
	}
	if !found {
		t.Errorf("signals %v", f.SignalNames())
	}
	cfg.BlockCategories = []string{"no-such-category"}
	if _, err := NewURLFilter(cfg); err == nil || !strings.Contains(err.Error(), "gambling") {
		t.Errorf("unknown category: %v", err)
	}
}
