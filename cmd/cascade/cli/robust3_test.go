package cli

import (
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/sim"
)

const baseScenario = "testdata/valid/base.yaml"

// filesPresent lists the regular files under dir, relative to it, sorted.
func filesPresent(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func manifestFiles(t *testing.T, dir string) []string {
	t.Helper()
	var m output.Manifest
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m.Files
}

// TestPlotRecordsPlots: cascade plot adds the plots it draws to the run's
// manifest, so that the manifest lists exactly the files present, each
// once, after a run made with --no-plots and after a redraw alike.
func TestPlotRecordsPlots(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, e, code := cascade(t, "run", baseScenario, "--out", dir, "--no-plots", "-q"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, e)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	for round := range 2 {
		if _, e, code := cascade(t, "plot", dir); code != 0 {
			t.Fatalf("plot: exit %d: %s", code, e)
		}
		listed := manifestFiles(t, dir)
		sorted := slices.Sorted(slices.Values(listed))
		if want := filesPresent(t, dir); !slices.Equal(sorted, want) {
			t.Fatalf("round %d: manifest lists %q,\nthe directory holds %q", round, listed, want)
		}
		if len(slices.Compact(sorted)) != len(listed) {
			t.Errorf("round %d: a file is listed twice: %q", round, listed)
		}
		if listed[len(listed)-1] != "manifest.json" || !slices.Contains(listed, filepath.Join("plots", "prices.png")) {
			t.Errorf("round %d: manifest lists %q", round, listed)
		}
	}
	// The sums gain the plots', the run's other files keep theirs, and the
	// directory verifies.
	var a, b map[string]any
	after, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if json.Unmarshal(before, &a) != nil || json.Unmarshal(after, &b) != nil {
		t.Fatal("manifest is not JSON")
	}
	sa, sb := a["sha256"].(map[string]any), b["sha256"].(map[string]any)
	plots := 0
	for k := range sb {
		if strings.HasPrefix(k, "plots/") {
			delete(sb, k)
			plots++
		}
	}
	if !maps.Equal(sa, sb) || plots != len(manifestFiles(t, dir))-len(sa)-1 || len(sa) != 5 {
		t.Errorf("sums before %v, after (plots' left out) %v, %d plots", sa, sb, plots)
	}
	if o, e, code := cascade(t, "verify", dir); code != 0 {
		t.Errorf("verify after cascade plot: exit %d\n%s%s", code, o, e)
	}
	// The manifest's other fields are unchanged.
	for _, m := range []map[string]any{a, b} {
		delete(m, "files")
		delete(m, "sha256")
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Error("cascade plot changed the manifest beyond its files list")
	}
}

// TestOutIsAFile: --out naming an existing regular file is refused the
// same way with and without --force: exit 2, an error naming the path and
// saying it is not a directory (without suggesting --force), the file
// untouched and nothing else written.
func TestOutIsAFile(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "result")
	if err := os.WriteFile(file, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, extra := range [][]string{nil, {"--force"}} {
		args := append([]string{"run", baseScenario, "--out", file, "-q", "--no-plots"}, extra...)
		_, e, code := cascade(t, args...)
		if code != exitInput {
			t.Errorf("%v: exit %d, want %d: %s", extra, code, exitInput, e)
		}
		if !strings.Contains(e, file) || !strings.Contains(e, "not a directory") || strings.Contains(e, "--force") {
			t.Errorf("%v: stderr %q should name %s, say it is not a directory, and not suggest --force", extra, e, file)
		}
	}
	if b, _ := os.ReadFile(file); string(b) != "mine" {
		t.Errorf("the file changed to %q", b)
	}
	if got := filesPresent(t, parent); !slices.Equal(got, []string{"result"}) {
		t.Errorf("the parent holds %q, want only the file", got)
	}
}

// TestRunRecoversKilledForce: what a `run --force` killed between its two
// renames leaves (no output directory; the old one in run.old-XXXX with the
// commit's lock file, which nobody holds; the new one staged in
// run.tmp-XXXX) is cleaned up by the next run to the same --out: the old
// output is back, so a run without --force is refused as for any existing
// output, and a run with --force replaces it and leaves nothing else.
func TestRunRecoversKilledForce(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "run")
	// The old output, moved into the trash directory.
	if _, e, code := cascade(t, "run", baseScenario, "--out", final, "--no-plots", "-q"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, e)
	}
	oldSum, _ := os.ReadFile(filepath.Join(final, "summary.json"))
	trash := final + ".old-4242"
	if err := os.Mkdir(trash, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(trash, ".trash.lock"), []byte("run.tmp-77"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(final, filepath.Join(trash, "run")); err != nil {
		t.Fatal(err)
	}
	// The new output, staged, its lock file already removed.
	stage := final + ".tmp-77"
	if err := os.MkdirAll(stage, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stage, "summary.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}

	_, e, code := cascade(t, "run", baseScenario, "--out", final, "--no-plots", "-q")
	if code != exitInput || !strings.Contains(e, "already exists") {
		t.Errorf("run without --force after the kill: exit %d, %s; want the old output restored and a refusal", code, e)
	}
	if got, _ := os.ReadFile(filepath.Join(final, "summary.json")); string(got) != string(oldSum) {
		t.Error("the old output was not restored")
	}
	if got := names(t, parent); !slices.Equal(got, []string{"run"}) {
		t.Errorf("the parent holds %q, want %q", got, []string{"run"})
	}
	if _, e, code := cascade(t, "run", baseScenario, "--out", final, "--no-plots", "-q", "--force"); code != 0 {
		t.Fatalf("run --force: exit %d: %s", code, e)
	}
	if got := names(t, parent); !slices.Equal(got, []string{"run"}) {
		t.Errorf("after --force the parent holds %q, want %q", got, []string{"run"})
	}
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// TestSweepHalfCreatedRerun: cascade sweep over a directory left by a sweep
// stopped before its manifest (journal/ and the lock file only) makes the
// sweep instead of refusing the directory as not a sweep's.
func TestSweepHalfCreatedRerun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s")
	if err := os.MkdirAll(filepath.Join(out, "journal"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, ".lock"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _ := runSweepCmd(t, sweepFile, "--out", out, "--no-plots")
	if !strings.Contains(stdout, "40 runs in") {
		t.Errorf("sweep over a half-created directory: %s", stdout)
	}
	if m := readManifest(t, out); !m.Complete {
		t.Error("the sweep is not complete")
	}
}

// TestWhatifDefaultsAreAgents: the what-if table's defaults column,
// len(summary.defaults), counts agents: a fund defaulted twice by scenario
// events (and holding accounts at more than one broker would not matter
// either: the default is logged once per client) is one entry.
func TestWhatifDefaultsAreAgents(t *testing.T) {
	dir := t.TempDir()
	sc := filepath.Join(dir, "twice.yaml")
	abs, _ := filepath.Abs(baseScenario)
	src := "extends: " + abs + "\nevents:\n" +
		"  - {at: 2024-07-31T03:00:00Z, kind: default, agent: hf-001}\n" +
		"  - {at: 2024-07-31T09:00:00Z, kind: default, agent: hf-001}\n"
	if err := os.WriteFile(sc, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "run")
	if _, e, code := cascade(t, "run", sc, "--out", out, "--no-plots", "-q"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, e)
	}
	var s sim.Summary
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, d := range s.Defaults {
		if seen[d.Agent] {
			t.Errorf("%s listed twice among the defaults", d.Agent)
		}
		seen[d.Agent] = true
	}
	if !seen["hf-001"] || len(s.Defaults) != len(seen) {
		t.Errorf("defaults %+v: want hf-001 once", s.Defaults)
	}
}
