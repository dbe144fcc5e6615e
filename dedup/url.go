package dedup

import (
	"net/url"
	"strings"
)

// NormalizeURL returns the form under which two URLs count as the same page:
// scheme dropped (http and https serve the same page for dedup purposes),
// host lower-cased without a leading "www." and without default ports,
// fragment removed, an empty path written as "/", and a trailing slash
// removed from other paths. Query strings are kept as they are (their order
// can matter to the server). A URL that does not parse is used trimmed and
// lower-cased, so it still deduplicates against itself.
func NormalizeURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return strings.ToLower(raw)
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimSuffix(host, ".")
	host = strings.TrimPrefix(host, "www.")
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	} else if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	var b strings.Builder
	b.WriteString(host)
	b.WriteString(path)
	if u.RawQuery != "" {
		b.WriteByte('?')
		b.WriteString(u.RawQuery)
	}
	return b.String()
}
