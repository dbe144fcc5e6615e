// Command table prints the benchmark table of bench/run from the runs it
// measured: a tab-separated list (label, workers, wall seconds, peak RSS KiB,
// output directory, and optionally CPU seconds: user + system) and the gzip
// -dc floor. It reads each OUT/stats.json for
// document counts and per-step time.
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
}

func main() {
	runsFile := flag.String("runs", "", "tab-separated runs: label workers wall_secs peak_rss_kib outdir [cpu_secs]")
	gzipSecs := flag.Float64("gzip", 0, "wall seconds of gzip -dc over the same files (the floor)")
	catSecs := flag.Float64("cat", 0, "wall seconds of cat over the same files (I/O)")
	rawBytes := flag.Int64("bytes", 0, "uncompressed bytes of the corpus")
	flag.Parse()
	runs, err := readRuns(*runsFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "table:", err)
		os.Exit(1)
	}
	print(os.Stdout, runs, *gzipSecs, *catSecs, *rawBytes)
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
		if len(c) != 5 && len(c) != 6 {
			continue
		}
		r := run{label: c[0]}
		r.workers, _ = strconv.Atoi(c[1])
		r.wall, _ = strconv.ParseFloat(c[2], 64)
		r.rssKiB, _ = strconv.ParseInt(c[3], 10, 64)
		if len(c) == 6 {
			r.cpu, _ = strconv.ParseFloat(c[5], 64)
		}
		b, err := os.ReadFile(filepath.Join(c[4], "stats.json"))
		if err != nil {
			return nil, fmt.Errorf("run %s: %w", r.label, err)
		}
		if err := json.Unmarshal(b, &r.st); err != nil {
			return nil, fmt.Errorf("run %s: %s: %w", r.label, c[4], err)
		}
		runs = append(runs, r)
	}
	return runs, sc.Err()
}

func print(w io.Writer, runs []run, gz, cat float64, raw int64) {
	mb := float64(raw) / 1e6
	fmt.Fprintf(w, "Floor: gzip -dc %.2fs (%.0f MB/s uncompressed), cat %.2fs; corpus %.0f MB uncompressed\n\n", gz, mb/gz, cat, mb)
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
			cpu, cpuRatio = fmt.Sprintf("%.2f", r.cpu), fmt.Sprintf("%.2f×", r.cpu/gz)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%d\t%d\t%.0f\t%.0f\t%.1f\t%.1f\t%.0f\t%.2f×\t%.2f×\t%s\t%s\t\n", r.label, r.workers, r.wall, in, r.st.Run.Documents,
			dps, dps/float64(r.workers), mb/r.wall, mb/r.wall/float64(r.workers), float64(r.rssKiB)/1024, r.wall/gz, r.wall*float64(r.workers)/gz, cpu, cpuRatio)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nScaling 1 → 2 workers (speedup of wall time; 2.00 is linear):")
	for _, l := range order {
		if a, ok := byLabel[l][1]; ok {
			if b, ok := byLabel[l][2]; ok {
				fmt.Fprintf(w, "  %-16s %.2f×\n", l, a.wall/b.wall)
			}
		}
	}

	for _, l := range order {
		r, ok := byLabel[l][1]
		if !ok {
			continue
		}
		fmt.Fprintf(w, "\nPer stage, %s, 1 worker (time inside each step; docs/s and MB/s over that time):\n", l)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "step\tin\tout\tsecs\tdocs/s\tMB/s\tshare of step time\tshare of wall\t")
		var total int64
		for _, s := range r.st.Steps {
			total += s.Nanos
		}
		for _, s := range r.st.Steps {
			secs := float64(s.Nanos) / 1e9
			fmt.Fprintf(tw, "%s\t%d\t%d\t%.2f\t%.0f\t%.1f\t%.1f%%\t%.1f%%\t\n", s.Name, s.In, s.Out, secs, safeDiv(float64(s.In), secs),
				safeDiv(float64(s.Bytes)/1e6, secs), 100*safeDiv(float64(s.Nanos), float64(total)), 100*safeDiv(secs, r.wall))
		}
		fmt.Fprintf(tw, "outside steps (read, gunzip, HTTP parse, write)\t\t\t%.2f\t\t\t\t%.1f%%\t\n", r.wall-float64(total)/1e9, 100*(1-float64(total)/1e9/r.wall))
		tw.Flush()
	}
}

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
