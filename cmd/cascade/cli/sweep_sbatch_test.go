package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSbatchGuard: the batch script fails a task at once, naming the fix,
// when the array and SHARDS disagree, with too many task IDs or too few
// (before, --array=0-3 with SHARDS left at its default made four shards
// of a larger count, and the error came only at the merge); a matching
// array, and a resubmission of some IDs with RESUBMIT=1, run the sweep.
// The script runs under bash with Slurm's variables set and a stand-in
// for the cascade binary.
func TestSbatchGuard(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script, _ := filepath.Abs("../../../docs/cluster/sweep.sbatch")
	stub := filepath.Join(t.TempDir(), "cascade")
	if err := os.WriteFile(stub, []byte("#!/bin/sh\necho \"ran $*\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		env  []string // SLURM_ARRAY_TASK_MIN, MAX, COUNT, then more
		code int
		want string
	}{
		{"matching", []string{"0", "3", "4", "SHARDS=4"}, 0, "ran sweep sweeps/aug2024.yaml --out out/aug2024-mc --shard auto/4 --resume"},
		{"too few tasks", []string{"0", "3", "4", "SHARDS=40"}, 2, "the array has 4 tasks but SHARDS=40, so shards would be missing at the merge: submit with --array=0-39"},
		{"too many tasks", []string{"0", "7", "8", "SHARDS=4"}, 2, "array task IDs go from 0 to 7 but SHARDS=4: submit with --array=0-3, or set SHARDS=8"},
		{"a resubmission", []string{"1", "3", "2", "SHARDS=4", "RESUBMIT=1"}, 0, "ran sweep"},
		{"a resubmission without RESUBMIT", []string{"1", "3", "2", "SHARDS=4"}, 2, "(to redo only some shards, add RESUBMIT=1)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(bash, script)
			cmd.Env = append(os.Environ(), "CASCADE="+stub, "SLURM_ARRAY_TASK_ID="+c.env[0],
				"SLURM_ARRAY_TASK_MIN="+c.env[0], "SLURM_ARRAY_TASK_MAX="+c.env[1], "SLURM_ARRAY_TASK_COUNT="+c.env[2])
			cmd.Env = append(cmd.Env, c.env[3:]...)
			out, _ := cmd.CombinedOutput()
			if code := cmd.ProcessState.ExitCode(); code != c.code || !strings.Contains(string(out), c.want) {
				t.Errorf("exit %d, output %q; want exit %d and %q", code, out, c.code, c.want)
			}
		})
	}
}
