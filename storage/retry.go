package storage

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/url"
	"syscall"
	"time"

	"github.com/minio/minio-go/v7"
)

// Retry is the backoff policy for remote requests and broken reads.
type Retry struct {
	// Attempts is the most tries of one request (1 = no retry). A read that
	// keeps making progress between breaks gets a fresh budget each time.
	Attempts int
	// Base is the first backoff ceiling; it doubles per failed attempt
	// up to Max. The actual wait is uniform in [0, ceiling) ("full jitter",
	// so that thousands of tasks throttled together do not retry together).
	Base, Max time.Duration
}

// DefaultRetry is patient: Common Crawl's bucket answers SlowDown for
// minutes under load, and a task that gives up loses its whole input file.
// 12 attempts wait up to about 0.1+0.2+...+25.6+30+30 s ≈ 1.5 min in total.
var DefaultRetry = Retry{Attempts: 12, Base: 100 * time.Millisecond, Max: 30 * time.Second}

func (r Retry) attempts() int {
	if r.Attempts < 1 {
		return 1
	}
	return r.Attempts
}

// backoff is the wait before retry number n (0-based).
func (r Retry) backoff(n int) time.Duration {
	ceil := r.Base
	for i := 0; i < n && ceil < r.Max; i++ {
		ceil *= 2
	}
	if ceil > r.Max {
		ceil = r.Max
	}
	if ceil <= 0 {
		return 0
	}
	return rand.N(ceil)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// do runs fn until it succeeds, fails with an error that is not worth
// retrying, or the attempts are used up.
func (r Retry) do(ctx context.Context, what string, fn func() error) error {
	var err error
	for n := 0; n < r.attempts(); n++ {
		if n > 0 {
			if serr := sleep(ctx, r.backoff(n-1)); serr != nil {
				return fmt.Errorf("%s: %w (after %d attempts, last error: %v)", what, serr, n, err)
			}
		}
		if err = fn(); err == nil || !retryable(err) {
			return err
		}
	}
	return fmt.Errorf("%s: giving up after %d attempts: %w", what, r.attempts(), err)
}

// retryable reports whether err is throttling, a server-side failure or a
// broken connection: worth trying again. Missing objects, access errors and
// a cancelled context are not.
func retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var er minio.ErrorResponse
	if errors.As(err, &er) {
		switch er.Code {
		case "SlowDown", "SlowDownRead", "SlowDownWrite", "Throttling", "ThrottlingException",
			"RequestLimitExceeded", "TooManyRequests", "ServiceUnavailable", "InternalError",
			"RequestTimeout", "RequestTimeTooSkewed", "ExpiredToken":
			return true
		}
		return er.StatusCode >= 500 || er.StatusCode == 429 || er.StatusCode == 408
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, errStalled) {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return !dns.IsNotFound // a misspelt endpoint will not start to exist
	}
	var cert *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var badHost x509.HostnameError
	if errors.As(err, &cert) || errors.As(err, &unknownCA) || errors.As(err, &badHost) {
		return false
	}
	// Anything else that went wrong on the wire is worth another try:
	// resets, refusals, timeouts, "server closed idle connection", and
	// minio-go's "Connection closed by foreign host" (its rewording of a
	// request's io.EOF), all of which arrive inside *url.Error.
	var ue *url.Error
	var oe *net.OpError
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &oe) || (errors.As(err, &ne) && ne.Timeout())
}

// errStalled is the error of a read whose connection sent nothing for
// Options.StallTimeout.
var errStalled = errors.New("storage: connection stalled")
