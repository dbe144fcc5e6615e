package stats

// RunInfo describes the run (or, after Merge, the tasks) that produced the
// counters.
type RunInfo struct {
	Pipeline    string  `json:"pipeline,omitempty"`
	Inputs      int     `json:"inputs"`
	InputBytes  int64   `json:"input_bytes"`
	Workers     int     `json:"workers"`
	Task        int     `json:"task"`
	Tasks       int     `json:"tasks"`
	ElapsedSecs float64 `json:"elapsed_secs"`
	Documents   int64   `json:"documents"`
	// TasksMerged counts the task stats combined into this one.
	TasksMerged int `json:"tasks_merged"`
}

// DocsPerSec is documents written per second of wall time.
func (r RunInfo) DocsPerSec() float64 {
	if r.ElapsedSecs <= 0 {
		return 0
	}
	return float64(r.Documents) / r.ElapsedSecs
}

// MBPerSec is input megabytes (10^6) read per second of wall time.
func (r RunInfo) MBPerSec() float64 {
	if r.ElapsedSecs <= 0 {
		return 0
	}
	return float64(r.InputBytes) / 1e6 / r.ElapsedSecs
}

// merge combines the run info of tasks that ran side by side: sizes add up,
// wall time is the longest task's.
func (r *RunInfo) merge(o RunInfo) {
	if o.TasksMerged == 0 && o.Inputs == 0 && o.Pipeline == "" {
		return
	}
	if r.TasksMerged == 0 && r.Inputs == 0 && r.Pipeline == "" {
		*r = o
		return
	}
	if r.Pipeline != o.Pipeline && o.Pipeline != "" {
		if r.Pipeline == "" {
			r.Pipeline = o.Pipeline
		} else {
			r.Pipeline += "+" + o.Pipeline
		}
	}
	r.Inputs += o.Inputs
	r.InputBytes += o.InputBytes
	r.Workers += o.Workers
	r.Documents += o.Documents
	r.ElapsedSecs = max(r.ElapsedSecs, o.ElapsedSecs)
	r.Tasks = max(r.Tasks, o.Tasks)
	r.TasksMerged += o.TasksMerged
}

// TimeSplit is where a run's time went outside the steps (each step's own
// time is its StepStats.Nanos), in seconds of wall time. Read and write
// time are summed over the workers, like the steps' times; the other
// phases run once. Together with the steps they answer "where did the
// time go" in the closing line and the report (Report.Time).
type TimeSplit struct {
	// StartupSecs builds the pipeline: models, tables, lists.
	StartupSecs float64 `json:"startup_secs"`
	// ReadSecs reads the input: decompression, WARC records and HTTP
	// headers (or dataset rows), up to the document entering the steps.
	ReadSecs float64 `json:"read_secs"`
	// WriteSecs writes the kept (and removed) documents' shards.
	WriteSecs float64 `json:"write_secs"`
	// DedupSecs is the deduplication pass over the written shards.
	DedupSecs float64 `json:"dedup_secs"`
	// StatsSecs reads the final shards back for the kept documents'
	// statistics (and exports them to JSONL or Parquet when asked).
	StatsSecs float64 `json:"stats_secs"`
}

func (t *TimeSplit) merge(o TimeSplit) {
	t.StartupSecs += o.StartupSecs
	t.ReadSecs += o.ReadSecs
	t.WriteSecs += o.WriteSecs
	t.DedupSecs += o.DedupSecs
	t.StatsSecs += o.StatsSecs
}

// TimeRow is one line of "where the time went": a step or a phase outside
// the steps, its seconds and its share of all the measured time.
type TimeRow struct {
	What    string  `json:"what"`
	Step    bool    `json:"step"` // a pipeline step (else a phase outside the steps)
	Seconds float64 `json:"seconds"`
	Share   float64 `json:"share"`
}

// TimeRows lists where c's run spent its time: the phases outside the
// steps and every step, in pipeline order (start-up, reading, the steps,
// writing, dedup, statistics), with their shares of the sum. Worker time
// is summed over the workers, so the shares hold for any worker count.
func (c *Collector) TimeRows() []TimeRow {
	t := c.Time
	rows := []TimeRow{{What: "start-up (models, tables, lists)", Seconds: t.StartupSecs},
		{What: "reading (decompression, WARC and HTTP)", Seconds: t.ReadSecs}}
	for _, s := range c.Steps {
		rows = append(rows, TimeRow{What: s.Name, Step: true, Seconds: float64(s.Nanos) / 1e9})
	}
	rows = append(rows, TimeRow{What: "writing shards", Seconds: t.WriteSecs},
		TimeRow{What: "dedup pass", Seconds: t.DedupSecs},
		TimeRow{What: "statistics (reading the written shards back)", Seconds: t.StatsSecs})
	var sum float64
	for _, r := range rows {
		sum += r.Seconds
	}
	if sum <= 0 {
		return nil
	}
	out := rows[:0]
	for _, r := range rows {
		if r.Seconds > 0 {
			r.Share = r.Seconds / sum
			out = append(out, r)
		}
	}
	return out
}
