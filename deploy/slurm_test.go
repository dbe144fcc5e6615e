package deploy

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/shard"
	"github.com/sieve-data/sieve/storage"
)

// Task counts of the real-cluster test: 4 input files over 3 run tasks, so
// one task gets two files and the duplicate pair lands in different tasks.
const (
	slurmRunTasks       = 3
	slurmSignatureTasks = 2
	slurmBucketTasks    = 2
	slurmFilterTasks    = 2
)

// TestSlurmArrayOnRealCluster starts a real single-node Slurm cluster
// (scripts/slurm-test-cluster), submits a whole dump with submit-dump.sh
// (run array, the four dedup stages chained with afterok, finalize) and
// checks that the deduplicated shards hold the same documents as one local
// `sieve run` + `sieve dedup` of the same inputs, and that every array task
// took its index from Slurm.
//
// It needs root and slurm-wlm + munge installed; it skips without them
// unless SIEVE_TEST_SLURM=1 (CI), where their absence is a failure.
func TestSlurmArrayOnRealCluster(t *testing.T) {
	root, slurmConf := startSlurm(t)
	work := t.TempDir()
	bin := buildSieve(t, root, work)

	// Three real sample WARCs plus a renamed copy of one: exact duplicates
	// that different run tasks write, for the dedup stages to find.
	in := filepath.Join(work, "in")
	os.MkdirAll(in, 0o755)
	var inputs []string
	for _, name := range []string{"jwarc__cc.warc.gz", "resiliparse__warcfile.warc.gz", "commoncrawl-whirlwind__whirlwind.warc.gz", "resiliparse__warcfile.warc.gz"} {
		b, err := os.ReadFile(filepath.Join(root, "testdata", "sample", name))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(in, name)
		if _, err := os.Stat(p); err == nil {
			p = filepath.Join(in, "zz-copy-"+name)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, p)
	}
	pipe := filepath.Join(work, "extract.yaml")
	os.WriteFile(pipe, []byte("name: t\nsteps:\n  - extract: {}\n"), 0o644)

	runOut := filepath.Join(work, "out")
	began := time.Now()
	out, slurmEnv := submitDump(t, slurmConf, work, bin, pipe, runOut, inputs, slurmRunTasks)
	ids, order := submittedJobs(t, out)

	states := waitForJobs(t, slurmEnv, order, 10*time.Minute)
	logs := filepath.Join(work, "logs")
	t.Logf("whole chain on Slurm in %v: %v", time.Since(began).Round(time.Second), states)
	for task, state := range states {
		if state != "COMPLETED" {
			t.Errorf("job %s ended %s", task, state)
		}
	}
	wantTasks := map[string]int{"run": slurmRunTasks, "signatures": slurmSignatureTasks, "buckets": slurmBucketTasks, "clusters": 1, "filter": slurmFilterTasks, "finalize": 1}
	for stage, n := range wantTasks {
		got := 0
		for task := range states {
			if strings.SplitN(task, "_", 2)[0] == ids[stage] {
				got++
			}
		}
		if got != n {
			t.Errorf("%s: %d Slurm tasks, want %d", stage, got, n)
		}
	}
	if t.Failed() {
		dumpLogs(t, logs)
		t.FailNow()
	}

	// Every run task took its index from SLURM_ARRAY_TASK_ID: completion
	// I says task I of RUN_TASKS, and holds the shards of files I, I+N, ...
	checkRunCompletions(t, storage.Default(), runOut, slurmRunTasks, len(inputs))
	for i := range slurmRunTasks {
		if _, err := os.Stat(filepath.Join(logs, fmt.Sprintf("sieve-run-%s_%d.out", ids["run"], i))); err != nil {
			t.Errorf("no log of array task %d: %v", i, err)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(runOut, "completions")); len(entries) != slurmRunTasks {
		t.Errorf("%d completions, want %d", len(entries), slurmRunTasks)
	}
	for _, p := range []string{"stats.json", "report.html"} {
		if _, err := os.Stat(filepath.Join(runOut, p)); err != nil {
			t.Errorf("finalize wrote no %s: %v", p, err)
		}
	}
	if _, err := os.Stat(filepath.Join(runOut+"-dedup", "shards", "dataset_info.json")); err != nil {
		t.Errorf("finalize described no dedup shards: %v", err)
	}

	// The same inputs as one local process: sieve run, then sieve dedup.
	single, singleDD := filepath.Join(work, "single"), filepath.Join(work, "single-dedup")
	for _, args := range [][]string{
		append([]string{"run", "-q", "--pipeline", pipe, "-o", single}, inputs...),
		{"dedup", "--mode", "all", "-o", singleDD, filepath.Join(single, "shards")},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "SIEVE_WORK_DIR="+filepath.Join(work, "scratch-single"))
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sieve %v: %v\n%s", args, err, b)
		}
	}
	runRows := shardIDs(t, filepath.Join(single, "shards"))
	want := shardIDs(t, filepath.Join(singleDD, "shards"))
	got := shardIDs(t, filepath.Join(runOut+"-dedup", "shards"))
	if len(want) == 0 || len(want) >= len(runRows) {
		t.Fatalf("one-process dedup kept %d of %d rows: the test needs duplicates", len(want), len(runRows))
	}
	if slurmRows := shardIDs(t, filepath.Join(runOut, "shards")); !reflect.DeepEqual(slurmRows, runRows) {
		t.Errorf("Slurm run array wrote %d rows, one process %d, or other rows", len(slurmRows), len(runRows))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Slurm chain kept %d rows, one process %d, or other rows", len(got), len(want))
	}
	t.Logf("run kept %d rows, dedup kept %d (Slurm and one process alike)", len(runRows), len(got))
}

// startSlurm starts a fresh single-node cluster with
// scripts/slurm-test-cluster in a temporary folder, on free ports, stopped
// when the test ends; it returns the repository root and SLURM_CONF. It
// skips when Slurm is not installed or the test does not run as root,
// unless SIEVE_TEST_SLURM=1 (CI), where that is a failure.
func startSlurm(t *testing.T) (root, slurmConf string) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a Slurm cluster")
	}
	required := os.Getenv("SIEVE_TEST_SLURM") == "1"
	var missing []string
	for _, c := range []string{"bash", "sbatch", "squeue", "sinfo", "slurmctld", "slurmd", "munged"} {
		if _, err := exec.LookPath(c); err != nil {
			missing = append(missing, c)
		}
	}
	if os.Geteuid() != 0 {
		missing = append(missing, "root (the Slurm daemons run as root)")
	}
	if len(missing) > 0 {
		if required {
			t.Fatalf("SIEVE_TEST_SLURM=1 but missing: %v (scripts/slurm-test-cluster --install-only installs Slurm)", missing)
		}
		t.Skipf("no Slurm here, missing %v; install with scripts/slurm-test-cluster --install-only or set SIEVE_TEST_SLURM=1 to require it", missing)
	}
	root = testdata.RepoRoot(t)

	// Free ports, so that the cluster never meets another one.
	dir := t.TempDir()
	script := filepath.Join(root, "scripts", "slurm-test-cluster")
	start := exec.Command(script, "start", dir)
	start.Env = append(os.Environ(), "SIEVE_SLURMCTLD_PORT="+freePort(t), "SIEVE_SLURMD_PORT="+freePort(t))
	t.Cleanup(func() {
		if out, err := exec.Command(script, "stop", dir).CombinedOutput(); err != nil {
			t.Errorf("slurm-test-cluster stop: %v\n%s", err, out)
		}
	})
	began := time.Now()
	out, err := start.CombinedOutput()
	if err != nil {
		t.Fatalf("slurm-test-cluster start: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^export SLURM_CONF=(.+)$`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("slurm-test-cluster printed no SLURM_CONF:\n%s", out)
	}
	t.Logf("cluster up in %v", time.Since(began).Round(time.Millisecond))
	return root, m[1]
}

// buildSieve builds cmd/sieve into dir: the binary every Slurm task runs.
func buildSieve(t *testing.T, root, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "sieve")
	build := exec.Command("go", "build", "-o", bin, "./cmd/sieve")
	build.Dir = root
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return bin
}

// submitDump writes work/sieve.env and runs submit-dump.sh from work (the
// jobs' logs go to work/logs). It returns submit-dump.sh's output and the
// environment for the Slurm client commands.
func submitDump(t *testing.T, slurmConf, work, bin, pipe, runOut string, inputs []string, runTasks int) (string, []string) {
	t.Helper()
	envFile := filepath.Join(work, "sieve.env")
	env := fmt.Sprintf(`SIEVE_BIN=%s
SIEVE_PIPELINE=%s
SIEVE_INPUT='%s'
SIEVE_OUT=%s
SIEVE_DEDUP_FLAGS="--mode all"
export SIEVE_WORK_DIR=%s
RUN_TASKS=%d
SIGNATURE_TASKS=%d
BUCKET_TASKS=%d
FILTER_TASKS=%d
MAX_PARALLEL=2
`, bin, pipe, strings.Join(inputs, " "), runOut, filepath.Join(work, "scratch"),
		runTasks, slurmSignatureTasks, slurmBucketTasks, slurmFilterTasks)
	if err := os.WriteFile(envFile, []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	// The sbatch files ask for a production node (8 CPUs, up to 64G);
	// command-line options override #SBATCH lines, and submit-dump.sh
	// passes its extra arguments to every sbatch.
	slurmEnv := append(os.Environ(), "SLURM_CONF="+slurmConf, "SIEVE_ENV="+envFile)
	submit := exec.Command("bash", filepath.Join(testdata.RepoRoot(t), "deploy", "slurm", "submit-dump.sh"), "--cpus-per-task=1", "--mem=500M")
	submit.Dir = work
	submit.Env = slurmEnv
	out, err := submit.CombinedOutput()
	if err != nil {
		t.Fatalf("submit-dump.sh: %v\n%s", err, out)
	}
	return string(out), slurmEnv
}

// submittedJobs parses submit-dump.sh's "stage: job ID" lines: the job id
// of each stage, and all ids in submission order.
func submittedJobs(t *testing.T, out string) (map[string]string, []string) {
	t.Helper()
	ids := map[string]string{}
	var order []string
	for _, m := range regexp.MustCompile(`(?m)^(\w+): job (\d+)$`).FindAllStringSubmatch(out, -1) {
		ids[m[1]] = m[2]
		order = append(order, m[2])
	}
	if len(order) != 6 {
		t.Fatalf("submit-dump.sh submitted %d jobs, want 6:\n%s", len(order), out)
	}
	return ids, order
}

// TestSlurmChainOnBadInput runs the chain on a real cluster over bad input.
// A truncated WARC file is a counted skip: its run task exits 1 but writes
// its completion, and the chain must go on (else one damaged file in a
// 90,000-file dump stops the dedup for good). A missing input fails the run
// tasks; the later stages must then be cancelled, not wait forever, and a
// resubmission after the fix must finish the dump.
func TestSlurmChainOnBadInput(t *testing.T) {
	root, slurmConf := startSlurm(t)
	work := t.TempDir()
	bin := buildSieve(t, root, work)
	pipe := filepath.Join(work, "extract.yaml")
	os.WriteFile(pipe, []byte("name: t\nsteps:\n  - extract: {}\n"), 0o644)
	sample := filepath.Join(root, "testdata", "sample")
	good := filepath.Join(sample, "jwarc__cc.warc.gz")
	whole, err := os.ReadFile(filepath.Join(sample, "resiliparse__warcfile.warc.gz"))
	if err != nil {
		t.Fatal(err)
	}
	stageOf := func(ids map[string]string, task string) string {
		for stage, id := range ids {
			if strings.SplitN(task, "_", 2)[0] == id {
				return stage
			}
		}
		return "?"
	}

	// Damaged input: input 0 (task 0) is cut inside a gzip member. Both
	// inputs sit in one folder so that the sorted order, which assigns
	// files to tasks, does not depend on where the repository is cloned.
	damaged := filepath.Join(work, "damaged")
	os.MkdirAll(damaged, 0o755)
	bad := filepath.Join(damaged, "a-truncated.warc.gz")
	if err := os.WriteFile(bad, whole[:len(whole)*2/5], 0o644); err != nil {
		t.Fatal(err)
	}
	goodCopy := filepath.Join(damaged, "b-good.warc.gz")
	if b, err := os.ReadFile(good); err != nil {
		t.Fatal(err)
	} else if err := os.WriteFile(goodCopy, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, env := submitDump(t, slurmConf, damaged, bin, pipe, filepath.Join(damaged, "out"), []string{bad, goodCopy}, 2)
	ids, order := submittedJobs(t, out)
	for task, state := range waitForJobs(t, env, order, 5*time.Minute) {
		if state != "COMPLETED" {
			t.Errorf("damaged input: %s job %s ended %s", stageOf(ids, task), task, state)
		}
	}
	log, _ := os.ReadFile(filepath.Join(damaged, "logs", fmt.Sprintf("sieve-run-%s_0.out", ids["run"])))
	if !strings.Contains(string(log), "truncated gzip member") || !strings.Contains(string(log), "damaged places in the input") {
		t.Errorf("run task 0's log does not report the damage:\n%s", log)
	}
	if t.Failed() {
		dumpLogs(t, filepath.Join(damaged, "logs"))
		t.FailNow()
	}
	if n := len(shardIDs(t, filepath.Join(damaged, "out-dedup", "shards"))); n == 0 {
		t.Error("no documents in the dedup shards")
	}

	// Missing input: every run task fails (sieve checks the whole list),
	// the rest of the chain is cancelled.
	missing := filepath.Join(work, "missing")
	os.MkdirAll(missing, 0o755)
	late := filepath.Join(missing, "later.warc.gz")
	inputs := []string{good, late}
	out, env = submitDump(t, slurmConf, missing, bin, pipe, filepath.Join(missing, "out"), inputs, 2)
	ids, order = submittedJobs(t, out)
	for task, state := range waitForJobs(t, env, order, 3*time.Minute) {
		want := "CANCELLED"
		if stageOf(ids, task) == "run" {
			want = "FAILED"
		}
		if state != want {
			t.Errorf("missing input: %s job %s ended %s, want %s", stageOf(ids, task), task, state, want)
		}
	}
	// Fixed and submitted again: the whole dump goes through.
	if err := os.WriteFile(late, whole, 0o644); err != nil {
		t.Fatal(err)
	}
	out, env = submitDump(t, slurmConf, missing, bin, pipe, filepath.Join(missing, "out"), inputs, 2)
	ids, order = submittedJobs(t, out)
	for task, state := range waitForJobs(t, env, order, 5*time.Minute) {
		if state != "COMPLETED" {
			t.Errorf("resubmitted: %s job %s ended %s", stageOf(ids, task), task, state)
		}
	}
	if t.Failed() {
		dumpLogs(t, filepath.Join(missing, "logs"))
	}
}

// waitForJobs polls squeue until none of the jobs is pending or running,
// then returns the final state of every job and array task ("4_2" ->
// "COMPLETED"). Finished jobs stay visible for the cluster's MinJobAge,
// which stands in for sacct (no accounting daemon here).
func waitForJobs(t *testing.T, env []string, jobs []string, limit time.Duration) map[string]string {
	t.Helper()
	deadline := time.Now().Add(limit)
	failures := 0
	for {
		cmd := exec.Command("squeue", "-h", "-t", "all", "-j", strings.Join(jobs, ","), "-o", "%i %T")
		cmd.Env = env
		b, err := cmd.CombinedOutput()
		if err != nil {
			// A loaded machine can make slurmctld miss squeue's
			// deadline now and then; a dead one fails every time.
			if failures++; failures >= 10 {
				t.Fatalf("squeue: %v\n%s", err, b)
			}
			time.Sleep(time.Second)
			continue
		}
		failures = 0
		states := map[string]string{}
		active := 0
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) != 2 {
				continue
			}
			states[f[0]] = f[1]
			switch f[1] {
			case "PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "RESIZING", "SUSPENDED", "STAGE_OUT", "SIGNALING", "REQUEUE_HOLD", "REQUEUE_FED":
				active++
			}
		}
		if active == 0 && len(states) > 0 {
			return states
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs still active after %v:\n%s", limit, b)
		}
		time.Sleep(time.Second)
	}
}

// shardIDs lists the document ids of every shard in dir, sorted, with
// repeats (so that an id written twice counts twice).
func shardIDs(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.arrow"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no shards in %s (%v)", dir, err)
	}
	var ids []string
	for _, f := range files {
		docs, err := shard.ReadDocuments(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, d := range docs {
			ids = append(ids, d.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

func dumpLogs(t *testing.T, dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.out"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		t.Logf("== %s\n%s", filepath.Base(f), b)
	}
}

// freePort returns a TCP port on the loopback interface that was free a
// moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}
