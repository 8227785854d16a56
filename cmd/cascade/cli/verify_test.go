package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sweep"
)

// readRunManifest reads dir/manifest.json of a run.
func readRunManifest(t *testing.T, dir string) *output.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m output.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

func writeRunManifest(t *testing.T, dir string, m *output.Manifest) {
	t.Helper()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestVerifyRun: a run's manifest records the SHA-256 of every file it
// wrote (and where its scenario came from, with the file's hash); cascade
// verify finds a changed and a missing file; --rerun makes the run again
// from the manifest alone and finds it identical, or names the first line
// that differs when the recorded run is not what this program makes.
func TestVerifyRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, e, code := cascade(t, "run", "mini", "--out", dir, "--quiet", "--seed", "4", "--set", "leverage_scale=1.2"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, e)
	}
	man := readRunManifest(t, dir)
	builtin, _ := scenarios.Builtin("mini")
	if len(man.Sources) != 1 || man.Sources[0] != (scenarios.Source{Origin: "builtin:mini", SHA256: sha(builtin)}) {
		t.Errorf("sources %+v, want builtin:mini with the built-in's hash %s", man.Sources, sha(builtin))
	}
	if want := "cascade run mini --seed 4 --set leverage_scale=1.2"; man.Reproduce != want {
		t.Errorf("reproduce %q, want %q", man.Reproduce, want)
	}
	if len(man.Checksums) != len(man.Files)-1 {
		t.Errorf("%d sums for %d files (all but manifest.json)", len(man.Checksums), len(man.Files))
	}
	for _, f := range man.Files {
		if f == "manifest.json" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || man.Checksums[f] != sha(b) {
			t.Errorf("%s: recorded sum %.12s, file's %.12s (%v)", f, man.Checksums[f], sha(b), err)
		}
	}

	o, e, code := cascade(t, "verify", dir)
	if code != 0 || !strings.Contains(o, "25 files as recorded") {
		t.Fatalf("verify: exit %d\n%s%s", code, o, e)
	}
	// The manifest may be named instead of its directory.
	if o, e, code := cascade(t, "verify", filepath.Join(dir, "manifest.json")); code != 0 || !strings.Contains(o, "25 files as recorded") {
		t.Errorf("verify DIR/manifest.json: exit %d\n%s%s", code, o, e)
	}
	o, e, code = cascade(t, "verify", dir, "--rerun")
	if code != 0 || !strings.Contains(o, "25 of 25 files identical in the run made again") {
		t.Fatalf("verify --rerun: exit %d\n%s%s", code, o, e)
	}

	// A run this program does not make: one number of the table changed,
	// with its sum, as another build would have written it.
	ts := filepath.Join(dir, "timeseries.csv")
	b, _ := os.ReadFile(ts)
	lines := strings.SplitAfter(string(b), "\n")
	old := strings.SplitN(lines[2], ",", 4)
	lines[2] = old[0] + "," + old[1] + ",150," + old[3]
	changed := []byte(strings.Join(lines, ""))
	if err := os.WriteFile(ts, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	man.Checksums["timeseries.csv"] = sha(changed)
	writeRunManifest(t, dir, man)
	o, _, code = cascade(t, "verify", dir, "--rerun")
	for _, want := range []string{"differs  timeseries.csv\n", "first at line 3, column ", dir + ": 1,", "the run made again: 1,", "1 file differs in the run made again"} {
		if !strings.Contains(o, want) {
			t.Errorf("verify --rerun of a changed run: no %q in\n%s", want, o)
		}
	}
	if code != 1 || strings.Contains(o, "differs  summary.json") {
		t.Errorf("verify --rerun of a changed run: exit %d (want 1), and only the table differs:\n%s", code, o)
	}

	// A file changed after the run, another removed: verify says which.
	if err := os.WriteFile(filepath.Join(dir, "summary.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "plots", "prices.svg")); err != nil {
		t.Fatal(err)
	}
	o, e, code = cascade(t, "verify", dir)
	for _, want := range []string{"changed  " + filepath.Join(dir, "summary.json"), "missing  " + filepath.Join(dir, "plots", "prices.svg"), "2 of 25 files are not as recorded"} {
		if !strings.Contains(o, want) {
			t.Errorf("verify of a changed run: no %q in\n%s", want, o)
		}
	}
	if code != 1 || !strings.Contains(e, "2 of 25 files are not as recorded") {
		t.Errorf("verify of a changed run: exit %d (want 1): %s", code, e)
	}
	// A table changed on disk since its sum was recorded differs from the
	// run made again, but its content is not the recorded run's: no line
	// of it is shown as the first difference.
	if err := os.WriteFile(ts, []byte("tick\nnot the run\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o, _, code = cascade(t, "verify", dir, "--rerun")
	if code != 1 || !strings.Contains(o, "changed  "+ts) || !strings.Contains(o, "differs  timeseries.csv\n") || strings.Contains(o, "not the run") || strings.Contains(o, "first at line") {
		t.Errorf("verify --rerun of a table changed since: exit %d\n%s", code, o)
	}
}

// TestVerifyAgainst: two runs compared file by file; another seed differs
// in every table, and the first differing line of each text file is shown.
func TestVerifyAgainst(t *testing.T) {
	tmp := t.TempDir()
	a, b, c := filepath.Join(tmp, "a"), filepath.Join(tmp, "b"), filepath.Join(tmp, "c")
	for _, r := range []struct{ dir, seed string }{{a, "1"}, {b, "1"}, {c, "2"}} {
		if _, e, code := cascade(t, "run", "mini", "--out", r.dir, "--quiet", "--no-plots", "--seed", r.seed); code != 0 {
			t.Fatalf("run: exit %d: %s", code, e)
		}
	}
	if o, e, code := cascade(t, "verify", a, "--against", b); code != 0 || !strings.Contains(o, "7 of 7 files identical in "+b) {
		t.Errorf("the same run twice: exit %d\n%s%s", code, o, e)
	}
	o, e, code := cascade(t, "verify", a, "--against", c)
	for _, want := range []string{"differs  summary.json\n", `  "seed": 1,`, `  "seed": 2,`, "differs  timeseries.parquet\n", "7 files differ in " + c} {
		if !strings.Contains(o+e, want) {
			t.Errorf("another seed: no %q in\n%s", want, o)
		}
	}
	if code != 1 {
		t.Errorf("another seed: exit %d, want 1", code)
	}
	// Usage.
	for _, x := range []struct {
		args []string
		want string
	}{
		{[]string{"verify", a, "--rerun", "--against", b}, "give one"},
		{[]string{"verify", a, "--out", c}, "give --rerun too"},
		{[]string{"verify", tmp}, "is " + tmp + " a run's or a sweep's output directory?"},
	} {
		if _, e, code := cascade(t, x.args...); code != 2 || !strings.Contains(e, x.want) {
			t.Errorf("%v: exit %d, want 2 and %q: %s", x.args, code, x.want, e)
		}
	}
	// A manifest written before sums were recorded.
	m := readRunManifest(t, a)
	m.Checksums = nil
	writeRunManifest(t, a, m)
	if _, e, code := cascade(t, "verify", a); code != 2 || !strings.Contains(e, "records no checksums") {
		t.Errorf("a manifest without sums: exit %d: %s", code, e)
	}
}

// TestVerifyNoSums: manifests written before sums were recorded (no
// sha256) cannot be checked, but --against and --rerun compare their files
// by their bytes, hashed as they are now, and say so: the same run is
// identical, another seed differs in every file (the first difference
// shown), a file missing from such a directory is named. A sweep not
// complete has no outputs to compare.
func TestVerifyNoSums(t *testing.T) {
	tmp := t.TempDir()
	dirs := map[string]string{}
	for _, r := range []struct{ name, seed string }{{"a", "1"}, {"b", "1"}, {"c", "2"}, {"recorded", "1"}} {
		dirs[r.name] = filepath.Join(tmp, r.name)
		if _, e, code := cascade(t, "run", "mini", "--out", dirs[r.name], "--quiet", "--no-plots", "--seed", r.seed); code != 0 {
			t.Fatalf("run: exit %d: %s", code, e)
		}
		if r.name != "recorded" {
			m := readRunManifest(t, dirs[r.name])
			m.Checksums = nil
			writeRunManifest(t, dirs[r.name], m)
		}
	}
	a, b, c, rec := dirs["a"], dirs["b"], dirs["c"], dirs["recorded"]
	note := func(d string) string {
		return "note: " + filepath.Join(d, "manifest.json") + " records no checksums (written by cascade "
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"neither", []string{a, "--against", b}, 0, []string{note(a), note(b), "before manifests recorded them): its 7 files are compared by their bytes as they are now", "7 of 7 files identical in " + b + ", by their bytes (neither manifest records sums)"}},
		{"one", []string{a, "--against", rec}, 0, []string{note(a), "7 files as recorded in " + filepath.Join(rec, "manifest.json"), "7 of 7 files identical in " + rec + ", by their bytes (" + a + "'s manifest records no sums)"}},
		{"other", []string{rec, "--against", c}, 1, []string{note(c), "differs  summary.json\n", `  "seed": 2,`, "7 files differ in " + c + ", by their bytes (" + c + "'s manifest records no sums)"}},
		{"rerun", []string{a, "--rerun"}, 0, []string{note(a), "7 of 7 files identical in the run made again, by their bytes (" + a + "'s manifest records no sums)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, e, code := cascade(t, append([]string{"verify"}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, o, e)
			}
			for _, w := range tc.want {
				if !strings.Contains(o, w) {
					t.Errorf("no %q in\n%s%s", w, o, e)
				}
			}
		})
	}
	// A file gone from a directory whose manifest records no sums.
	os.Remove(filepath.Join(b, "summary.json"))
	o, e, code := cascade(t, "verify", a, "--against", b)
	if code != 1 || !strings.Contains(o, "missing  "+filepath.Join(b, "summary.json")) || !strings.Contains(o, "differs  summary.json\n") || !strings.Contains(e, "1 file is not as recorded, and 1 file differs in "+b) {
		t.Errorf("a file missing: exit %d\n%s%s", code, o, e)
	}
	// Nor is a lone manifest checked: there is nothing to check it against.
	if _, e, code := cascade(t, "verify", a); code != 2 || !strings.Contains(e, "records no checksums") {
		t.Errorf("verify without --against: exit %d: %s", code, e)
	}
	// A sweep not complete has no outputs yet.
	sw := filepath.Join(tmp, "sweep")
	os.Mkdir(sw, 0o755)
	os.WriteFile(filepath.Join(sw, "manifest.json"), []byte(`{"schema": "cascade.sweep/v1", "complete": false, "files": ["manifest.json"]}`), 0o644)
	if _, e, code := cascade(t, "verify", sw, "--against", sw); code != 2 || !strings.Contains(e, "records no checksums: the sweep is not complete") {
		t.Errorf("an incomplete sweep: exit %d: %s", code, e)
	}
}

// TestVerifyShard: a shard of a sweep compared with the whole sweep, or
// with another shard, holds other runs: verify says so in one line, with
// the cascade merge to run first, and lists no file (it listed every one
// as differing); a shard made again, and the merged shards, compare.
func TestVerifyShard(t *testing.T) {
	tmp := t.TempDir()
	whole, shards, again := filepath.Join(tmp, "whole"), filepath.Join(tmp, "shards"), filepath.Join(tmp, "again")
	runSweepCmd(t, sweepFile, "--out", whole, "--runs", "4", "--no-plots", "--quiet")
	for i := range 2 {
		runSweepCmd(t, sweepFile, "--out", shards, "--runs", "4", "--shard", fmt.Sprintf("%d/2", i), "--quiet")
	}
	runSweepCmd(t, sweepFile, "--out", again, "--runs", "4", "--shard", "1/2", "--quiet")
	merged := filepath.Join(tmp, "merged")
	if _, e, code := cascade(t, "merge", shards, "--out", merged, "--no-plots", "--quiet"); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, e)
	}
	s0, s1 := filepath.Join(shards, "shard-0-of-2"), filepath.Join(shards, "shard-1-of-2")
	merge := "they hold different runs, and their outputs cannot be compared; merge the shards first (cascade merge " + shards + "), then compare the merged sweep"
	for _, tc := range []struct {
		name string
		a, b string
		code int
		want string // in stderr when refused, else in stdout
	}{
		{"shard and whole", s1, whole, 2, s1 + " is shard 1/2 of a sweep and " + whole + " is a whole sweep: " + merge},
		{"whole and shard", whole, filepath.Join(s1, "manifest.json"), 2, whole + " is a whole sweep and " + s1 + " is shard 1/2 of a sweep: " + merge},
		{"two shards", s0, s1, 2, s0 + " is shard 0/2 of a sweep and " + s1 + " is shard 1/2 of a sweep: " + merge},
		{"one shard twice", s1, filepath.Join(again, "shard-1-of-2"), 0, "files identical in " + filepath.Join(again, "shard-1-of-2")},
		{"merged and whole", merged, whole, 0, "files identical in " + whole},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, e, code := cascade(t, "verify", tc.a, "--against", tc.b)
			got := o
			if tc.code == 2 {
				got = e
				if o != "" || strings.Count(e, "\n") != 1 {
					t.Errorf("a refusal in one line, and no file listed: stdout\n%s\nstderr\n%s", o, e)
				}
			}
			if code != tc.code || !strings.Contains(got, tc.want) {
				t.Errorf("exit %d (want %d), want %q in\n%s%s", code, tc.code, tc.want, o, e)
			}
		})
	}
}

// TestRunFromManifest: a run's manifest.json stands for the scenario it
// ran, wherever a scenario is read: run alone it makes the same run, and
// --seed and --set apply on top of it. A run's directory is refused with
// the manifest's path to name instead.
func TestRunFromManifest(t *testing.T) {
	tmp := t.TempDir()
	first, again, other := filepath.Join(tmp, "first"), filepath.Join(tmp, "again"), filepath.Join(tmp, "other")
	if _, e, code := cascade(t, "run", "mini", "--out", first, "--quiet", "--no-plots", "--seed", "9", "--set", "leverage_scale=1.4"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, e)
	}
	from := filepath.Join(first, "manifest.json")
	if _, e, code := cascade(t, "run", from, "--out", again, "--quiet", "--no-plots"); code != 0 {
		t.Fatalf("run from the manifest: exit %d: %s", code, e)
	}
	x, y := readRunManifest(t, first), readRunManifest(t, again)
	for _, f := range []string{"summary.json", "timeseries.csv", "events.jsonl", "population.csv"} {
		if x.Checksums[f] != y.Checksums[f] {
			t.Errorf("%s differs when run from the manifest", f)
		}
	}
	if y.Origin != from+"#resolved_scenario" || y.Seed != 9 || len(y.Sources) != 1 || y.Sources[0].SHA256 != sha([]byte(x.Resolved)) {
		t.Errorf("origin %q, seed %d, sources %+v", y.Origin, y.Seed, y.Sources)
	}
	if _, e, code := cascade(t, "run", from, "--out", other, "--quiet", "--no-plots", "--seed", "10"); code != 0 {
		t.Fatalf("run from the manifest with --seed: exit %d: %s", code, e)
	}
	if z := readRunManifest(t, other); z.Seed != 10 || z.Checksums["timeseries.csv"] == x.Checksums["timeseries.csv"] {
		t.Errorf("--seed 10 over the manifest: seed %d, the same table", z.Seed)
	}
	if _, e, code := cascade(t, "run", first, "--out", filepath.Join(tmp, "x")); code != 2 || !strings.Contains(e, "name its manifest: "+from) {
		t.Errorf("a run's directory as the scenario: exit %d: %s", code, e)
	}
	// Another tool's JSON is refused by its schema.
	sweepMan := filepath.Join(tmp, "sweep.json")
	os.WriteFile(sweepMan, []byte(`{"schema": "cascade.sweep/v1"}`), 0o644)
	if _, e, code := cascade(t, "validate", sweepMan); code != 2 || !strings.Contains(e, `is not a run's manifest (schema "cascade.sweep/v1")`) {
		t.Errorf("a sweep's manifest as the scenario: exit %d: %s", code, e)
	}
}

// TestManifestSchemaShared: the scenario loader recognizes a run's
// manifest, and a sweep's, by the schema the output and sweep packages
// write.
func TestManifestSchemaShared(t *testing.T) {
	if scenarios.RunManifestSchema != output.RunKind.Schema {
		t.Errorf("scenarios.RunManifestSchema %q, output.RunKind.Schema %q", scenarios.RunManifestSchema, output.RunKind.Schema)
	}
	if scenarios.SweepManifestSchema != sweep.ManifestSchema || sweep.ManifestSchema != output.SweepKind.Schema {
		t.Errorf("scenarios.SweepManifestSchema %q, sweep.ManifestSchema %q, output.SweepKind.Schema %q", scenarios.SweepManifestSchema, sweep.ManifestSchema, output.SweepKind.Schema)
	}
}

// TestVerifyOptions: a run records the outputs it chose (options) and its
// reproduce command names them; --rerun makes the same outputs, and a run
// made with --no-plots whose plots cascade plot drew afterwards verifies
// when made again (the plots drawn after it, as they were), its report
// without plots as the run wrote it.
func TestVerifyOptions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, e, code := cascade(t, "run", "mini", "--out", dir, "--quiet", "--no-plots", "--agent-detail"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, e)
	}
	m := readRunManifest(t, dir)
	if m.Options == nil || *m.Options != (output.RunOptions{AgentDetail: true}) || m.Reproduce != "cascade run mini --seed 1 --agent-detail --no-plots" {
		t.Errorf("options %+v, reproduce %q", m.Options, m.Reproduce)
	}
	if _, e, code := cascade(t, "plot", dir); code != 0 {
		t.Fatalf("plot: exit %d: %s", code, e)
	}
	o, e, code := cascade(t, "verify", dir, "--rerun")
	if code != 0 || !strings.Contains(o, "27 of 27 files identical in the run made again") {
		t.Errorf("verify --rerun after cascade plot: exit %d\n%s%s", code, o, e)
	}
	// --out keeps the run made again; --force replaces it.
	again := filepath.Join(t.TempDir(), "again")
	for _, args := range [][]string{{"--out", again}, {"--out", again, "--force"}} {
		if o, e, code := cascade(t, append([]string{"verify", dir, "--rerun"}, args...)...); code != 0 || !strings.Contains(o, "the run made again is in "+again) {
			t.Errorf("verify --rerun %v: exit %d\n%s%s", args, code, o, e)
		}
	}
}
