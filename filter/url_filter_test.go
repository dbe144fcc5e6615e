package filter

import (
	"os"
	"path/filepath"
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
