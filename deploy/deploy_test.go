// Package deploy holds the Slurm and Kubernetes files that run sieve over a
// whole crawl; these tests check them without a cluster.
package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestK8sManifests renders every stage as run-dump.sh does and checks what
// Kubernetes and sieve rely on: Indexed mode for split stages, SIEVE_TASKS
// equal to completions, and $(VAR) references that are all defined.
func TestK8sManifests(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	cmd := exec.Command("bash", "k8s/run-dump.sh", "--dry-run")
	cmd.Env = append(os.Environ(), "IMAGE=registry.example.org/sieve:test", "RUN_TASKS=1000", "SIGNATURE_TASKS=200", "BUCKET_TASKS=16", "FILTER_TASKS=50")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("run-dump.sh --dry-run: %v\n%s", err, out)
	}
	docs := strings.Split(string(out), "\n---\n")
	if len(docs) != 7 {
		t.Fatalf("%d YAML documents, want config + 6 stages", len(docs))
	}
	var cfg struct{ Data map[string]string }
	if err := yaml.Unmarshal([]byte(docs[0]), &cfg); err != nil {
		t.Fatal(err)
	}
	wantTasks := map[string]int{"sieve-run": 1000, "sieve-dedup-signatures": 200, "sieve-dedup-buckets": 16,
		"sieve-dedup-clusters": 1, "sieve-dedup-filter": 50, "sieve-finalize": 1}
	ref := regexp.MustCompile(`\$\(([A-Z_]+)\)`)
	for _, d := range docs[1:] {
		if strings.Contains(d, "__") {
			t.Errorf("placeholder left in:\n%s", d)
		}
		var j k8sManifest
		if err := yaml.Unmarshal([]byte(d), &j); err != nil {
			t.Fatalf("%v\n%s", err, d)
		}
		want, ok := wantTasks[j.Metadata.Name]
		if j.Kind != "Job" || !ok {
			t.Fatalf("unexpected %s %q", j.Kind, j.Metadata.Name)
		}
		if j.Spec.Completions != want {
			t.Errorf("%s: completions %d, want %d", j.Metadata.Name, j.Spec.Completions, want)
		}
		if want > 1 && j.Spec.CompletionMode != "Indexed" {
			t.Errorf("%s: completionMode %q, want Indexed", j.Metadata.Name, j.Spec.CompletionMode)
		}
		c := j.Spec.Template.Spec.Containers[0]
		if c.Image != "registry.example.org/sieve:test" || len(c.Command) != 1 || c.Command[0] != "sieve" {
			t.Errorf("%s: image %q command %q", j.Metadata.Name, c.Image, c.Command)
		}
		env := map[string]string{"JOB_COMPLETION_INDEX": "set by Kubernetes"}
		for k, v := range cfg.Data {
			env[k] = v
		}
		for _, e := range c.Env {
			env[e.Name] = e.Value
		}
		if env["SIEVE_TASKS"] != strconv.Itoa(want) {
			t.Errorf("%s: SIEVE_TASKS %q, completions %d", j.Metadata.Name, env["SIEVE_TASKS"], want)
		}
		for _, a := range c.Args {
			for _, m := range ref.FindAllStringSubmatch(a, -1) {
				if _, ok := env[m[1]]; !ok {
					t.Errorf("%s: argument %q uses $(%s), which no env or ConfigMap entry defines", j.Metadata.Name, a, m[1])
				}
			}
		}
	}
}

// TestSlurmChain runs submit-dump.sh with a stand-in sbatch (there is no
// Slurm here) and then each sbatch script as Slurm would, with a stand-in
// sieve that prints its arguments.
func TestSlurmChain(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	os.MkdirAll(bin, 0o755)
	write := func(p, s string, mode os.FileMode) {
		if err := os.WriteFile(p, []byte(s), mode); err != nil {
			t.Fatal(err)
		}
	}
	log := filepath.Join(dir, "sbatch.log")
	write(filepath.Join(bin, "sbatch"), `#!/usr/bin/env bash
echo "$*" >> `+log+`
echo "$(( $(wc -l < `+log+`) + 4000 ));cluster"
`, 0o755)
	write(filepath.Join(bin, "sieve"), "#!/usr/bin/env bash\necho \"$*\"\n", 0o755)
	env, err := os.ReadFile("slurm/sieve.env.example")
	if err != nil {
		t.Fatal(err)
	}
	envFile := filepath.Join(dir, "sieve.env")
	write(envFile, strings.Replace(string(env), "SIEVE_BIN=/shared/bin/sieve", "SIEVE_BIN="+filepath.Join(bin, "sieve"), 1), 0o600)

	slurm, _ := filepath.Abs("slurm")
	cmd := exec.Command("bash", filepath.Join(slurm, "submit-dump.sh"), "--partition=cpu")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "SIEVE_ENV="+envFile)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("submit-dump.sh: %v\n%s", err, out)
	}
	got, _ := os.ReadFile(log)
	lines := strings.Split(strings.TrimSpace(string(got)), "\n")
	want := []string{
		"--parsable --array=0-999%400 --partition=cpu " + slurm + "/run.sbatch",
		"--parsable --array=0-199%400 --dependency=afterok:4001 --kill-on-invalid-dep=yes --partition=cpu " + slurm + "/dedup-signatures.sbatch",
		"--parsable --array=0-15 --dependency=afterok:4002 --kill-on-invalid-dep=yes --partition=cpu " + slurm + "/dedup-buckets.sbatch",
		"--parsable --dependency=afterok:4003 --kill-on-invalid-dep=yes --partition=cpu " + slurm + "/dedup-clusters.sbatch",
		"--parsable --array=0-199%400 --dependency=afterok:4004 --kill-on-invalid-dep=yes --partition=cpu " + slurm + "/dedup-filter.sbatch",
		"--parsable --dependency=afterok:4005 --kill-on-invalid-dep=yes --partition=cpu " + slurm + "/finalize.sbatch",
	}
	if len(lines) != len(want) {
		t.Fatalf("sbatch calls:\n%s", got)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("sbatch call %d:\n got %s\nwant %s", i, lines[i], want[i])
		}
	}

	// Each script as Slurm runs it: array task 8 of an array starting at 1.
	out := "s3://my-bucket/sieve/CC-MAIN-2024-22"
	scripts := map[string]string{
		"run.sbatch":              "run --quiet --allow-damaged --pipeline fineweb --workers 8 --tasks 1000 --task-index 7 -o " + out + " s3://commoncrawl/crawl-data/CC-MAIN-2024-22/segments/*/warc/*.warc.gz",
		"dedup-signatures.sbatch": "dedup signatures --workers 8 --tasks 200 --task-index 7 -o " + out + "-dedup " + out + "/shards",
		"dedup-buckets.sbatch":    "dedup buckets --tasks 16 --task-index 7 -o " + out + "-dedup",
		"dedup-clusters.sbatch":   "dedup clusters -o " + out + "-dedup",
		"dedup-filter.sbatch":     "dedup filter --tasks 200 --task-index 7 -o " + out + "-dedup",
		"finalize.sbatch":         "finalize --shards " + out + "-dedup/shards " + out,
	}
	for script, wantArgs := range scripts {
		cmd := exec.Command("bash", filepath.Join(slurm, script))
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "SIEVE_DEPLOY_DIR="+slurm, "SIEVE_ENV="+envFile,
			"SLURM_ARRAY_TASK_ID=8", "SLURM_ARRAY_TASK_MIN=1", "SLURM_CPUS_PER_TASK=8")
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", script, err, b)
		}
		if strings.TrimSpace(string(b)) != wantArgs {
			t.Errorf("%s runs\n  sieve %s\nwant\n  sieve %s", script, strings.TrimSpace(string(b)), wantArgs)
		}
	}
}
