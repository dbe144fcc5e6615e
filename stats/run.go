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
