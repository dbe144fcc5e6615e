package deploy

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sieve-data/sieve/internal/s3test"
	"github.com/sieve-data/sieve/internal/testdata"
	"github.com/sieve-data/sieve/storage"
)

// Task counts of the executed manifests: 5 input files over 3 run tasks,
// with the duplicate pair in different run tasks.
const (
	k8sRunTasks       = 3
	k8sSignatureTasks = 2
	k8sBucketTasks    = 2
	k8sFilterTasks    = 2
	k8sSecretName     = "sieve-s3"
)

// k8sManifest is the part of a rendered document that kubelet and the Job
// controller use to start a stage's containers (TestK8sManifests checks
// it, TestK8sJobsExecuted runs it).
type k8sManifest struct {
	Kind     string
	Metadata struct{ Name string }
	Data     map[string]string // ConfigMap
	Spec     struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int
		Parallelism    int
		Template       struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []k8sContainer
				Volumes       []struct {
					Name     string
					EmptyDir *struct{} `yaml:"emptyDir"`
				}
			}
		}
	}
}

type k8sContainer struct {
	Name    string
	Image   string
	Command []string
	Args    []string
	EnvFrom []struct {
		ConfigMapRef *struct{ Name string } `yaml:"configMapRef"`
		SecretRef    *struct {
			Name     string
			Optional bool
		} `yaml:"secretRef"`
		Prefix string
	} `yaml:"envFrom"`
	Env []struct {
		Name      string
		Value     string
		ValueFrom any `yaml:"valueFrom"`
	}
	VolumeMounts []struct {
		Name      string
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
}

// TestK8sJobsExecuted runs a whole dump as Kubernetes would, without a
// cluster (there is no container runtime here): the manifests rendered by
// run-dump.sh --dry-run, the ConfigMap pointed at a real S3 server, and
// for every stage in run-dump.sh's order, every completion index's
// container command executed as kubelet builds it (envFrom, env,
// JOB_COMPLETION_INDEX, $(VAR) expansion, a fresh emptyDir per pod) with
// the built sieve binary. The deduplicated shards on S3 must hold exactly
// the rows of one local `sieve run` + `sieve dedup` of the same inputs.
func TestK8sJobsExecuted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sieve and starts an S3 server")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	root := testdata.RepoRoot(t)
	srv, stop := s3test.Start(root)
	t.Cleanup(stop)
	srv.Need(t)
	began := time.Now()

	work := t.TempDir()
	binDir := filepath.Join(work, "bin")
	os.MkdirAll(binDir, 0o755)
	buildSieve(t, root, binDir) // binDir/sieve: `command: ["sieve"]` finds it on the pod's PATH

	// Four sample WARCs plus a renamed copy of one. Sorted, the copy is
	// input 4 (task 1) and its original input 3 (task 0): the duplicates
	// are written by different run tasks.
	const bucket = "k8s-dump"
	srv.MakeBucket(t, bucket)
	st := storage.New(storage.Options{Endpoint: srv.Endpoint, Region: srv.Region, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey})
	ctx := context.Background()
	localIn := filepath.Join(work, "in")
	os.MkdirAll(localIn, 0o755)
	var inputs []string
	for _, name := range []string{"commoncrawl-whirlwind__whirlwind.warc.gz", "dolma__sample-0001.warc.gz", "jwarc__cc.warc.gz",
		"resiliparse__warcfile.warc.gz", "resiliparse__warcfile.warc.gz"} {
		b, err := os.ReadFile(filepath.Join(root, "testdata", "sample", name))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(localIn, name)
		if _, err := os.Stat(p); err == nil {
			name = "zz-copy-" + name
			p = filepath.Join(localIn, name)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := st.WriteFile(ctx, "s3://"+bucket+"/in/"+name, b); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, p)
	}
	sort.Strings(inputs)

	config, jobs := renderK8s(t, map[string]string{"IMAGE": "registry.example.org/sieve:test",
		"RUN_TASKS": fmt.Sprint(k8sRunTasks), "SIGNATURE_TASKS": fmt.Sprint(k8sSignatureTasks),
		"BUCKET_TASKS": fmt.Sprint(k8sBucketTasks), "FILTER_TASKS": fmt.Sprint(k8sFilterTasks)})
	out, dedupOut := "s3://"+bucket+"/out", "s3://"+bucket+"/out-dedup"
	for k, v := range map[string]string{"SIEVE_INPUT": "s3://" + bucket + "/in/", "SIEVE_OUT": out, "SIEVE_DEDUP_OUT": dedupOut,
		"AWS_ENDPOINT_URL": srv.Endpoint, "AWS_REGION": srv.Region} {
		if _, ok := config.Data[k]; !ok {
			t.Fatalf("config.yaml has no %s: the test edits only the keys the ConfigMap defines", k)
		}
		config.Data[k] = v
	}
	// SIEVE_PIPELINE stays the production one; SIEVE_WORK_DIR and
	// SIEVE_CACHE_DIR stay as shipped: paths on the pod's scratch volume,
	// which every pod here gets as a fresh folder of its own.
	secret := map[string]string{"AWS_ACCESS_KEY_ID": srv.AccessKey, "AWS_SECRET_ACCESS_KEY": srv.SecretKey}

	var stages []string
	for _, j := range jobs {
		stages = append(stages, j.Metadata.Name)
		stageBegan := time.Now()
		n := j.Spec.Completions
		parallel := min(n, j.Spec.Parallelism, 2) // 2: this machine's cores, not the cluster's
		var wg sync.WaitGroup
		sem := make(chan struct{}, parallel)
		for index := range n {
			var completionIndex *int
			if j.Spec.CompletionMode == "Indexed" {
				completionIndex = &index
			}
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				_, env := runPod(t, j, config, secret, completionIndex, filepath.Join(work, "pods", fmt.Sprintf("%s-%d", j.Metadata.Name, index)), binDir)
				if j.Metadata.Name == "sieve-run" && env != nil {
					// The ConfigMap's SIEVE_CACHE_DIR is where langid keeps its tables.
					if files, _ := filepath.Glob(filepath.Join(env["SIEVE_CACHE_DIR"], "langid-tables-*")); len(files) == 0 {
						t.Errorf("run index %d: no langid table cache in SIEVE_CACHE_DIR %s", index, env["SIEVE_CACHE_DIR"])
					}
				}
			}()
		}
		wg.Wait()
		t.Logf("%s: %d pods in %v", j.Metadata.Name, n, time.Since(stageBegan).Round(time.Millisecond))
		if t.Failed() {
			t.FailNow() // run-dump.sh stops at the first failed stage
		}
	}
	// A run pod started again for a finished index (a node lost after the
	// task completed) gets a fresh emptyDir and must find its completion
	// marker on S3 and exit 0 at once, changing nothing.
	before, err := st.ReadFile(ctx, storage.Join(out, "completions", "00001"))
	if err != nil {
		t.Fatal(err)
	}
	again := 1
	if msg, _ := runPod(t, jobs[0], config, secret, &again, filepath.Join(work, "pods", "sieve-run-1-retry"), binDir); !strings.Contains(msg, "already complete") {
		t.Errorf("run index 1 started again did not find its task complete:\n%s", msg)
	}
	if after, err := st.ReadFile(ctx, storage.Join(out, "completions", "00001")); err != nil || string(after) != string(before) {
		t.Errorf("run index 1 started again rewrote its completion: %v\n%s\n%s", err, before, after)
	}

	wantStages := []string{"sieve-run", "sieve-dedup-signatures", "sieve-dedup-buckets", "sieve-dedup-clusters", "sieve-dedup-filter", "sieve-finalize"}
	if !reflect.DeepEqual(stages, wantStages) {
		t.Errorf("stages ran in the order %v, want %v", stages, wantStages)
	}
	t.Logf("whole dump through the manifests in %v", time.Since(began).Round(time.Millisecond))

	// Every run task took its index from JOB_COMPLETION_INDEX (the run
	// Job passes no --task-index): completion I says task I of N and holds
	// the shards of inputs I, I+N, ... only.
	listed := map[string]bool{}
	for i, shards := range checkRunCompletions(t, st, out, k8sRunTasks, len(inputs)) {
		for _, s := range shards {
			if !strings.HasPrefix(s, out+"/shards/") {
				t.Errorf("completion %d lists %s, not a shard under %s/shards", i, s, out)
			}
			listed[s] = true
		}
	}
	entries, err := st.List(ctx, "s3://"+bucket+"/")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range entries {
		keys = append(keys, strings.TrimPrefix(e.Loc, "s3://"+bucket+"/"))
		if strings.HasSuffix(e.Loc, ".arrow") && strings.HasPrefix(e.Loc, out+"/shards/") && !listed[e.Loc] {
			t.Errorf("%s is in OUT/shards but in no run task's completion", e.Loc)
		}
		if strings.Contains(e.Loc, ".tmp") || strings.Contains(e.Loc, "/work/") {
			t.Errorf("temporary object %s left on S3", e.Loc)
		}
	}
	for _, want := range []string{"out/stats.json", "out/report.html", "out-dedup/dedup/removed.arrow", "out-dedup/shards/dataset_info.json"} {
		if !contains(keys, want) {
			t.Errorf("%s missing on S3 after finalize; have %v", want, keys)
		}
	}

	// The same inputs as one local process: the same pipeline (its dedup
	// step, which a split run leaves to the dedup Jobs, taken out), then
	// `sieve dedup` with the dedup Jobs' flags (none: the defaults).
	single, singleDD := filepath.Join(work, "single"), filepath.Join(work, "single-dedup")
	pipe := filepath.Join(work, "fineweb-nodedup.yaml")
	writePipelineWithoutDedup(t, root, config.Data["SIEVE_PIPELINE"], pipe)
	for _, args := range [][]string{
		append([]string{"run", "-q", "--allow-damaged", "--pipeline", pipe, "-o", single}, inputs...),
		{"dedup", "-o", singleDD, filepath.Join(single, "shards")},
	} {
		cmd := exec.Command(filepath.Join(binDir, "sieve"), args...)
		cmd.Env = append(os.Environ(), "SIEVE_WORK_DIR="+filepath.Join(work, "scratch-single"))
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sieve %v: %v\n%s", args, err, b)
		}
	}
	runRows := shardIDs(t, filepath.Join(single, "shards"))
	want := shardIDs(t, filepath.Join(singleDD, "shards"))
	if len(want) == 0 || len(want) >= len(runRows) {
		t.Fatalf("one-process dedup kept %d of %d rows: the test needs duplicates", len(want), len(runRows))
	}
	if got := shardIDs(t, download(t, st, out+"/shards/", filepath.Join(work, "down-run"))); !reflect.DeepEqual(got, runRows) {
		t.Errorf("the run Job wrote %d rows, one process %d, or other rows", len(got), len(runRows))
	}
	got := shardIDs(t, download(t, st, dedupOut+"/shards/", filepath.Join(work, "down-dedup")))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the Jobs kept %d rows, one process %d, or other rows", len(got), len(want))
	}
	t.Logf("run kept %d rows, dedup kept %d (Kubernetes Jobs and one process alike)", len(runRows), len(got))
}

// renderK8s runs run-dump.sh --dry-run with env and returns the ConfigMap
// and the Jobs in the order the script applies them.
func renderK8s(t *testing.T, env map[string]string) (k8sManifest, []k8sManifest) {
	t.Helper()
	cmd := exec.Command("bash", "k8s/run-dump.sh", "--dry-run")
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("run-dump.sh --dry-run: %v\n%s", err, b)
	}
	var config k8sManifest
	var jobs []k8sManifest
	for i, d := range strings.Split(string(b), "\n---\n") {
		var m k8sManifest
		if err := yaml.Unmarshal([]byte(d), &m); err != nil {
			t.Fatalf("document %d: %v\n%s", i, err, d)
		}
		switch {
		case i == 0 && m.Kind == "ConfigMap":
			config = m
		case i > 0 && m.Kind == "Job":
			jobs = append(jobs, m)
		default:
			t.Fatalf("document %d is a %s, want the ConfigMap first, then Jobs", i, m.Kind)
		}
	}
	return config, jobs
}

// runPod does what kubelet does for the Job's one container in the pod of
// completion index (nil: a NonIndexed Job): a fresh folder for every
// emptyDir volume, the environment built from envFrom and env, $(VAR)
// references in command and args expanded, the command found on the
// image's PATH (binDir) and run; it must exit 0.
func runPod(t *testing.T, j k8sManifest, config k8sManifest, secret map[string]string, index *int, podDir, binDir string) (output string, env map[string]string) {
	if len(j.Spec.Template.Spec.Containers) != 1 {
		t.Errorf("%s: %d containers, want 1", j.Metadata.Name, len(j.Spec.Template.Spec.Containers))
		return "", nil
	}
	c := j.Spec.Template.Spec.Containers[0]
	env, err := containerEnv(c, config, secret, index)
	if err != nil {
		t.Errorf("%s: %v", j.Metadata.Name, err)
		return "", nil
	}

	// A fresh emptyDir for every volume mount: the paths the container
	// sees (/scratch/...) are this pod's folders here.
	mounts := map[string]string{}
	for _, m := range c.VolumeMounts {
		host := filepath.Join(podDir, "volumes", m.Name)
		if err := os.MkdirAll(host, 0o755); err != nil {
			t.Error(err) // not Fatal: runPod runs in its own goroutine
			return "", nil
		}
		mounts[m.MountPath] = host
	}
	onVolume := func(p string) string { // the innermost mount holding p
		best := ""
		for mp := range mounts {
			if (p == mp || strings.HasPrefix(p, strings.TrimSuffix(mp, "/")+"/")) && len(mp) > len(best) {
				best = mp
			}
		}
		if best == "" {
			return p
		}
		return mounts[best] + p[len(best):]
	}
	for _, k := range []string{"SIEVE_WORK_DIR", "SIEVE_CACHE_DIR"} {
		if p := env[k]; p != "" {
			if onVolume(p) == p {
				t.Errorf("%s: %s=%s is on none of the container's volumes %v: the container's own disk", j.Metadata.Name, k, p, c.VolumeMounts)
			}
			env[k] = onVolume(p)
		}
	}
	// The image's own environment: sieve on PATH, a home and /tmp of its own.
	home, tmp := filepath.Join(podDir, "home"), filepath.Join(podDir, "tmp")
	os.MkdirAll(home, 0o755)
	os.MkdirAll(tmp, 0o755)
	procEnv := []string{"PATH=" + binDir + ":/usr/local/bin:/usr/bin:/bin", "HOME=" + home, "TMPDIR=" + tmp}
	for k, v := range env {
		procEnv = append(procEnv, k+"="+v)
	}

	argv := append(append([]string{}, c.Command...), c.Args...)
	for i, a := range argv {
		argv[i] = onVolume(kubeExpand(a, env))
	}
	if len(argv) == 0 || strings.Contains(argv[0], "/") {
		t.Errorf("%s: command %q: want a name found on the image's PATH", j.Metadata.Name, argv)
		return "", nil
	}
	exe := filepath.Join(binDir, argv[0])
	if _, err := os.Stat(exe); err != nil {
		t.Errorf("%s: command %q is not on the image's PATH (%s)", j.Metadata.Name, argv[0], binDir)
		return "", nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, argv[1:]...)
	cmd.Env = procEnv
	cmd.Dir = podDir
	b, err := cmd.CombinedOutput()
	label := j.Metadata.Name
	if index != nil {
		label = fmt.Sprintf("%s index %d", label, *index)
	}
	if err != nil {
		t.Errorf("%s: sieve %q: %v\n%s", label, argv[1:], err, b)
	}
	return string(b), env
}

// containerEnv builds a container's environment as kubelet does: envFrom
// sources in order (a later one wins), then the env list in order, whose
// values may reference earlier variables; the Job controller adds
// JOB_COMPLETION_INDEX to Indexed Jobs' containers.
func containerEnv(c k8sContainer, config k8sManifest, secret map[string]string, index *int) (map[string]string, error) {
	env := map[string]string{}
	for _, from := range c.EnvFrom {
		var data map[string]string
		switch {
		case from.ConfigMapRef != nil:
			if from.ConfigMapRef.Name != config.Metadata.Name {
				return nil, fmt.Errorf("envFrom names ConfigMap %q; config.yaml defines %q", from.ConfigMapRef.Name, config.Metadata.Name)
			}
			data = config.Data
		case from.SecretRef != nil:
			if from.SecretRef.Name != k8sSecretName {
				return nil, fmt.Errorf("envFrom names Secret %q; config.yaml tells users to create %q", from.SecretRef.Name, k8sSecretName)
			}
			data = secret
		default:
			return nil, fmt.Errorf("envFrom source the test does not know: %+v", from)
		}
		for k, v := range data {
			if k = from.Prefix + k; k != "" && !strings.Contains(k, "=") { // kubelet skips invalid names
				env[k] = v
			}
		}
	}
	for _, e := range c.Env {
		if e.ValueFrom != nil {
			return nil, fmt.Errorf("env %s uses valueFrom, which the test does not emulate", e.Name)
		}
		env[e.Name] = kubeExpand(e.Value, env)
	}
	if index != nil {
		env["JOB_COMPLETION_INDEX"] = fmt.Sprint(*index)
	}
	return env, nil
}

// kubeExpand expands $(VAR) references as Kubernetes does for command,
// args and env values: a defined VAR is replaced, an undefined reference
// stays as written, $$ is a literal $, and any other $ is kept.
func kubeExpand(s string, env map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch next := s[i+1]; next {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 { // unclosed: kept, and the rest read on
				b.WriteString("$(")
				i++
				continue
			}
			name := s[i+2 : i+2+end]
			if v, ok := env[name]; ok {
				b.WriteString(v)
			} else {
				b.WriteString("$(" + name + ")")
			}
			i += 2 + end
		default:
			b.WriteByte('$')
			b.WriteByte(next)
			i++
		}
	}
	return b.String()
}

// writePipelineWithoutDedup writes the named built-in pipeline without its
// dedup step to path.
func writePipelineWithoutDedup(t *testing.T, root, name, path string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "pipelines", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const step = "  - dedup: {}\n"
	if strings.Count(string(b), step) != 1 {
		t.Fatalf("pipelines/%s.yaml has no single %q step: update the test", name, strings.TrimSpace(step))
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), step, "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// download copies the *.arrow objects directly under prefix into dir.
func download(t *testing.T, st *storage.Storage, prefix, dir string) string {
	t.Helper()
	entries, err := st.List(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(dir, 0o755)
	for _, e := range entries {
		rel := strings.TrimPrefix(e.Loc, prefix)
		if strings.Contains(rel, "/") || !strings.HasSuffix(rel, ".arrow") {
			continue
		}
		b, err := st.ReadFile(context.Background(), e.Loc)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func pathBase(loc string) string { return loc[strings.LastIndexByte(loc, '/')+1:] }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestKubeExpand pins the $(VAR) rules the executed manifests rely on to
// Kubernetes' documented behaviour.
func TestKubeExpand(t *testing.T) {
	env := map[string]string{"A": "x", "EMPTY": "", "OUT": "s3://b/o"}
	for in, want := range map[string]string{
		"$(A)":            "x",
		"$(OUT)/shards":   "s3://b/o/shards",
		"$(EMPTY)-":       "-",
		"$(UNDEFINED)":    "$(UNDEFINED)",
		"$$(A)":           "$(A)",
		"$$$(A)":          "$x",
		"a$b":             "a$b",
		"$":               "$",
		"$(A":             "$(A",
		"$(A)$(A)":        "xx",
		"pre$(A)post$":    "prexpost$",
		"$($(A))":         "$($(A))",
		"--task-index=$(": "--task-index=$(",
	} {
		if got := kubeExpand(in, env); got != want {
			t.Errorf("kubeExpand(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestK8sScratchMounted checks without a cluster what the executed test
// found the hard way: every local folder the ConfigMap names is a volume's
// mount path in every Job, so it exists when sieve starts and lives on the
// pod's scratch volume, not on the container's own disk.
func TestK8sScratchMounted(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	config, jobs := renderK8s(t, map[string]string{"IMAGE": "registry.example.org/sieve:test"})
	for _, j := range jobs {
		for _, c := range j.Spec.Template.Spec.Containers {
			volumes := map[string]bool{}
			for _, v := range j.Spec.Template.Spec.Volumes {
				volumes[v.Name] = v.EmptyDir != nil
			}
			mounted := map[string]bool{}
			for _, m := range c.VolumeMounts {
				if !volumes[m.Name] {
					t.Errorf("%s mounts %q, which is no emptyDir volume of the pod", j.Metadata.Name, m.Name)
				}
				mounted[m.MountPath] = true
			}
			for _, k := range []string{"SIEVE_WORK_DIR", "SIEVE_CACHE_DIR"} {
				if p := config.Data[k]; !mounted[p] {
					t.Errorf("%s: %s=%q is not a mount path of the container (mounts: %v)", j.Metadata.Name, k, p, c.VolumeMounts)
				}
			}
		}
	}
}
