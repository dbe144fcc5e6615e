// Command table prints the benchmark table of bench/run from the runs it
// measured: a tab-separated list (label, workers, wall seconds, peak RSS KiB,
// output directory, and optionally CPU seconds: user + system, and the run's
// CPU profile as `go tool pprof -traces` prints it) and the gzip -dc floor.
// It reads each OUT/stats.json for document counts and per-step time, and
// prints for each 1-worker run a per-step table: µs per document and per KB
// of text, share of the run's CPU, and the time outside the steps, broken
// down from the profile when there is one (profile.go).
//
//	go run ./bench/table -runs runs.tsv -gzip 3.2 -cat 0.4 -bytes 524288000
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
)

// stats is the part of OUT/stats.json the table needs.
type stats struct {
	Run struct {
		Pipeline   string  `json:"pipeline"`
		InputBytes int64   `json:"input_bytes"`
		Elapsed    float64 `json:"elapsed_secs"`
		Documents  int64   `json:"documents"`
	} `json:"run"`
	Steps []step `json:"steps"`
	Kept  struct {
		Bytes int64 `json:"bytes"` // text bytes of the documents written
	} `json:"kept"`
}

type step struct {
	Name  string `json:"name"`
	In    int64  `json:"in"`
	Out   int64  `json:"out"`
	Nanos int64  `json:"nanos"`
	Bytes int64  `json:"bytes"`
}

type run struct {
	label   string
	workers int
	wall    float64
	rssKiB  int64
	cpu     float64 // user + system seconds; 0 when not measured
	st      stats
	prof    *profile // CPU profile of the run; nil when not profiled
}

func main() {
	runsFile := flag.String("runs", "", "tab-separated runs: label workers wall_secs peak_rss_kib outdir [cpu_secs [pprof_traces]]")
	gzipSecs := flag.Float64("gzip", 0, "wall seconds of gzip -dc over the same files (the floor)")
	gzipCPU := flag.Float64("gzip-cpu", 0, "CPU seconds (user + system) of gzip -dc over the same files; the CPU/gzip column's floor (wall seconds when 0)")
	catSecs := flag.Float64("cat", 0, "wall seconds of cat over the same files (I/O)")
	rawBytes := flag.Int64("bytes", 0, "uncompressed bytes of the corpus")
	flag.Parse()
	runs, err := readRuns(*runsFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "table:", err)
		os.Exit(1)
	}
	print(os.Stdout, runs, *gzipSecs, *gzipCPU, *catSecs, *rawBytes)
}

func readRuns(path string) ([]run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var runs []run
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 5 || len(c) > 7 {
			continue
		}
		r := run{label: c[0]}
		r.workers, _ = strconv.Atoi(c[1])
		r.wall, _ = strconv.ParseFloat(c[2], 64)
		r.rssKiB, _ = strconv.ParseInt(c[3], 10, 64)
		if len(c) >= 6 {
			r.cpu, _ = strconv.ParseFloat(c[5], 64)
		}
		b, err := os.ReadFile(filepath.Join(c[4], "stats.json"))
		if err != nil {
			return nil, fmt.Errorf("run %s: %w", r.label, err)
		}
		if err := json.Unmarshal(b, &r.st); err != nil {
			return nil, fmt.Errorf("run %s: %s: %w", r.label, c[4], err)
		}
		if len(c) == 7 && c[6] != "" {
			names := make([]string, len(r.st.Steps))
			for i, s := range r.st.Steps {
				names[i] = s.Name
			}
			if r.prof, err = readTraces(c[6], names); err != nil {
				return nil, fmt.Errorf("run %s: %w", r.label, err)
			}
		}
		runs = append(runs, r)
	}
	return runs, sc.Err()
}

// print writes the table. gz is gzip -dc's wall seconds, the floor of the
// wall ratios; gzCPU its CPU seconds, the floor of CPU/gzip (gz when 0):
// CPU over CPU does not move when other jobs share the machine.
func print(w io.Writer, runs []run, gz, gzCPU, cat float64, raw int64) {
	mb := float64(raw) / 1e6
	fmt.Fprintf(w, "Floor: gzip -dc %.2fs wall (%.0f MB/s uncompressed)", gz, mb/gz)
	if gzCPU > 0 {
		fmt.Fprintf(w, ", %.2f CPU s", gzCPU)
	} else {
		gzCPU = gz
	}
	fmt.Fprintf(w, ", cat %.2fs; corpus %.0f MB uncompressed\n\n", cat, mb)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "run\tworkers\twall s\thtml docs in\tdocs out\tdocs/s\tdocs/s/core\tMB/s\tMB/s/core\tpeak RSS MiB\twall/gzip\twall×W/gzip\tCPU s\tCPU/gzip\t")
	byLabel := map[string]map[int]run{}
	var order []string
	for _, r := range runs {
		if byLabel[r.label] == nil {
			byLabel[r.label] = map[int]run{}
			order = append(order, r.label)
		}
		byLabel[r.label][r.workers] = r
		in := int64(0)
		if len(r.st.Steps) > 0 {
			in = r.st.Steps[0].In
		}
		dps := float64(in) / r.wall
		cpu, cpuRatio := "-", "-"
		if r.cpu > 0 {
			cpu, cpuRatio = fmt.Sprintf("%.2f", r.cpu), fmt.Sprintf("%.2f×", r.cpu/gzCPU)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%d\t%d\t%.0f\t%.0f\t%.1f\t%.1f\t%.0f\t%.2f×\t%.2f×\t%s\t%s\t\n", r.label, r.workers, r.wall, in, r.st.Run.Documents,
			dps, dps/float64(r.workers), mb/r.wall, mb/r.wall/float64(r.workers), float64(r.rssKiB)/1024, r.wall/gz, r.wall*float64(r.workers)/gz, cpu, cpuRatio)
	}
	tw.Flush()

	scaling := false
	for _, l := range order {
		if a, ok := byLabel[l][1]; ok {
			if b, ok := byLabel[l][2]; ok {
				if !scaling {
					fmt.Fprintln(w, "\nScaling 1 → 2 workers (speedup of wall time; 2.00 is linear):")
					scaling = true
				}
				fmt.Fprintf(w, "  %-16s %.2f×\n", l, a.wall/b.wall)
			}
		}
	}

	for _, l := range order {
		if r, ok := byLabel[l][1]; ok {
			fmt.Fprintln(w)
			perStep(w, r)
		}
	}
}

// perStep prints where one run's time went, step by step: per step the
// documents entering it, its time per document and per KB of text, and its
// share of the run's CPU; then the time outside the steps (reading, gunzip,
// HTTP parsing, writing shards, the dedup pass, the report, start-up, the
// garbage collector). With a CPU profile (r.prof) the times are the
// profile's CPU seconds, and the outside time is broken down; without one
// they are stats.json's wall time inside each step, against the process's
// CPU (user + system; wall when CPU was not measured), which overstates the
// steps when the machine is busy.
func perStep(w io.Writer, r run) {
	total, basis := r.cpu, "CPU"
	if total <= 0 {
		total, basis = r.wall, "wall"
	}
	stepSecs := func(s step) float64 { return float64(s.Nanos) / 1e9 }
	if r.prof != nil {
		total, basis = r.prof.total.Seconds(), "CPU"
		stepSecs = func(s step) float64 { return r.prof.steps[s.Name].Seconds() }
	}
	inside := 0.0
	for _, s := range r.st.Steps {
		inside += stepSecs(s)
	}
	fmt.Fprintf(w, "Per step, %s, %d worker: ", r.label, r.workers)
	if r.prof != nil {
		fmt.Fprintf(w, "CPU %.2f s (user+system), profiled %.2f s", r.cpu, total)
	} else {
		fmt.Fprintf(w, "%s %.2f s", basis, total)
	}
	fmt.Fprintf(w, " = inside the steps %.2f s (%.1f%%) + outside the steps %.2f s (%.1f%%)\n",
		inside, 100*safeDiv(inside, total), total-inside, 100*safeDiv(total-inside, total))
	// The text of the steps before and including extraction is what
	// extraction yields: the input of the step after it.
	textBytes := int64(0)
	htmlSteps := 0
	for i, s := range r.st.Steps {
		if s.Name == "extract" {
			htmlSteps = i + 1
			if i+1 < len(r.st.Steps) {
				textBytes = r.st.Steps[i+1].Bytes
			} else {
				textBytes = r.st.Kept.Bytes // extraction is the last step: its text is what was written
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	if r.prof != nil {
		fmt.Fprintf(tw, "step\tdocs in\tout\twall s in step\tCPU s (profile)\tµs/doc\tKB in/doc\tµs/KB text\tshare of CPU\t\n")
	} else {
		fmt.Fprintf(tw, "step\tdocs in\tout\tstep s\tµs/doc\tKB in/doc\tµs/KB text\tshare of %s\t\n", basis)
	}
	for i, s := range r.st.Steps {
		secs := stepSecs(s)
		text, kind := s.Bytes, ""
		if i < htmlSteps {
			text, kind = textBytes, " HTML"
		}
		perKB := "-"
		if text > 0 {
			perKB = fmt.Sprintf("%.1f", secs*1e6/(float64(text)/1024))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t", s.Name, s.In, s.Out)
		if r.prof != nil {
			fmt.Fprintf(tw, "%.3f\t", float64(s.Nanos)/1e9)
		}
		fmt.Fprintf(tw, "%.3f\t%.1f\t%.1f%s\t%s\t%.1f%%\t\n", secs, safeDiv(secs*1e6, float64(s.In)),
			safeDiv(float64(s.Bytes)/1024, float64(s.In)), kind, perKB, 100*safeDiv(secs, total))
	}
	pad := "\t\t\t"
	if r.prof != nil {
		pad += "\t"
	}
	fmt.Fprintf(tw, "outside the steps%s%.3f\t\t\t\t%.1f%%\t\n", pad, total-inside, 100*safeDiv(total-inside, total))
	if r.prof != nil {
		lines := []struct {
			name string
			d    float64
		}{{"  in the chain, not in a step", r.prof.chain.Seconds()}}
		for _, k := range outsideOrder() {
			lines = append(lines, struct {
				name string
				d    float64
			}{"  " + k, r.prof.outside[k].Seconds()})
		}
		for _, l := range lines {
			fmt.Fprintf(tw, "%s%s%.3f\t\t\t\t%.1f%%\t\n", l.name, pad, l.d, 100*safeDiv(l.d, total))
		}
	}
	tw.Flush()
	if r.prof == nil {
		fmt.Fprintln(w, "(outside the steps: reading, gunzip, HTTP parsing, writing shards, the dedup pass, the report, start-up, GC work)")
		if inside > total {
			fmt.Fprintln(w, "(warning: the steps' wall time exceeds the process's CPU time: the machine was busy and the step times include waiting for a core; profile the run for CPU per step)")
		}
	}
	for fn, d := range r.prof.unmatchedSorted() {
		fmt.Fprintf(w, "(a Process method that matches no step name: %s, %.3f s)\n", fn, d)
	}
	if textBytes > 0 {
		fmt.Fprintf(w, "(µs/KB text: per KB of text entering the step; for the steps up to extract, per KB of the text extraction yields, %.0f KB in all)\n", float64(textBytes)/1024)
	}
}

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
