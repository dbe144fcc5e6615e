package runner

import (
	"fmt"
	"strconv"
)

// TaskFromEnv resolves the task index and count when the command line did
// not give them, from the schedulers sieve runs under:
//
//   - Slurm job arrays: SLURM_ARRAY_TASK_ID, offset by SLURM_ARRAY_TASK_MIN
//     (arrays may start at 1), count from SLURM_ARRAY_TASK_COUNT.
//   - Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX; the count is the Job's
//     `completions`, which Kubernetes does not expose, so it comes from the
//     --tasks flag or SIEVE_TASKS.
//
// tasks and index are the flag values, -1 when unset. lookup reads the
// environment (os.LookupEnv in the command: the library reads none).
func TaskFromEnv(tasks, index int, lookup func(string) (string, bool)) (int, int, error) {
	env := func(k string) (int, bool, error) {
		v, ok := lookup(k)
		if !ok || v == "" {
			return 0, false, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, false, fmt.Errorf("%s=%q is not a number", k, v)
		}
		return n, true, nil
	}
	if tasks < 0 {
		if n, ok, err := env("SLURM_ARRAY_TASK_COUNT"); err != nil {
			return 0, 0, err
		} else if ok {
			tasks = n
		} else if n, ok, err := env("SIEVE_TASKS"); err != nil {
			return 0, 0, err
		} else if ok {
			tasks = n
		}
	}
	if index < 0 {
		if id, ok, err := env("SLURM_ARRAY_TASK_ID"); err != nil {
			return 0, 0, err
		} else if ok {
			lo, _, err := env("SLURM_ARRAY_TASK_MIN")
			if err != nil {
				return 0, 0, err
			}
			index = id - lo
		} else if id, ok, err := env("JOB_COMPLETION_INDEX"); err != nil {
			return 0, 0, err
		} else if ok {
			index = id
		}
	}
	if tasks < 0 {
		tasks = 1
	}
	if index < 0 {
		index = 0
	}
	if tasks < 1 || index >= tasks {
		return 0, 0, fmt.Errorf("task index %d is outside 0..%d", index, tasks-1)
	}
	return tasks, index, nil
}
