package filter

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/sieve-data/sieve/pipeline"
)

// Signals of the pii step: how many addresses were masked.
const (
	SigPIIEmails = "pii_emails"
	SigPIIIPs    = "pii_ips"
)

// PIIConfig holds datatrove's PIIFormatter parameters; IPv6 is added.
type PIIConfig struct {
	RemoveEmails        bool     `yaml:"remove_emails"`
	RemoveIPs           bool     `yaml:"remove_ips"`
	OnlyRemovePublicIPs bool     `yaml:"only_remove_public_ips"`
	EmailReplacement    []string `yaml:"email_replacement"`
	IPReplacement       []string `yaml:"ip_replacement"`
	IPv6Replacement     []string `yaml:"ipv6_replacement"`
}

// DefaultPIIConfig returns datatrove's defaults. The IPv4 replacements are
// datatrove's (random addresses that did not answer pings); the IPv6 one is
// from the documentation prefix 2001:db8::/32, which never routes.
func DefaultPIIConfig() PIIConfig {
	return PIIConfig{
		RemoveEmails: true, RemoveIPs: true, OnlyRemovePublicIPs: true,
		EmailReplacement: []string{"email@example.com", "firstname.lastname@example.org"},
		IPReplacement:    []string{"22.214.171.124", "126.96.36.199", "188.8.131.52", "184.108.40.206", "220.127.116.11", "18.104.22.168"},
		IPv6Replacement:  []string{"2001:db8::1"},
	}
}

// The e-mail pattern is datatrove's (RFC 5322's practical subset), made
// case-insensitive.
var (
	emailRE = regexp.MustCompile(`(?i)\b[a-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+)*@(?:(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?|\[(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?|[a-z0-9-]*[a-z0-9]:)])`)
)

// nonGlobal are the special-purpose ranges Python's ip_address.is_global
// excludes beyond netip's private/loopback/link-local/multicast checks.
var nonGlobal = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("2001:db8::/32"), netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("100::/64"), netip.MustParsePrefix("2001::/23"),
}

func isPublicIP(a netip.Addr) bool {
	if !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	for _, p := range nonGlobal {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// PII is the "pii" step: a formatter that masks e-mail and IP addresses.
// It never drops a document.
type PII struct {
	cfg PIIConfig
	// validReplacements: every replacement is valid UTF-8, so masking a
	// valid text (at the addresses' ASCII boundaries) keeps it valid.
	validReplacements bool
}

// NewPII builds the step.
func NewPII(cfg PIIConfig) (*PII, error) {
	if cfg.RemoveEmails && len(cfg.EmailReplacement) == 0 || cfg.RemoveIPs && (len(cfg.IPReplacement) == 0 || len(cfg.IPv6Replacement) == 0) {
		return nil, fmt.Errorf("pii: a replacement list is empty")
	}
	p := &PII{cfg: cfg, validReplacements: true}
	for _, l := range [][]string{cfg.EmailReplacement, cfg.IPReplacement, cfg.IPv6Replacement} {
		for _, r := range l {
			p.validReplacements = p.validReplacements && utf8.ValidString(r)
		}
	}
	return p, nil
}

// Name implements pipeline.Step.
func (p *PII) Name() string { return "pii" }

// SignalNames implements pipeline.SignalDeclarer.
func (p *PII) SignalNames() []string { return []string{SigPIIEmails, SigPIIIPs} }

// Process masks d's addresses. Replacements cycle per document (datatrove
// cycles over the whole run, which depends on how work is split).
func (p *PII) Process(d *pipeline.Document, m *pipeline.Metrics) pipeline.Outcome {
	text, emails, ips := p.Mask(d.Text)
	if text != d.Text {
		valid := p.validReplacements && d.TextKnownValid()
		d.Text = text
		d.ReleaseAnalysis()
		if valid {
			d.MarkTextValid()
		}
	}
	d.SetSignal(SigPIIEmails, float64(emails))
	d.SetSignal(SigPIIIPs, float64(ips))
	if m != nil {
		m.Add("emails_masked", int64(emails))
		m.Add("ips_masked", int64(ips))
		if emails+ips > 0 {
			m.Add("documents_masked", 1)
		}
	}
	return pipeline.Keep
}

// Decide implements replay: masking never drops.
func (p *PII) Decide(map[string]float64, string) pipeline.Outcome { return pipeline.Keep }

// Mask returns text with addresses replaced and how many of each it found.
//
// Go's regexp has no fast path for unanchored patterns like these, so the
// text is scanned for candidates by hand (around each "@", each run of
// digits and dots, each run of hex digits and colons) and only those short
// windows go through the pattern or netip.ParseAddr.
func (p *PII) Mask(text string) (string, int, int) {
	var emails, ips int
	if p.cfg.RemoveEmails && strings.IndexByte(text, '@') >= 0 {
		text = replaceCandidates(text, emailCandidates, func(s string) (string, bool) {
			r := p.cfg.EmailReplacement[emails%len(p.cfg.EmailReplacement)]
			emails++
			return r, true
		})
	}
	if p.cfg.RemoveIPs {
		n4, n6 := 0, 0
		text = replaceCandidates(text, ipCandidates, func(s string) (string, bool) {
			a, err := netip.ParseAddr(s)
			if err != nil || a.Is4In6() || p.cfg.OnlyRemovePublicIPs && !isPublicIP(a) {
				return s, false
			}
			if a.Is4() {
				r := p.cfg.IPReplacement[n4%len(p.cfg.IPReplacement)]
				n4++
				return r, true
			}
			r := p.cfg.IPv6Replacement[n6%len(p.cfg.IPv6Replacement)]
			n6++
			return r, true
		})
		ips = n4 + n6
	}
	return text, emails, ips
}

// replaceCandidates replaces each [start, end) span that find yields and
// repl accepts.
func replaceCandidates(text string, find func(string, func(int, int)), repl func(string) (string, bool)) string {
	var b strings.Builder
	last := 0
	find(text, func(start, end int) {
		if start < last {
			return
		}
		r, ok := repl(text[start:end])
		if !ok {
			return
		}
		if b.Len() == 0 {
			b.Grow(len(text))
		}
		b.WriteString(text[last:start])
		b.WriteString(r)
		last = end
	})
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

func isEmailLocalByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+/=?^_`{|}~-.", c) >= 0
}

func isEmailDomainByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '[' || c == ']' || c == ':'
}

// emailCandidates yields the e-mail pattern's leftmost match inside the
// widest window of address characters around each "@".
func emailCandidates(text string, yield func(int, int)) {
	for i := 0; i < len(text); {
		at := strings.IndexByte(text[i:], '@')
		if at < 0 {
			return
		}
		at += i
		lo := at
		for lo > 0 && isEmailLocalByte(text[lo-1]) {
			lo--
		}
		hi := at + 1
		for hi < len(text) && isEmailDomainByte(text[hi]) {
			hi++
		}
		if loc := emailRE.FindStringIndex(text[lo:hi]); loc != nil {
			yield(lo+loc[0], lo+loc[1])
		}
		i = hi
		if i <= at {
			i = at + 1
		}
	}
}

// ipCandidates yields maximal runs of [0-9.] with three dots (IPv4) and of
// [0-9a-fA-F:.] with two or more colons (IPv6) that are not glued to a
// letter or digit.
//
// Every candidate holds a "." or ":", so only the maximal runs of
// [0-9a-fA-F:.] around those bytes (found with IndexByte, which skips the
// rest of the text many bytes at a time) are looked at. In such a run
// the candidate starts at the first hex digit or colon that does not
// follow a letter or digit and goes to the run's end, less trailing full
// stops: what a byte-by-byte left-to-right scan finds (ipCandidatesScan
// in the tests, FuzzIPCandidates).
func ipCandidates(text string, yield func(int, int)) {
	nextDot, nextColon := -1, -1 // the next "." and ":" at or after off; -1: look again
	for off := 0; off < len(text); {
		if nextDot < off && nextDot != len(text) {
			nextDot = indexByteFrom(text, '.', off)
		}
		if nextColon < off && nextColon != len(text) {
			nextColon = indexByteFrom(text, ':', off)
		}
		k := min(nextDot, nextColon)
		if k == len(text) {
			return
		}
		lo, hi := k, k+1
		for lo > 0 && ipByte[text[lo-1]]&ipRun != 0 {
			lo--
		}
		for hi < len(text) && ipByte[text[hi]]&ipRun != 0 {
			hi++
		}
		off = hi
		start := lo
		for ; start < hi; start++ {
			if ipByte[text[start]]&(ipHex|ipColon) != 0 && (start == 0 || ipByte[text[start-1]]&ipAlnum == 0) {
				break
			}
		}
		if start == hi {
			continue
		}
		end := hi
		// A sentence's full stop is not part of the address.
		for end > start && text[end-1] == '.' {
			end--
		}
		if end == start || end < len(text) && ipByte[text[end]]&ipAlnum != 0 {
			continue // glued to a letter or digit
		}
		colons, dots := 0, 0
		for _, c := range []byte(text[start:end]) {
			switch c {
			case ':':
				colons++
			case '.':
				dots++
			}
		}
		if colons == 0 && dots == 3 || colons >= 2 {
			yield(start, end)
		}
	}
}

// indexByteFrom returns the index of the first c in text at or after off,
// len(text) when there is none.
func indexByteFrom(text string, c byte, off int) int {
	if k := strings.IndexByte(text[off:], c); k >= 0 {
		return off + k
	}
	return len(text)
}

// Byte classes for ipCandidates (a table lookup per byte instead of range
// tests: this scan touches every byte of every document).
const (
	ipHex = 1 << iota
	ipColon
	ipDot
	ipAlnum
	ipRun = ipHex | ipColon | ipDot // the bytes of a candidate
)

var ipByte = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		if '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F' {
			t[c] |= ipHex
		}
		if isAlnum(b) {
			t[c] |= ipAlnum
		}
	}
	t[':'] |= ipColon
	t['.'] |= ipDot
	return
}()

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
