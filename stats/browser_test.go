package stats

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromium finds a Chromium binary (.ci/run installs Debian's chromium).
// Without one the browser tests are skipped, except under CI, where they
// must run.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found under CI (apt-get install chromium)")
	}
	t.Skip("chromium not installed")
	return ""
}

// render runs headless Chromium on page with extra flags and returns its
// standard output and error.
func render(t *testing.T, bin, page string, flags ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--user-data-dir=" + t.TempDir(), "--window-size=1280,900", "--enable-logging=stderr", "--v=0"}, flags...)
	args = append(args, "file://"+page)
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Dir = t.TempDir()
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errb.String())
	}
	return out.String(), errb.String()
}

var consoleError = regexp.MustCompile(`(?i)Uncaught|CONSOLE\(\d+\)\].*error|Refused to (load|connect|execute)`)

// pageErrors returns the script errors of a page: those the page recorded
// (data-js-error), console error lines, and a missing completion mark.
func pageErrors(t *testing.T, bin, page string) []string {
	dom, logs := render(t, bin, page, "--dump-dom")
	var errs []string
	if m := regexp.MustCompile(`data-js-error="([^"]*)"`).FindStringSubmatch(dom); m != nil {
		errs = append(errs, "page error: "+m[1])
	}
	for _, line := range strings.Split(logs, "\n") {
		if consoleError.MatchString(line) {
			errs = append(errs, "console: "+line)
		}
	}
	if !strings.Contains(dom, `data-ready="1"`) {
		errs = append(errs, "the page's script did not finish (no data-ready)")
	}
	return errs
}

// nonWhiteShare is the share of pixels of a PNG that are not near-white.
func nonWhiteShare(t *testing.T, path string) float64 {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	var ink, all int
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			all++
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				ink++
			}
		}
	}
	return float64(ink) / float64(all)
}

func TestReportRendersInChromium(t *testing.T) {
	bin := chromium(t)
	dir, _ := writeTestReport(t)
	page := filepath.Join(dir, "report.html")
	if errs := pageErrors(t, bin, page); len(errs) > 0 {
		t.Fatalf("report.html has errors in Chromium:\n%s", strings.Join(errs, "\n"))
	}
	shot := filepath.Join(dir, "shot.png")
	render(t, bin, page, "--screenshot="+shot, "--hide-scrollbars")
	if s := nonWhiteShare(t, shot); s < 0.05 {
		t.Fatalf("screenshot is blank: %.1f%% non-white pixels", s*100)
	}
}

// TestBrowserCheckCatchesErrors makes sure the checks above can fail: a
// page with a script error and a blank page are both caught.
func TestBrowserCheckCatchesErrors(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.html")
	os.WriteFile(bad, []byte(`<!DOCTYPE html><html><head><script>
window.addEventListener("error", function (e) { document.documentElement.setAttribute("data-js-error", String(e.message)); });
</script></head><body><script>undefinedFunction(); document.documentElement.setAttribute("data-ready", "1");</script></body></html>`), 0o644)
	if errs := pageErrors(t, bin, bad); len(errs) == 0 {
		t.Fatal("a page with an uncaught error passed the check")
	}
	blank := filepath.Join(dir, "blank.html")
	os.WriteFile(blank, []byte(`<!DOCTYPE html><html><body></body></html>`), 0o644)
	shot := filepath.Join(dir, "blank.png")
	render(t, bin, blank, "--screenshot="+shot, "--hide-scrollbars")
	if s := nonWhiteShare(t, shot); s >= 0.05 {
		t.Fatalf("a blank page has %.1f%% non-white pixels", s*100)
	}
}
