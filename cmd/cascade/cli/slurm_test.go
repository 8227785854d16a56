package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// TestSlurmArray submits the test sweep as a 4-task Slurm job array with
// the documented batch script (docs/cluster/sweep.sbatch), each task making
// its shard with --shard auto/4, waits for the array, merges the shards and
// compares the result with the sweep run unsharded.
//
// It needs a running Slurm cluster whose jobs can reach this machine's
// files: .ci/slurm/start.sh starts one on localhost (CI runs it, see
// .ci/run) and .ci/slurm/stop.sh stops it. It runs when CASCADE_SLURM=1 and
// skips otherwise; with CASCADE_REQUIRE_SLURM=1 it fails instead of
// skipping.
func TestSlurmArray(t *testing.T) {
	unavailable := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if os.Getenv("CASCADE_REQUIRE_SLURM") == "1" {
			t.Fatalf("CASCADE_REQUIRE_SLURM=1 but %s", msg)
		}
		t.Skip(msg)
	}
	if os.Getenv("CASCADE_SLURM") != "1" {
		unavailable("CASCADE_SLURM is not 1 (start a cluster with .ci/slurm/start.sh, then set it)")
	}
	for _, c := range []string{"sbatch", "sinfo", "scontrol"} {
		if _, err := exec.LookPath(c); err != nil {
			unavailable("%s is not installed (.ci/slurm/start.sh installs Slurm)", c)
		}
	}
	state, err := exec.Command("sinfo", "-h", "-o", "%T").Output()
	up := false
	for _, s := range strings.Fields(string(state)) {
		for _, ok := range []string{"idle", "mixed", "allocated", "completing"} {
			up = up || s == ok
		}
	}
	if err != nil || !up {
		unavailable("no Slurm node is up (sinfo: %q, %v)", strings.TrimSpace(string(state)), err)
	}
	ref := referenceSweep(t)

	dir := t.TempDir()
	script, _ := filepath.Abs("../../../docs/cluster/sweep.sbatch")
	sweepPath, _ := filepath.Abs(sweepFile)
	out := filepath.Join(dir, "out")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// --wait returns when every task has ended, with the highest exit code.
	// The script's resource requests are overridden to fit a small node.
	cmd := exec.CommandContext(ctx, "sbatch", "--wait", "--parsable", "--array=0-3", "--cpus-per-task=1", "--mem=200M",
		"--time=00:10:00", "--chdir", dir, "--output", filepath.Join(dir, "task-%a.out"),
		"--export=ALL,CASCADE="+bin+",SWEEP="+sweepPath+",OUT="+out+",SHARDS=4", script)
	b, err := cmd.CombinedOutput()
	logs := func() string {
		var s strings.Builder
		files, _ := filepath.Glob(filepath.Join(dir, "task-*.out"))
		for _, f := range files {
			c, _ := os.ReadFile(f)
			fmt.Fprintf(&s, "--- %s\n%s", filepath.Base(f), c)
		}
		return s.String()
	}
	if err != nil {
		t.Fatalf("sbatch --wait: %v\n%s\n%s", err, b, logs())
	}
	job := strings.TrimSpace(string(b))
	t.Logf("job array %s done", job)
	for i := 0; i < 4; i++ {
		m := readManifest(t, filepath.Join(out, fmt.Sprintf("shard-%d-of-4", i)))
		if !m.Complete || m.Shard.Index != i || m.Shard.Count != 4 {
			t.Errorf("shard %d: complete %v, shard %v\n%s", i, m.Complete, m.Shard, logs())
		}
	}
	if l := logs(); !strings.Contains(l, "shard 2/4 of "+sweepPath) || !strings.Contains(l, "10 runs to make") {
		t.Errorf("task logs lack the shard's lines:\n%s", l)
	}
	if _, e, code := cascade(t, "merge", out); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, e)
	}
	checkSameSweep(t, ref, filepath.Join(out, "merged"))
}

// TestClusterDocs: docs/cluster.md shows the batch script and the
// Kubernetes manifest as they are in docs/cluster/, and the manifest's
// completions match its --shard auto/n.
func TestClusterDocs(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/cluster.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"../../../docs/cluster/sweep.sbatch", "../../../docs/cluster/sweep-job.yaml"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc), string(b)) {
			t.Errorf("docs/cluster.md does not show %s as it is", filepath.Base(f))
		}
	}
	b, _ := os.ReadFile("../../../docs/cluster/sweep-job.yaml")
	var job struct {
		Spec struct {
			CompletionMode string `yaml:"completionMode"`
			Completions    int    `yaml:"completions"`
			Template       struct {
				Spec struct {
					Containers []struct {
						Command []string `yaml:"command"`
					} `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	if err := yaml.Unmarshal(b, &job); err != nil {
		t.Fatal(err)
	}
	if job.Spec.CompletionMode != "Indexed" || len(job.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("not an Indexed Job with one container: %+v", job.Spec)
	}
	if args := strings.Join(job.Spec.Template.Spec.Containers[0].Command, " "); !strings.Contains(args, fmt.Sprintf("--shard auto/%d ", job.Spec.Completions)) ||
		!strings.Contains(args, "--resume") {
		t.Errorf("command %q does not shard into the %d completions with --resume", args, job.Spec.Completions)
	}
}
