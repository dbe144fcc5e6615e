package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/sieve-data/sieve/storage"
)

// checkRunCompletions checks that run task I's completion marker under out
// (local or s3://) says task I of tasks with its share of the inputs, and
// lists only shards of inputs I, I+tasks, ... (shard names start with the
// input's index): the task index reached sieve from the scheduler. It
// returns each task's shards.
func checkRunCompletions(t *testing.T, st *storage.Storage, out string, tasks, inputs int) [][]string {
	t.Helper()
	shards := make([][]string, tasks)
	for i := range tasks {
		b, err := st.ReadFile(context.Background(), storage.Join(out, "completions", fmt.Sprintf("%05d", i)))
		if err != nil {
			t.Errorf("run task %d left no completion: %v", i, err)
			continue
		}
		var c struct {
			Task, Tasks, Inputs int
			Shards              []string
		}
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("completion %d: %v\n%s", i, err, b)
		}
		want := (inputs - i + tasks - 1) / tasks
		if c.Task != i || c.Tasks != tasks || c.Inputs != want {
			t.Errorf("completion %d: task %d of %d with %d inputs, want task %d of %d with %d", i, c.Task, c.Tasks, c.Inputs, i, tasks, want)
		}
		for _, s := range c.Shards {
			var file int
			if _, err := fmt.Sscanf(pathBase(s), "%d-", &file); err != nil || file%tasks != i {
				t.Errorf("run task %d wrote %s, a shard of input %d", i, s, file)
			}
		}
		shards[i] = c.Shards
	}
	return shards
}
