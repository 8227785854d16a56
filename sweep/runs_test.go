package sweep

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadRuns: --runs replaces the file's runs and makes another sweep
// (its own fingerprint); a random design's runs keep their values, a grid
// still needs a multiple of its size, and 0 leaves the file's runs.
func TestLoadRuns(t *testing.T) {
	full, err := Load("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	same, err := LoadRuns("testdata/mini.yaml", 0)
	if err != nil || same.Runs != 24 || same.Fingerprint != full.Fingerprint {
		t.Fatalf("runs 0: %v runs, fingerprint %s (file: 24, %s), %v", same.Runs, same.Fingerprint, full.Fingerprint, err)
	}
	trial, err := LoadRuns("testdata/mini.yaml", 5)
	if err != nil {
		t.Fatal(err)
	}
	if trial.Runs != 5 || trial.File.Runs != 24 || trial.Fingerprint == full.Fingerprint || trial.Resolved().Runs != 5 {
		t.Errorf("runs 5: %d runs (file %d, resolved %d), fingerprint the full sweep's: %v", trial.Runs, trial.File.Runs, trial.Resolved().Runs, trial.Fingerprint == full.Fingerprint)
	}

	src, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, edits ...string) string {
		t.Helper()
		text := string(src)
		for k := 0; k < len(edits); k += 2 {
			if !strings.Contains(text, edits[k]) {
				t.Fatalf("%q is not in testdata/mini.yaml", edits[k])
			}
			text = strings.Replace(text, edits[k], edits[k+1], 1)
		}
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	random := write("random.yaml", "design: latin_hypercube", "design: random")
	a, errA := LoadRuns(random, 0)
	b, errB := LoadRuns(random, 5)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	for i := 0; i < 5; i++ {
		va, vb := make([]float64, len(a.Params)), make([]float64, len(b.Params))
		a.Values(i, va)
		b.Values(i, vb)
		for p := range va {
			if va[p] != vb[p] {
				t.Errorf("random design, run %d, parameter %d: %v with --runs 5, %v in the full sweep", i, p, vb[p], va[p])
			}
		}
	}

	grid := write("grid.yaml", `design: latin_hypercube
parameters:
  - {path: leverage_scale, dist: {kind: uniform, min: 0.6, max: 1.4}}
  - {path: brokers.GS.capital, name: gs_capital, dist: {kind: lognormal, mu: 25.3, sigma: 0.3}}
  - {path: agents.cta.target_vol, dist: {kind: triangular, min: 0.06, mode: 0.1, max: 0.15}}
  - {path: agents.hf.vary.0.dist.max, dist: {kind: choice, values: [0.3, 0.35, 0.4], weights: [1, 2, 1]}}`, `design: grid
parameters:
  - {path: leverage_scale, dist: {kind: list, values: [0.5, 1]}}
  - {path: agents.cta.target_vol, dist: {kind: list, values: [0.06, 0.1, 0.15]}}`, "runs: 24\n", "runs: 6\n")
	for _, c := range []struct {
		runs, want int
		err        string
	}{
		{0, 6, ""},
		{12, 12, ""},
		{7, 0, "--runs 7: a grid of 6 points needs 6 runs or a multiple of it"},
	} {
		sw, err := LoadRuns(grid, c.runs)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("grid, --runs %d: error %v, want one containing %q", c.runs, err, c.err)
		case c.err == "" && (err != nil || sw.Runs != c.want || sw.GridSize != 6):
			t.Errorf("grid, --runs %d: %v", c.runs, err)
		}
	}
}

// TestRunsBound: the file's runs and --runs (LoadRuns) take 1 to
// MaxRuns, refused with one message. The file's bound was the decoder's
// 2^31 ("3000000000 is out of range (at most 2147483648)", and 2^31 itself
// passed, its check taking over ten minutes), --runs had none, and the
// two said "runs must be at least 1" and "need at least 1".
func TestRunsBound(t *testing.T) {
	src, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if MaxRuns != 100_000_000 || maxRunsText != "100,000,000" {
		t.Fatalf("MaxRuns %d, written %s", MaxRuns, maxRunsText)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		file string // the file's runs
		flag int    // --runs
		want string
	}{
		{"0", 0, "f.yaml:4:7: runs: runs must be from 1 to 100,000,000 (got 0)"},
		{"-5", 0, "f.yaml:4:7: runs: runs must be from 1 to 100,000,000 (got -5)"},
		{"100000001", 0, "f.yaml:4:7: runs: runs must be from 1 to 100,000,000 (got 100000001)"},
		{"3000000000", 0, "f.yaml:4:7: runs: runs must be from 1 to 100,000,000 (got 3000000000)"},
		{"1.0e+16", 0, "f.yaml:4:7: runs: runs must be from 1 to 100,000,000 (got 1.0e+16)"},
		{"24", -3, "f.yaml: --runs: runs must be from 1 to 100,000,000 (got -3)"},
		{"24", 100_000_001, "f.yaml: --runs: runs must be from 1 to 100,000,000 (got 100000001)"},
		{"24", 0, ""},
		{"24", 5, ""},
	} {
		text := strings.Replace(string(src), "runs: 24", "runs: "+c.file, 1)
		p := filepath.Join(dir, "f.yaml")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadRuns(p, c.flag)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("runs %s, --runs %d: %v", c.file, c.flag, err)
		case c.want != "" && (err == nil || err.Error() != filepath.Join(dir, c.want)):
			t.Errorf("runs %s, --runs %d:\ngot  %v\nwant %s", c.file, c.flag, err, filepath.Join(dir, c.want))
		}
	}
}
