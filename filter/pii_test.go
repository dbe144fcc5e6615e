package filter

import (
	"strings"
	"testing"
)

func TestPIIMasking(t *testing.T) {
	p, err := NewPII(DefaultPIIConfig())
	must(t, err)
	for _, c := range []struct {
		in, out string
		emails  int
		ips     int
	}{
		{"Write to John.Doe+news@Example.co.uk today.", "Write to email@example.com today.", 1, 0},
		{"a@b.org and c@d.org", "email@example.com and firstname.lastname@example.org", 2, 0},
		{"Server 8.8.8.8 answered.", "Server 22.214.171.124 answered.", 0, 1},
		{"Private 192.168.1.1, loopback 127.0.0.1, docs 192.0.2.5.", "Private 192.168.1.1, loopback 127.0.0.1, docs 192.0.2.5.", 0, 0},
		{"Version 1.2.3.4.5 and 10.0.0.300 stay.", "Version 1.2.3.4.5 and 10.0.0.300 stay.", 0, 0},
		{"IPv6 2606:4700:4700::1111 and ::1 and fe80::1.", "IPv6 2001:db8::1 and ::1 and fe80::1.", 0, 1},
		{"Time 12:30:45 is not an address.", "Time 12:30:45 is not an address.", 0, 0},
		{"no addresses here", "no addresses here", 0, 0},
	} {
		d := doc(c.in, "en")
		var m pipelineMetrics
		if o := p.Process(d, &m.Metrics); o.Drop {
			t.Fatal("pii dropped a document")
		}
		if d.Text != c.out {
			t.Errorf("%q -> %q, want %q", c.in, d.Text, c.out)
		}
		if d.Signals[SigPIIEmails] != float64(c.emails) || d.Signals[SigPIIIPs] != float64(c.ips) {
			t.Errorf("%q: signals %v", c.in, d.Signals)
		}
		if m.Counts["emails_masked"] != int64(c.emails) || m.Counts["ips_masked"] != int64(c.ips) {
			t.Errorf("%q: counts %v", c.in, m.Counts)
		}
	}
}

func TestPIIAllIPs(t *testing.T) {
	cfg := DefaultPIIConfig()
	cfg.OnlyRemovePublicIPs = false
	p, err := NewPII(cfg)
	must(t, err)
	out, _, ips := p.Mask("LAN 192.168.1.1 here")
	if ips != 1 || strings.Contains(out, "192.168") {
		t.Errorf("%q %d", out, ips)
	}
}
