package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/internal/csvtest"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/sim"
	"github.com/cascade-sim/cascade/sweep"
)

const sweepFile = "testdata/sweep/mini.yaml"

// readParquet reads a Parquet file written by a sweep.
func readParquet(t *testing.T, path string) *output.Table {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	tab, err := output.ReadParquet(f, st.Size())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return tab
}

// sameTable reports how two tables differ ("" if they hold the same
// columns and bit-identical values, NaN equal to NaN).
func sameTable(a, b *output.Table) string {
	if len(a.Columns) != len(b.Columns) {
		return fmt.Sprintf("%d columns vs %d", len(a.Columns), len(b.Columns))
	}
	if a.Rows() != b.Rows() {
		return fmt.Sprintf("%d rows vs %d", a.Rows(), b.Rows())
	}
	for j := range a.Columns {
		x, y := &a.Columns[j], &b.Columns[j]
		if x.Name != y.Name || x.Type != y.Type {
			return fmt.Sprintf("column %d: %s (%s) vs %s (%s)", j, x.Name, x.Type, y.Name, y.Type)
		}
		for i := 0; i < x.Len(); i++ {
			u, v := x.Value(i), y.Value(i)
			if x.Type == output.Float64 {
				if math.Float64bits(u.Float()) != math.Float64bits(v.Float()) && !(math.IsNaN(u.Float()) && math.IsNaN(v.Float())) {
					return fmt.Sprintf("%s, row %d: %v vs %v", x.Name, i, u.Float(), v.Float())
				}
			} else if u.String() != v.String() {
				return fmt.Sprintf("%s, row %d: %v vs %v", x.Name, i, u, v)
			}
		}
	}
	return ""
}

// checkSameSweep compares the runs and bands of two sweep directories.
func checkSameSweep(t *testing.T, want, got string) {
	t.Helper()
	for _, f := range []string{"runs.parquet", "bands.parquet"} {
		if d := sameTable(readParquet(t, filepath.Join(want, f)), readParquet(t, filepath.Join(got, f))); d != "" {
			t.Errorf("%s of %s differs from %s: %s", f, got, want, d)
		}
	}
}

// runSweep runs cascade sweep and fails the test unless it exits 0.
func runSweepCmd(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	o, e, code := cascade(t, append([]string{"sweep"}, args...)...)
	if code != 0 {
		t.Fatalf("cascade sweep %v: exit %d\n%s", args, code, e)
	}
	return o, e
}

var reference struct {
	once sync.Once
	dir  string
	err  string
}

// referenceSweep is the test sweep run unsharded on 2 workers. It is
// written beside the test binary, in the directory TestMain removes.
func referenceSweep(t *testing.T) string {
	t.Helper()
	reference.once.Do(func() {
		reference.dir = filepath.Join(filepath.Dir(bin), "sweep-ref")
		cmd := exec.Command(bin, "sweep", sweepFile, "--out", reference.dir, "--workers", "2", "--quiet")
		if b, err := cmd.CombinedOutput(); err != nil {
			reference.err = fmt.Sprintf("%v: %s", err, b)
		}
	})
	if reference.err != "" {
		t.Fatalf("reference sweep: %s", reference.err)
	}
	return reference.dir
}

func readManifest(t *testing.T, dir string) *sweep.Manifest {
	t.Helper()
	m, err := sweep.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSweepOutputs: a sweep writes every output, one row per run in index
// order, bands for each series and tick, and a complete manifest.
func TestSweepOutputs(t *testing.T) {
	ref := referenceSweep(t)
	man := readManifest(t, ref)
	if !man.Complete || man.Completed.Count != 40 || man.Shard != sweep.Whole || man.Fingerprint == "" || man.Base.Resolved == "" {
		t.Errorf("manifest: complete %v, %d runs done, shard %v", man.Complete, man.Completed.Count, man.Shard)
	}
	for _, f := range man.Files {
		if st, err := os.Stat(filepath.Join(ref, f)); err != nil || (st.Size() == 0 && !st.IsDir()) {
			t.Errorf("%s listed in the manifest but missing or empty (%v)", f, err)
		}
	}
	for _, f := range []string{"runs.csv", "bands.csv", "sensitivity.csv", "plots/fan_NKY.png", "plots/fan_hedge_fund_leverage.svg",
		"plots/hist_vix_peak.png", "plots/sensitivity.png", "plots/compression_drawdown.png"} {
		if !contains(man.Files, f) {
			t.Errorf("%s not written", f)
		}
	}
	runs := readParquet(t, filepath.Join(ref, "runs.parquet"))
	idx, _ := runs.Column("index")
	if runs.Rows() != 40 {
		t.Fatalf("%d rows, want 40", runs.Rows())
	}
	for i, v := range idx.I {
		if v != int64(i) {
			t.Fatalf("row %d holds run %d", i, v)
		}
	}
	var names []string
	for _, c := range runs.Columns {
		names = append(names, c.Name)
	}
	want := "index seed leverage_scale gs_capital agents.cta.target_vol agents.hf.vary.0.dist.max assets.NKY.max_drawdown_pct vix.peak " +
		"correlation.peak_mean amplification forced_sales_usd.by_kind.cta margin_calls.count defaults unwound_pct.carry compression_index headline_move_pct"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("columns:\n%s\nwant\n%s", got, want)
	}
	lev, _ := runs.Column("leverage_scale")
	for _, v := range lev.F {
		if v < 0.6 || v > 1.4 {
			t.Errorf("leverage_scale %v outside its range", v)
		}
	}
	bands := readParquet(t, filepath.Join(ref, "bands.parquet"))
	if bands.Rows() != 4*man.Plan.Ticks {
		t.Errorf("bands: %d rows, want 4 series × %d ticks", bands.Rows(), man.Plan.Ticks)
	}
	p5, _ := bands.Column("p5")
	p50, _ := bands.Column("p50")
	p95, _ := bands.Column("p95")
	n, _ := bands.Column("n")
	for i := range p5.F {
		if n.I[i] > 0 && !(p5.F[i] <= p50.F[i] && p50.F[i] <= p95.F[i]) {
			t.Fatalf("bands row %d: p5 %v, p50 %v, p95 %v out of order", i, p5.F[i], p50.F[i], p95.F[i])
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// TestSweepWorkers: runs.parquet and bands.parquet are identical with 1, 2
// and 8 workers.
func TestSweepWorkers(t *testing.T) {
	ref := referenceSweep(t)
	for _, w := range []string{"1", "8"} {
		out := filepath.Join(t.TempDir(), "w"+w)
		runSweepCmd(t, sweepFile, "--out", out, "--workers", w, "--no-plots", "--quiet")
		checkSameSweep(t, ref, out)
	}
}

// TestSweepShards: four shards, merged, equal the sweep run whole; merge
// refuses shards of different sweeps, duplicates and gaps, and writes
// nothing then.
func TestSweepShards(t *testing.T) {
	ref := referenceSweep(t)
	out := filepath.Join(t.TempDir(), "sharded")
	for i, w := range []string{"1", "2", "3", "1"} {
		_, stderr := runSweepCmd(t, sweepFile, "--out", out, "--shard", fmt.Sprintf("%d/4", i), "--workers", w)
		if !strings.Contains(stderr, "10 runs to make") {
			t.Errorf("shard %d: %s", i, stderr)
		}
	}
	shard := func(i int) string { return filepath.Join(out, fmt.Sprintf("shard-%d-of-4", i)) }
	if m := readManifest(t, shard(2)); m.Shard != (sweep.Shard{Index: 2, Count: 4}) || !m.Complete || m.ShardRuns != 10 {
		t.Errorf("shard 2 manifest: %+v", m.Shard)
	}
	stdout, stderr, code := cascade(t, "merge", out)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	merged := filepath.Join(out, "merged")
	if !strings.Contains(stdout, merged) {
		t.Errorf("merge output: %s", stdout)
	}
	checkSameSweep(t, ref, merged)
	// Every output of the merge, plots and report too, is the whole
	// sweep's byte for byte.
	if o, e, code := cascade(t, "verify", merged, "--against", ref); code != 0 || !strings.Contains(o, "files identical in "+ref) {
		t.Errorf("verify the merge against the whole sweep: exit %d\n%s%s", code, o, e)
	}
	if m := readManifest(t, merged); m.Shard != sweep.Whole || !m.Complete || len(m.MergedFrom) != 4 {
		t.Errorf("merged manifest: shard %v, complete %v, from %v", m.Shard, m.Complete, m.MergedFrom)
	}

	// A shard of another sweep (another seed).
	other := filepath.Join(t.TempDir(), "other.yaml")
	src, _ := os.ReadFile(sweepFile)
	os.WriteFile(other, []byte(strings.Replace(string(src), "seed: 11", "seed: 12", 1)), 0o644)
	otherOut := filepath.Join(t.TempDir(), "other")
	runSweepCmd(t, other, "--out", otherOut, "--shard", "3/4", "--quiet")
	// (An incomplete shard is refused too: see sweep.TestMergeIncomplete.)

	for _, tc := range []struct {
		name string
		dirs []string
		want string
	}{
		{"different sweeps", []string{shard(0), shard(1), shard(2), filepath.Join(otherOut, "shard-3-of-4")}, "are shards of different sweeps (seed 11 vs 12)"},
		{"duplicate", []string{shard(0), shard(1), shard(2), shard(3), shard(3)}, "was a shard given twice?"},
		{"missing", []string{shard(0), shard(1), shard(2)}, "10 of 40 runs are missing from these shards (runs 3, 7, 11"},
		{"missing hint", []string{shard(0), shard(2), shard(3)}, "shard 1/4 not given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "merged")
			_, stderr, code := cascade(t, append(append([]string{"merge"}, tc.dirs...), "--out", dst)...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tc.want)
			}
			if _, err := os.Stat(dst); err == nil {
				t.Error("a refused merge wrote its output")
			}
			if ents, _ := os.ReadDir(filepath.Dir(dst)); len(ents) != 0 {
				t.Errorf("a refused merge left %v", ents)
			}
		})
	}
}

// TestSweepKillResume: a sweep killed with SIGKILL half-way keeps the runs
// it journaled; --resume makes only the others, and the result is the
// same as an uninterrupted sweep.
func TestSweepKillResume(t *testing.T) {
	const file = "testdata/sweep/aug2024.yaml"
	ref := filepath.Join(t.TempDir(), "ref")
	runSweepCmd(t, file, "--out", ref, "--no-plots", "--quiet")

	out := filepath.Join(t.TempDir(), "killed")
	cmd := exec.Command(bin, "sweep", file, "--out", out, "--workers", "1", "--chunk-runs", "3", "--verbose", "--no-plots")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	journaled := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "journal: ") {
			journaled = true
			break
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	go func() {
		for sc.Scan() {
		}
	}()
	cmd.Wait()
	if !journaled {
		t.Fatal("the sweep ended without journaling a chunk")
	}
	man := readManifest(t, out)
	if man.Complete || man.Completed.Count == 0 || man.Completed.Count >= man.ShardRuns {
		t.Fatalf("after the kill: complete %v with %d of %d runs journaled; want part of them", man.Complete, man.Completed.Count, man.ShardRuns)
	}
	if _, err := os.Stat(filepath.Join(out, "runs.parquet")); err == nil {
		t.Error("runs.parquet written before the sweep completed")
	}
	done := man.Completed.Count

	_, e, code := cascade(t, "sweep", file, "--out", out, "--no-plots")
	if code != 2 || !strings.Contains(e, "add --resume to finish it") {
		t.Errorf("without --resume: exit %d, %s", code, e)
	}
	stdout, e := runSweepCmd(t, file, "--out", out, "--resume", "--workers", "2", "--no-plots", "--verbose")
	if !strings.Contains(e, fmt.Sprintf("%d of 48 runs already done", done)) || !strings.Contains(stdout, fmt.Sprintf("(%d made now, %d before)", 48-done, done)) {
		t.Errorf("resume did not report the runs it kept:\n%s\n%s", e, stdout)
	}
	checkSameSweep(t, ref, out)
	if m := readManifest(t, out); !m.Complete || m.Completed.Count != 48 {
		t.Errorf("after resume: complete %v, %d runs", m.Complete, m.Completed.Count)
	}
	// A sweep file changed since: resuming it is refused.
	changed := filepath.Join(t.TempDir(), "changed.yaml")
	src, _ := os.ReadFile(file)
	os.WriteFile(changed, []byte(strings.Replace(string(src), "runs: 48", "runs: 50", 1)), 0o644)
	if _, e, code := cascade(t, "sweep", changed, "--out", out, "--resume"); code != 2 || !strings.Contains(e, "holds a different sweep") || !strings.Contains(e, "runs 48 vs 50") {
		t.Errorf("resume of another sweep: exit %d, %s", code, e)
	}
}

// TestSweepInvalid: every file of the corpus exits 2, prints its expected
// messages with file:line:col, and leaves no output behind.
func TestSweepInvalid(t *testing.T) {
	invalidCorpus(t, "testdata/sweep/invalid/*.yaml", "sweep", func(f string) []string { return []string{"sweep", f, "--check"} })
}

// TestSweepUsage: command-line mistakes exit 2 before anything is written.
func TestSweepUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"sweep"}, "", "accepts 1 arg"},
		{[]string{"sweep", sweepFile, "--shard", "4/4"}, "", "outside 0 to 3"},
		{[]string{"sweep", sweepFile, "--shard", "auto/4"}, "", "neither SLURM_ARRAY_TASK_ID"},
		{[]string{"sweep", sweepFile, "--shard", "auto/4"}, "SLURM_ARRAY_TASK_ID=7", "submit the array as --array=0-3"},
		{[]string{"sweep", sweepFile, "--workers", "-1"}, "", "must not be negative"},
		{[]string{"sweep", sweepFile, "--resume", "--force"}, "", "exclude each other"},
		{[]string{"sweep", sweepFile, "--runs", "0"}, "", "--runs: runs must be from 1 to 100,000,000 (got 0)"},
		{[]string{"sweep", sweepFile, "--runs", "-3"}, "", "--runs: runs must be from 1 to 100,000,000 (got -3)"},
		{[]string{"sweep", sweepFile, "--runs", "100000001"}, "", "--runs: runs must be from 1 to 100,000,000 (got 100000001)"},
		{[]string{"sweep", sweepFile, "--chunk-runs", "0"}, "", "--chunk-runs 0: need at least 1"},
		{[]string{"sweep", "no-such-file.yaml"}, "", "no-such-file.yaml"},
		{[]string{"merge"}, "", "requires at least 1 arg"},
		{[]string{"merge", "testdata"}, "", "holds no shard-I-of-N directories"},
	} {
		parent := t.TempDir()
		cmd := exec.Command(bin, append(tc.args, "--out", filepath.Join(parent, "o"))...)
		cmd.Env = append(os.Environ(), "SLURM_ARRAY_TASK_ID=", "JOB_COMPLETION_INDEX=")
		if tc.env != "" {
			cmd.Env = append(cmd.Env, tc.env)
		}
		b, err := cmd.CombinedOutput()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 2 || !strings.Contains(string(b), tc.want) {
			t.Errorf("%v (%s): %v, output %q; want exit 2 and %q", tc.args, tc.env, err, b, tc.want)
		}
		if ents, _ := os.ReadDir(parent); len(ents) != 0 {
			t.Errorf("%v: output left behind: %v", tc.args, ents)
		}
	}
}

// TestSweepExisting: an existing sweep is kept without --resume or
// --force; --resume of a complete sweep changes nothing; --force redoes it.
func TestSweepExisting(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s")
	runSweepCmd(t, sweepFile, "--out", out, "--no-plots", "--quiet")
	before, _ := os.ReadFile(filepath.Join(out, "runs.csv"))
	if _, e, code := cascade(t, "sweep", sweepFile, "--out", out); code != 2 || !strings.Contains(e, "already holds a sweep (complete)") {
		t.Errorf("existing sweep: exit %d, %s", code, e)
	}
	stdout, _ := runSweepCmd(t, sweepFile, "--out", out, "--resume", "--no-plots")
	if !strings.Contains(stdout, "40 runs (0 made now, 40 before)") {
		t.Errorf("resume of a complete sweep: %s", stdout)
	}
	runSweepCmd(t, sweepFile, "--out", out, "--force", "--no-plots", "--quiet")
	after, _ := os.ReadFile(filepath.Join(out, "runs.csv"))
	if string(before) != string(after) {
		t.Error("runs.csv changed when the sweep was made again")
	}
	notSweep := t.TempDir()
	os.WriteFile(filepath.Join(notSweep, "keep.txt"), []byte("x"), 0o644)
	if _, e, code := cascade(t, "sweep", sweepFile, "--out", notSweep, "--force"); code != 2 || !strings.Contains(e, "is not a sweep output directory") {
		t.Errorf("--force on a directory that is not a sweep's: exit %d, %s", code, e)
	}
}

// TestSweepCheckRuns: --check shows the runs --runs sets and the file's.
func TestSweepCheckRuns(t *testing.T) {
	stdout, _ := runSweepCmd(t, sweepFile, "--check", "--runs", "5")
	if !strings.Contains(stdout, "5 runs (latin_hypercube design)") || !strings.Contains(stdout, "(--runs; the file has 40)") {
		t.Errorf("--check --runs 5 printed:\n%s", stdout)
	}
	stdout, _ = runSweepCmd(t, sweepFile, "--check")
	if strings.Contains(stdout, "--runs") {
		t.Errorf("--check without --runs mentions it:\n%s", stdout)
	}
}

// TestSweepReproduce: a row of runs.parquet is what cascade run makes with
// the row's seed and parameters (the command --check prints for run 0).
func TestSweepReproduce(t *testing.T) {
	ref := referenceSweep(t)
	stdout, _ := runSweepCmd(t, sweepFile, "--check")
	var line string
	for _, l := range strings.Split(stdout, "\n") {
		if s, ok := strings.CutPrefix(l, "run 0 alone: cascade "); ok {
			line = s
		}
	}
	if line == "" {
		t.Fatalf("--check printed no command for run 0:\n%s", stdout)
	}
	cols := []string{"assets.NKY.max_drawdown_pct", "vix.peak", "amplification"}
	got, _ := summaryValues(t, strings.Fields(line), cols...)
	runs := readParquet(t, filepath.Join(ref, "runs.parquet"))
	for k, c := range cols {
		col, _ := runs.Column(c)
		if col.F[0] != got[k] {
			t.Errorf("%s: sweep row 0 has %v, cascade run %v", c, col.F[0], got[k])
		}
	}
}

// TestSweepManifestReproduce: a sweep's manifest records the cascade sweep
// command that makes its outputs again (the file, its runs, the shard and
// --no-plots; not the output directory, workers or journal chunks), and
// that command makes them byte for byte; a merge of shards records the
// whole sweep's command.
func TestSweepManifestReproduce(t *testing.T) {
	if got, want := readManifest(t, referenceSweep(t)).Reproduce, "cascade sweep "+sweepFile+" --runs 40"; got != want {
		t.Errorf("the reference sweep's reproduce %q, want %q", got, want)
	}
	tmp := t.TempDir()
	for _, tc := range []struct {
		name  string
		args  []string
		shard string // the subdirectory of a shard's outputs
		want  string
	}{
		{"whole", []string{"--runs", "6", "--workers", "2"}, "", "cascade sweep " + sweepFile + " --runs 6"},
		{"no plots", []string{"--runs", "6", "--no-plots", "--chunk-runs", "2"}, "", "cascade sweep " + sweepFile + " --runs 6 --no-plots"},
		{"shard", []string{"--runs", "6", "--shard", "1/2", "--no-plots"}, "shard-1-of-2", "cascade sweep " + sweepFile + " --runs 6 --shard 1/2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first, again := filepath.Join(tmp, tc.name), filepath.Join(tmp, tc.name+" again")
			runSweepCmd(t, append([]string{sweepFile, "--out", first, "--quiet"}, tc.args...)...)
			got := readManifest(t, filepath.Join(first, tc.shard)).Reproduce
			if got != tc.want {
				t.Fatalf("reproduce %q, want %q", got, tc.want)
			}
			args := append(strings.Fields(strings.TrimPrefix(got, "cascade ")), "--out", again, "--quiet")
			if _, e, code := cascade(t, args...); code != 0 {
				t.Fatalf("cascade %v: exit %d: %s", args, code, e)
			}
			if o, e, code := cascade(t, "verify", filepath.Join(first, tc.shard), "--against", filepath.Join(again, tc.shard)); code != 0 || !strings.Contains(o, "files identical") {
				t.Errorf("the sweep made again by its reproduce: exit %d\n%s%s", code, o, e)
			}
		})
	}
	// verify --rerun makes runs, not sweeps: it names the command.
	if _, e, code := cascade(t, "verify", filepath.Join(tmp, "whole"), "--rerun"); code != 2 || !strings.Contains(e, "make the sweep again (cascade sweep "+sweepFile+" --runs 6 --out OTHER)") {
		t.Errorf("verify --rerun of a sweep: exit %d: %s", code, e)
	}
	// The other shard, then the merge: the whole sweep's command.
	runSweepCmd(t, sweepFile, "--out", filepath.Join(tmp, "shard"), "--runs", "6", "--shard", "0/2", "--quiet")
	merged := filepath.Join(tmp, "merged")
	if _, e, code := cascade(t, "merge", filepath.Join(tmp, "shard"), "--out", merged, "--quiet"); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, e)
	}
	if got, want := readManifest(t, merged).Reproduce, "cascade sweep "+sweepFile+" --runs 6"; got != want {
		t.Errorf("the merged sweep's reproduce %q, want %q", got, want)
	}
}

// TestSweepProgress: without a terminal the sweep prints plain progress
// lines at the interval, with rate and ETA.
func TestSweepProgress(t *testing.T) {
	out := filepath.Join(t.TempDir(), "p")
	_, stderr := runSweepCmd(t, "testdata/sweep/aug2024.yaml", "--out", out, "--no-plots", "--workers", "1", "--progress-every", "20ms")
	periodic := 0
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, "runs/s, ETA ") {
			periodic++
		}
	}
	if periodic == 0 || !strings.Contains(stderr, "48/48 runs (100.0%)") {
		t.Errorf("progress lines missing:\n%s", stderr)
	}
}

// TestProgressLine: the plain progress line.
func TestProgressLine(t *testing.T) {
	for _, tc := range []struct {
		done, total, first int
		elapsed            time.Duration
		want               string
	}{
		{0, 100, 0, 0, "s: 0/100 runs (0.0%), starting"},
		{30, 100, 10, 10 * time.Second, "s: 30/100 runs (30.0%), 2.0 runs/s, ETA 35s"},
		{100, 100, 0, 50 * time.Second, "s: 100/100 runs (100.0%), 2.0 runs/s, done in 50s"},
	} {
		if got := progressLine("s", tc.done, tc.total, tc.first, tc.elapsed); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

// TestDoneLine: the closing line's rate is that of making the runs, and
// when the outputs and plots took a tenth of the time or more the line
// says how the time split, so that rate and time agree.
func TestDoneLine(t *testing.T) {
	for _, tc := range []struct {
		res  sweep.Result
		want string
	}{
		{sweep.Result{Name: "mc", Total: 10000, Ran: 10000, Workers: 2, Elapsed: 37200 * time.Millisecond, RunTime: 35250 * time.Millisecond},
			"mc: 10000 runs in 37.2s (283.7 runs/s on 2 workers)"},
		{sweep.Result{Name: "sw", Total: 20, Ran: 20, Workers: 2, Elapsed: 525 * time.Millisecond, RunTime: 10 * time.Millisecond},
			"sw: 20 runs in 525ms (making them 10ms, 2000.0 runs/s on 2 workers; outputs and plots 515ms)"},
		{sweep.Result{Name: "r", Total: 100, Resumed: 60, Ran: 40, Workers: 1, Elapsed: 30 * time.Second, RunTime: 20 * time.Second},
			"r: 100 runs (40 made now, 60 before) in 30s (making them 20s, 2.0 runs/s on 1 worker; outputs and plots 10s)"},
		{sweep.Result{Name: "m", Total: 100, Resumed: 100, Elapsed: 2 * time.Second}, "m: 100 runs (0 made now, 100 before) in 2s"},
	} {
		if got := doneLine(&tc.res); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}

// TestSweepParquetIndependentReader: two independent readers, DuckDB and
// arrow-rs (through parquet-wasm; both from npm, in .ci/parquet-check),
// each read runs.parquet and bands.parquet back and find them equal, value
// by value, to runs.csv and bands.csv. It skips without the readers, unless
// CASCADE_REQUIRE_DUCKDB=1 (as in CI).
func TestSweepParquetIndependentReader(t *testing.T) {
	check := duckdbChecker(t)
	ref := referenceSweep(t)
	// A sweep of text fields: their levels are a text column of runs
	// (the empty level written "").
	file := filepath.Join(t.TempDir(), "levels.yaml")
	os.WriteFile(file, []byte(`base: mini
seed: 3
design: grid
parameters:
  - {path: conventions.execution, levels: [pre, post]}
  - {path: "agents.*.rebalance_at", levels: ["", close, "15:00 America/New_York"]}
`), 0o644)
	levels := filepath.Join(t.TempDir(), "levels")
	if _, stderr, code := cascade(t, "sweep", file, "--out", levels, "--quiet", "--no-plots"); code != 0 {
		t.Fatalf("levels sweep: exit %d: %s", code, stderr)
	}
	for _, f := range []string{filepath.Join(ref, "runs"), filepath.Join(ref, "bands"), filepath.Join(levels, "runs")} {
		b, err := exec.Command("node", check, f+".parquet", f+".csv").CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", f, err, b)
			continue
		}
		t.Logf("%s: %s", f, strings.TrimSpace(string(b)))
	}
	runs := readParquet(t, filepath.Join(levels, "runs.parquet"))
	col, ok := runs.Column("agents.*.rebalance_at")
	if want := []string{`""`, "close", "15:00 America/New_York", `""`, "close", "15:00 America/New_York"}; !ok || !reflect.DeepEqual(col.S, want) {
		t.Errorf("runs.parquet's rebalance_at column %q, want %q", col.S, want)
	}
}

// TestExampleSweeps: the sweep files of sweeps/ and the example of
// docs/sweeps.md are valid, and the README shows sweeps/aug2024.yaml as
// it is. A file that draws from an earlier sweep's runs (posterior) is
// checked as its comment says to run it: after that sweep (here a trial
// of 60 runs) has written out/NAME beside sweeps/.
func TestExampleSweeps(t *testing.T) {
	files, _ := filepath.Glob("../../../sweeps/*.yaml")
	if len(files) == 0 {
		t.Fatal("no sweep files in sweeps/")
	}
	doc, err := os.ReadFile("../../../docs/sweeps.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(doc), "```yaml\n")
	block, _, _ = strings.Cut(block, "```")
	if !ok || !strings.Contains(block, "base:") {
		t.Fatal("docs/sweeps.md has no example sweep file")
	}
	tmp := t.TempDir()
	example := filepath.Join(tmp, "example.yaml")
	os.WriteFile(example, []byte(block), 0o644)
	for _, f := range append(files, example) {
		if src, _ := os.ReadFile(f); bytes.Contains(src, []byte("\nposterior: {from: ../out/aug2024-score}")) {
			score := filepath.Join(tmp, "out", "aug2024-score")
			if _, err := os.Stat(score); err != nil {
				if _, stderr, code := cascade(t, "sweep", "../../../sweeps/aug2024-score.yaml", "--runs", "60", "-q", "--no-plots", "-o", score); code != 0 {
					t.Fatalf("aug2024-score trial: exit %d: %s", code, stderr)
				}
			}
			f = filepath.Join(tmp, "sweeps", filepath.Base(f))
			os.MkdirAll(filepath.Dir(f), 0o755)
			os.WriteFile(f, src, 0o644)
		} else if bytes.Contains(src, []byte("\nposterior:")) {
			t.Errorf("%s: a posterior the test does not make first", f)
		}
		if _, stderr, code := cascade(t, "sweep", f, "--check"); code != 0 {
			t.Errorf("%s: exit %d: %s", f, code, stderr)
		}
	}
	readme, _ := os.ReadFile("../../../README.md")
	src, _ := os.ReadFile("../../../sweeps/aug2024.yaml")
	if !strings.Contains(string(readme), string(src)) {
		t.Error("the README does not show sweeps/aug2024.yaml as it is")
	}
	// The README's excerpt of sweeps/apr2025-channels.yaml, as the file has it.
	ch, _ := os.ReadFile("../../../sweeps/apr2025-channels.yaml")
	_, excerpt, _ := strings.Cut(string(readme), "```yaml\ndesign: grid\npair_seeds: true\n")
	excerpt, _, _ = strings.Cut(excerpt, "```")
	if excerpt == "" || !strings.Contains(string(ch), "\ndesign: grid\npair_seeds: true\n"+excerpt) {
		t.Errorf("the README's excerpt of sweeps/apr2025-channels.yaml is not in the file as it is:\n%s", excerpt)
	}
	// The README's excerpt of sweeps/boj2026-posterior.yaml: its posterior
	// block and parameters, as the file has them.
	post, _ := os.ReadFile("../../../sweeps/boj2026-posterior.yaml")
	_, excerpt, _ = strings.Cut(string(readme), "```yaml\nposterior: ")
	excerpt, _, _ = strings.Cut(excerpt, "```")
	if excerpt == "" || !strings.Contains(string(post), "\nposterior: "+excerpt) {
		t.Errorf("the README's excerpt of sweeps/boj2026-posterior.yaml is not in the file as it is:\nposterior: %s", excerpt)
	}
}

// TestDescribeDist: the plan --check prints shows each distribution whole,
// the clamps of normal and lognormal draws included (they were left out,
// so the plan showed an unbounded draw where the runs were clamped).
func TestDescribeDist(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	for _, c := range []struct {
		d    sim.Dist
		want string
	}{
		{sim.Dist{Kind: "uniform", Min: f(0.5), Max: f(1)}, "uniform [0.5, 1]"},
		{sim.Dist{Kind: "normal", Mean: 1, SD: 0.2}, "normal mean 1 sd 0.2"},
		{sim.Dist{Kind: "normal", Mean: 1, SD: 0.2, Min: f(0.5), Max: f(1.5)}, "normal mean 1 sd 0.2, clamped to [0.5, 1.5]"},
		{sim.Dist{Kind: "lognormal", Mu: 25.33, Sigma: 0.3, Min: f(1e10)}, "lognormal mu 25.33 sigma 0.3, at least 1e+10"},
		{sim.Dist{Kind: "lognormal", Mu: 0, Sigma: 0.3, Max: f(2)}, "lognormal mu 0 sigma 0.3, at most 2"},
		{sim.Dist{Kind: "triangular", Min: f(0.06), Mode: 0.1, Max: f(0.15)}, "triangular 0.06, 0.1, 0.15"},
	} {
		if got := sweep.DescribeDist(c.d); got != c.want {
			t.Errorf("%+v: %q, want %q", c.d, got, c.want)
		}
	}
}

// TestSweepInertParameter: a sweep whose parameter acts on nothing in its
// world (leverage_scale in eba2018, a world of banks alone) says which
// metrics came out the same in every run; with a parameter that acts (the
// size of eba2018's shock), only a metric it cannot move (banks get no
// margin calls) is named. cascade run says the same of --set
// leverage_scale up front.
func TestSweepInertParameter(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		param, want string
	}{
		{"{path: leverage_scale, dist: {kind: uniform, min: 0.8, max: 1.2}}",
			"note: forced_sales_usd.total, margin_calls.count, headline_move_pct are the same in every run: nothing the sweep varied moved them (sensitivity.csv leaves their correlations empty)\n"},
		{"{path: events.0.shocks.GOVB, dist: {kind: uniform, min: -0.12, max: -0.08}}",
			"note: margin_calls.count is the same in every run: nothing the sweep varied moved it (sensitivity.csv leaves its correlations empty)\n"},
	} {
		file := filepath.Join(dir, "s.yaml")
		src := "base: eba2018\nruns: 12\nseed: 3\nparameters: [" + tc.param + "]\nmetrics: [forced_sales_usd.total, margin_calls.count]\n"
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		stdout, stderr, code := cascade(t, "sweep", file, "--out", filepath.Join(dir, "out"), "--force", "--no-plots")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.param, code, stderr)
		}
		if !strings.Contains(stdout, tc.want) {
			t.Errorf("%s: want %q in\n%s", tc.param, tc.want, stdout)
		}
	}

	const note = "note: leverage_scale 1.2 scales nothing in this world"
	for _, tc := range []struct {
		scenario string
		want     bool
	}{{"eba2018", true}, {"mini", false}} {
		_, stderr, code := cascade(t, "run", tc.scenario, "--set", "leverage_scale=1.2", "--out", filepath.Join(dir, tc.scenario), "--no-plots", "--quiet")
		if code != 0 || strings.Contains(stderr, note) != tc.want {
			t.Errorf("%s: exit %d, note %v (want %v):\n%s", tc.scenario, code, strings.Contains(stderr, note), tc.want, stderr)
		}
	}
}

// TestSweepCalibrationCLI: a sweep scored with score.within prints its
// calibration at the end and writes calibration.csv and a plot per
// parameter; the printed counts are calibration.csv's.
func TestSweepCalibrationCLI(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "calib.yaml")
	src := "base: aug2024\nruns: 25\nseed: 3\nparameters:\n  - {path: noise.scale, name: noise, dist: {kind: uniform, min: 0.25, max: 0.75}}\nmetrics: [score.within]\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	stdout, stderr, code := cascade(t, "sweep", file, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := csvtest.Read(t, filepath.Join(out, "calibration.csv"))
	if len(rows) != 7 || rows[1][0] != "noise" || rows[1][1] != "all" {
		t.Fatalf("calibration.csv: %q, want a row for all runs and five fifths", rows)
	}
	want := fmt.Sprintf("calibration: %s of 25 runs (", rows[1][5])
	if !strings.Contains(stdout, want) || !strings.Contains(stdout, fmt.Sprintf("; %s (", rows[1][6])) {
		t.Errorf("stdout lacks %q and the runs missing at most one (%s):\n%s", want, rows[1][6], stdout)
	}
	for _, f := range []string{"plots/calibration_noise.png", "plots/calibration_noise.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestSweepSetUpNotes: a sweep prints on stderr, at its end, the notes on
// its runs' set-up that cascade run prints for one run, each with the runs
// that gave it, the most frequent first and at most five, those that
// differ in the bank alone as one line naming the banks (at most ten);
// --check prints the same, merge too; --quiet none. Before, a sweep whose
// runs all started banks below their buffer said nothing of it, and then
// printed a line for each bank.
func TestSweepSetUpNotes(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "buffers.yaml")
	src := "base: eba2018\nruns: 12\nseed: 3\nparameters:\n  - {path: \"agents.*.buffer_ratio\", name: buffer_ratio, dist: {kind: uniform, min: 0.04, max: 0.05}}\nmetrics: [defaults]\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	want := "note: in all 12 runs: 12 banks start below their buffer_ratio, so they deleverage (cash first, then sales) in the first tick, before any event: " +
		"DE21, NL30, NL33, DE15 (11 runs), DE17 (9 runs), DK05 (5 runs), FR14 (5 runs), FR13 (4 runs), DE18 (3 runs), NL32 (3 runs), and 2 more ("
	_, stderr := runSweepCmd(t, file, "--out", filepath.Join(dir, "out"), "--no-plots")
	if !strings.Contains(stderr, want+"manifest.json lists them all: setup_note_groups)\n") || strings.Count(stderr, "note:") != 1 {
		t.Errorf("the sweep's stderr lacks\n%s\nalone in\n%s", want, stderr)
	}
	_, stderr = runSweepCmd(t, file, "--check")
	if !strings.Contains(stderr, want+"the sweep lists them all in manifest.json)\n") {
		t.Errorf("--check's stderr lacks\n%s\nin\n%s", want, stderr)
	}
	_, stderr = runSweepCmd(t, file, "--out", filepath.Join(dir, "out"), "--force", "--quiet")
	if strings.Contains(stderr, "note:") {
		t.Errorf("--quiet printed notes:\n%s", stderr)
	}
	shards := filepath.Join(dir, "shards")
	for _, sh := range []string{"0/2", "1/2"} {
		runSweepCmd(t, file, "--out", shards, "--shard", sh, "--quiet")
	}
	_, stderr, code := cascade(t, "merge", shards, "--no-plots")
	if code != 0 || !strings.Contains(stderr, want+"manifest.json lists them all: setup_note_groups)\n") {
		t.Errorf("merge: exit %d, stderr lacks\n%s\nin\n%s", code, want, stderr)
	}
}

// TestPrintSetupNotes: at most five lines, then how many more and where
// they are; a group's line names at most ten agents, then how many more
// and where they are.
func TestPrintSetupNotes(t *testing.T) {
	var counts []sweep.NoteCount
	group := sweep.GroupCount{Group: "banks are low", Runs: 40, First: []int{0, 1, 2, 3, 4}}
	for k := range 12 {
		id := fmt.Sprintf("B%02d", k)
		counts = append(counts, sweep.NoteCount{Note: "bank " + id + " is low", Runs: 40 - k, First: []int{0, 1, 2, 3, 4}, Agent: id, Group: group.Group})
		group.Agents = append(group.Agents, id)
	}
	for k := range 6 {
		counts = append(counts, sweep.NoteCount{Note: fmt.Sprintf("note %d", k), Runs: 10 - k, First: []int{k}})
	}
	banks := "note: in all 40 runs: 12 banks are low: B00, B01 (39 runs), B02 (38 runs), B03 (37 runs), B04 (36 runs), B05 (35 runs), B06 (34 runs), B07 (33 runs), B08 (32 runs), B09 (31 runs), and 2 more"
	for _, tc := range []struct {
		name  string
		notes *sweep.Notes
		hint  notesHint
		want  string
	}{
		{"made", &sweep.Notes{Counts: counts, Groups: []sweep.GroupCount{group}}, inManifest, banks + " (manifest.json lists them all: setup_note_groups)\n" +
			"note: in 10 of 40 runs (0, ...): note 0\nnote: in 9 of 40 runs (1, ...): note 1\nnote: in 8 of 40 runs (2, ...): note 2\nnote: in 7 of 40 runs (3, ...): note 3\n" +
			"note: and 2 more notes on the runs' set-up (manifest.json lists them all: setup_notes)\n"},
		{"checked", &sweep.Notes{Counts: counts[:13], Groups: []sweep.GroupCount{group}, Unrecorded: 3}, checkHint, banks + " (the sweep lists them all in manifest.json)\n" +
			"note: in 10 of 40 runs (0, ...): note 0\n" +
			"note: the notes on the set-up of 3 runs journaled by an earlier cascade were not recorded, and are not counted above (--force remakes every run)\n"},
	} {
		var b bytes.Buffer
		printSetupNotes(&b, tc.notes, 40, tc.hint)
		if b.String() != tc.want {
			t.Errorf("%s: printed\n%s\nwant\n%s", tc.name, b.String(), tc.want)
		}
	}
}

// TestPrintProbabilities: the end of a sweep gives a 0/1 metric
// (defaulted.ID) as the runs with a 1, their share and its Wilson
// interval, under the quantiles of the other metrics and not among them.
func TestPrintProbabilities(t *testing.T) {
	lo, hi := sweep.Wilson(9, 24)
	res := &sweep.Result{Name: "pd", Total: 24, Stats: []sweep.MetricStats{
		{Name: "defaults", N: 24, P5: 2, P50: 7, P95: 17, Mean: 9.417},
		{Name: "defaulted.UK46", N: 24, P5: 0, P50: 0, P95: 1, Mean: 0.375, Indicator: true, Ones: 9, Lo: lo, Hi: hi},
	}}
	var b bytes.Buffer
	printResult(&b, res)
	want := "metric                 p5     median        p95       mean\n" +
		"defaults                2          7         17      9.417\n" +
		"0/1 metric     runs with 1 probability  95% interval (Wilson)\n" +
		"defaulted.UK46        9/24       37.5%  21.2% – 57.3%\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("printed\n%s\nwant\n%s", b.String(), want)
	}
}
