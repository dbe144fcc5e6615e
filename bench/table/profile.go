package main

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"time"
)

// A CPU profile says where a run's CPU went even when the machine is busy:
// a step's time in stats.json is wall time inside the step, which grows
// while the process waits for a core; profile samples count CPU time only.
// bench/run profiles the 1-worker fineweb run and passes the samples as
// `go tool pprof -traces` prints them (one stack per sample group, leaf
// first). A sample belongs to a step when its stack passes through the
// chain (Chain.Process or Chain.step, or Batch.Flush, which runs the steps
// after extraction a batch at a time): the frame the chain called is the
// step's Process method.
// Samples outside the chain are sorted into the work around the steps.

// profile is one run's CPU by step and by the work outside the steps.
type profile struct {
	total time.Duration
	steps map[string]time.Duration // by step name (matched from the Process method)
	chain time.Duration            // inside the chain but not in a step's Process (timing, drop hooks)
	// unmatched are the chain's callees that matched no step name, so a
	// renamed step type shows up instead of vanishing into chain.
	unmatched map[string]time.Duration
	outside   map[string]time.Duration // by outsideKinds
}

// chainFrames are the frames that call a step's Process.
var chainFrames = []string{"pipeline.(*Chain).Process", "pipeline.(*Chain).step", "pipeline.(*Batch).Flush"}

// outsideKinds are the classes of work outside the steps, in the order
// they are tried on a stack: the first whose frame marker occurs wins.
var outsideKinds = []struct{ name, marker string }{
	{"start-up (models, tables, lists)", "sieve/runner.Build"},
	{"start-up (models, tables, lists)", "sieve/data."}, // loaded on first use, e.g. the site categories by the report pass
	{"dedup pass (MinHash over the shards)", "sieve/dedup."},
	{"stats and report (re-reads the shards)", "runner.observeShards"},
	{"stats and report (re-reads the shards)", "sieve/stats."},
	{"writing shards (Arrow)", "sieve/shard."},
	{"gunzip", "sieve/ingest/warc.(*inflater)"},
	{"gunzip", "/compress/flate."},
	{"gunzip", "compress/gzip."},
	{"reading WARC, HTTP", "sieve/ingest/"},
	{"garbage collector (background)", "runtime.gcBgMarkWorker"},
	{"garbage collector (background)", "runtime.bgsweep"},
	{"garbage collector (background)", "runtime.bgscavenge"},
}

const otherKind = "other (runtime, scheduler, run loop)"

// readTraces parses `go tool pprof -traces` output and attributes it to
// the given step names.
func readTraces(path string, stepNames []string) (*profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseTraces(f, path, stepNames)
}

// parseTraces reads `go tool pprof -traces` output from r; errors name
// path and the line.
func parseTraces(r io.Reader, path string, stepNames []string) (*profile, error) {
	p := &profile{steps: map[string]time.Duration{}, outside: map[string]time.Duration{}, unmatched: map[string]time.Duration{}}
	var value time.Duration
	var frames []string
	flush := func() {
		if len(frames) > 0 && value > 0 {
			p.add(value, frames, stepNames)
		}
		frames, value = frames[:0], 0
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		switch {
		case strings.HasPrefix(t, "-----------+"):
			flush()
		case strings.HasPrefix(t, " ") && strings.TrimSpace(t) != "":
			fields := strings.Fields(t)
			if len(frames) == 0 && !strings.HasPrefix(t, "             ") {
				// The first line of a sample group: "  10ms   leaf.func".
				d, err := time.ParseDuration(fields[0])
				if err != nil {
					return nil, fmt.Errorf("%s:%d: sample value %q: %w", path, line, fields[0], err)
				}
				if d <= 0 || d > math.MaxInt64-p.total {
					return nil, fmt.Errorf("%s:%d: sample value %q is not positive or overflows the total", path, line, fields[0])
				}
				value = d
				fields = fields[1:]
			}
			if len(fields) > 0 {
				frames = append(frames, fields[0])
			}
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if p.total == 0 {
		return nil, fmt.Errorf("%s: no samples", path)
	}
	return p, nil
}

func (p *profile) add(v time.Duration, frames []string, stepNames []string) {
	p.total += v
	for i, f := range frames {
		if slices.ContainsFunc(chainFrames, func(c string) bool { return strings.HasSuffix(f, c) }) {
			if i > 0 {
				if name := stepOf(frames[i-1], stepNames); name != "" {
					p.steps[name] += v
					return
				}
				if strings.HasSuffix(frames[i-1], ").Process") {
					p.unmatched[frames[i-1]] += v
				}
			}
			// Work the chain calls back (a batch's writes and drop
			// hooks) is the outside work it is, else the chain's own.
			if k := outsideKind(frames[:i]); k != "" {
				p.outside[k] += v
				return
			}
			p.chain += v
			return
		}
	}
	if k := outsideKind(frames); k != "" {
		p.outside[k] += v
		return
	}
	p.outside[otherKind] += v
}

// outsideKind is the first of outsideKinds whose marker is on frames, or "".
func outsideKind(frames []string) string {
	for _, k := range outsideKinds {
		for _, f := range frames {
			if strings.Contains(f, k.marker) {
				return k.name
			}
		}
	}
	return ""
}

// stepOf names the step whose Process method fn is: the receiver type
// lowercased (GopherRepetition: gopher_repetition), or the package for a
// type named Step (extract.(*Step): extract), compared without
// underscores. "" when fn is no step's method.
func stepOf(fn string, stepNames []string) string {
	if !strings.HasSuffix(fn, ").Process") {
		return ""
	}
	fn = strings.TrimSuffix(fn, ").Process")
	pkg, typ, ok := strings.Cut(fn[strings.LastIndex(fn, "/")+1:], ".(*")
	if !ok {
		return ""
	}
	key := strings.ToLower(typ)
	if key == "step" {
		key = pkg
	}
	for _, n := range stepNames {
		if strings.ReplaceAll(n, "_", "") == key {
			return n
		}
	}
	return ""
}

// unmatchedSorted yields the unmatched Process methods by name; none for a
// nil profile.
func (p *profile) unmatchedSorted() iter.Seq2[string, float64] {
	return func(yield func(string, float64) bool) {
		if p == nil {
			return
		}
		names := make([]string, 0, len(p.unmatched))
		for n := range p.unmatched {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if !yield(n, p.unmatched[n].Seconds()) {
				return
			}
		}
	}
}

// outsideOrder is the order of the outside lines: outsideKinds', then other.
func outsideOrder() []string {
	var names []string
	seen := map[string]bool{}
	for _, k := range outsideKinds {
		if !seen[k.name] {
			seen[k.name] = true
			names = append(names, k.name)
		}
	}
	return append(names, otherKind)
}
