// Package s3test starts the real S3-compatible server (versitygw, through
// scripts/s3-test-server) that sieve's tests use: never a mock, only on a
// loopback port.
package s3test

import (
	"bufio"
	"context"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Server is a running test server, or the reason there is none.
type Server struct {
	Endpoint, Region, AccessKey, SecretKey string
	// Missing says why no server runs; empty when one does.
	Missing string
}

// Binary finds the versitygw executable: on PATH or in GOPATH/bin.
func Binary() string {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err != nil {
		return ""
	}
	gopath := strings.Split(strings.TrimSpace(string(out)), string(os.PathListSeparator))[0]
	p := filepath.Join(gopath, "bin", "versitygw")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// Start runs scripts/s3-test-server (found under repoRoot) and waits until
// it answers. stop ends it and removes its folder. With no versitygw
// installed, Start returns a Server whose Missing says so.
//
// The script picks a free port and then starts versitygw on it; another
// test process (packages run in parallel) can take the port in between, so
// a server that exits before it is ready is started again on a new port.
func Start(repoRoot string) (srv *Server, stop func()) {
	for attempt := 1; ; attempt++ {
		srv, stop = startOnce(repoRoot)
		if srv.Missing != errExitedEarly || attempt == 3 {
			return srv, stop
		}
	}
}

const errExitedEarly = "scripts/s3-test-server exited before it was ready"

func startOnce(repoRoot string) (srv *Server, stop func()) {
	srv = &Server{}
	if Binary() == "" {
		srv.Missing = "versitygw not installed (scripts/s3-test-server --install-only)"
		return srv, func() {}
	}
	dir, err := os.MkdirTemp("", "sieve-s3-test-")
	if err != nil {
		srv.Missing = err.Error()
		return srv, func() {}
	}
	cmd := exec.Command("bash", filepath.Join(repoRoot, "scripts", "s3-test-server"), "--dir", dir)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		srv.Missing = "start scripts/s3-test-server: " + err.Error()
		os.RemoveAll(dir)
		return srv, func() {}
	}
	stop = func() {
		// The script's own process group: the script and its versitygw.
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		os.RemoveAll(dir)
	}
	env := map[string]string{}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if line == "ready" {
				ready <- true
				io.Copy(io.Discard, out)
				return
			}
			if k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "="); ok {
				env[k] = v
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			srv.Missing = errExitedEarly
			stop()
			return srv, func() {}
		}
	case <-time.After(60 * time.Second):
		srv.Missing = "scripts/s3-test-server not ready after 60 s"
		stop()
		return srv, func() {}
	}
	srv.Endpoint = env["AWS_ENDPOINT_URL"]
	srv.Region = env["AWS_REGION"]
	srv.AccessKey = env["AWS_ACCESS_KEY_ID"]
	srv.SecretKey = env["AWS_SECRET_ACCESS_KEY"]
	return srv, stop
}

// Need skips a test without a server, but fails it under CI, where the
// install step has run and a missing server is a broken setup.
func (s *Server) Need(t testing.TB) {
	t.Helper()
	if s.Missing == "" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but there is no S3 test server: %s", s.Missing)
	}
	t.Skip("no S3 test server: " + s.Missing)
}

// Env is the AWS environment that points a sieve process at the server.
func (s *Server) Env() []string {
	return []string{
		"AWS_ENDPOINT_URL=" + s.Endpoint, "AWS_REGION=" + s.Region,
		"AWS_ACCESS_KEY_ID=" + s.AccessKey, "AWS_SECRET_ACCESS_KEY=" + s.SecretKey,
	}
}

// MakeBucket creates a bucket on the server (through minio-go, not
// through sieve's storage package, so the code under test does not set up
// its own fixture).
func (s *Server) MakeBucket(t testing.TB, name string) {
	t.Helper()
	u, err := url.Parse(s.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""), Region: s.Region})
	if err != nil {
		t.Fatal(err)
	}
	if err := mc.MakeBucket(context.Background(), name, minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
}
