package ingest

import (
	"net"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"
)

// cleanURI strips the angle brackets an old wget wrote around
// WARC-Target-URI (and in WARC/0.x files) and surrounding space.
func cleanURI(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		s = s[1 : len(s)-1]
	}
	return s
}

// hostOf returns the lower-case host of a URL without port or user info.
// It is hand-written rather than net/url.Parse because crawled URLs are
// often invalid (spaces, bad escapes) and still have a clear host.
func hostOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	} else {
		return ""
	}
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	if i := strings.LastIndexByte(u, '@'); i >= 0 {
		u = u[i+1:]
	}
	if strings.HasPrefix(u, "[") { // IPv6 literal
		if i := strings.IndexByte(u, ']'); i >= 0 {
			return strings.ToLower(u[1:i])
		}
		return ""
	}
	if i := strings.LastIndexByte(u, ':'); i >= 0 {
		u = u[:i]
	}
	return strings.TrimSuffix(strings.ToLower(u), ".")
}

// registeredDomain returns the eTLD+1 of host ("bbc.co.uk" for
// "www.bbc.co.uk"), or the host itself for IP addresses and hosts the
// public suffix list does not cover.
func registeredDomain(host string) string {
	if host == "" || net.ParseIP(host) != nil {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// warcDateLayouts are the WARC-Date forms found in the wild: RFC 3339 with
// or without fractions (WARC/1.1), a zone without a colon, and the 14-digit
// form of ARC-era tools.
var warcDateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"20060102150405",
}

// parseWARCDate returns the capture time in UTC, or the zero time when the
// date does not parse (ClueWeb09 has "2008-10-294T05:21:46-0700").
func parseWARCDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range warcDateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
