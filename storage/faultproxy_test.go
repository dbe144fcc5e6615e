package storage

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// cutProxy is a loopback TCP proxy in front of the S3 server. Each of its
// first `faults` connections is cut (or, with stall, frozen) once it has
// carried `after` bytes from the server to the client; later connections
// pass through untouched.
type cutProxy struct {
	ln      net.Listener
	target  string
	after   int64
	faults  int64
	stall   bool
	cuts    atomic.Int64
	wg      sync.WaitGroup
	mu      sync.Mutex
	conns   []net.Conn
	closing chan struct{}
	once    sync.Once
}

func newCutProxy(t *testing.T, target string, after, faults int64, stall bool) *cutProxy {
	t.Helper()
	p := startCutProxy(t, target, after, faults, stall)
	t.Cleanup(p.close)
	return p
}

// newCutProxyTB is for benchmarks, which close the proxy themselves.
func newCutProxyTB(tb testing.TB, target string, after, faults int64) *cutProxy {
	return startCutProxy(tb, target, after, faults, false)
}

func startCutProxy(tb testing.TB, target string, after, faults int64, stall bool) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target, after: after, faults: faults, stall: stall, closing: make(chan struct{})}
	p.wg.Add(1)
	go p.serve()
	return p
}

func (p *cutProxy) endpoint() string { return "http://" + p.ln.Addr().String() }

func (p *cutProxy) track(c net.Conn) {
	p.mu.Lock()
	p.conns = append(p.conns, c)
	p.mu.Unlock()
}

func (p *cutProxy) close() {
	p.once.Do(p.shutdown)
}

func (p *cutProxy) shutdown() {
	close(p.closing)
	p.ln.Close()
	p.mu.Lock()
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *cutProxy) serve() {
	defer p.wg.Done()
	var n int64
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			client.Close()
			continue
		}
		p.track(client)
		p.track(server)
		n++
		faulty := n <= p.faults
		p.wg.Add(2)
		go func() { // client → server, untouched
			defer p.wg.Done()
			io.Copy(server, client)
			server.Close()
		}()
		go func() { // server → client, cut after p.after bytes
			defer p.wg.Done()
			defer client.Close()
			if !faulty {
				io.Copy(client, server)
				return
			}
			io.CopyN(client, server, p.after)
			p.cuts.Add(1)
			if p.stall {
				// Keep the connection open and silent until the client
				// gives up on it (or the test ends).
				client.SetReadDeadline(time.Now().Add(30 * time.Second))
				client.Read(make([]byte, 1)) // returns when the client closes

			}
			server.Close()
		}()
	}
}

// throttleProxy is an HTTP reverse proxy in front of the S3 server that
// answers the first `faults` requests matching `match` with S3's
// "503 SlowDown", as Common Crawl's bucket does under load.
type throttleProxy struct {
	srv       *httptest.Server
	throttled atomic.Int64
	seen      atomic.Int64
}

func newThrottleProxy(t *testing.T, target string, faults int64, match func(*http.Request) bool) *throttleProxy {
	t.Helper()
	u, err := url.Parse("http://" + target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	p := &throttleProxy{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if match(r) && p.seen.Add(1) <= faults {
			p.throttled.Add(1)
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+
				`<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>`+
				`<RequestId>TEST</RequestId></Error>`)
			return
		}
		rp.ServeHTTP(w, r) // Host stays the proxy's, so the signature holds
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *throttleProxy) endpoint() string { return p.srv.URL }

func isGet(r *http.Request) bool {
	return r.Method == http.MethodGet && !strings.Contains(r.URL.RawQuery, "list-type")
}

func isPartUpload(r *http.Request) bool {
	return r.Method == http.MethodPut && r.URL.Query().Get("partNumber") != ""
}
