package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/fstree"
)

// sourceTree makes dir holding src/x.go, as a user's project would.
func sourceTree(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "src", "x.go"), []byte("package x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// refused checks a refused --force: exit 2, a message naming dir and
// each of wants, dir as it was and nothing beside it in its parent.
func refused(t *testing.T, what, dir string, before []string, code int, stderr string, wants ...string) {
	t.Helper()
	if code != exitInput {
		t.Errorf("%s: exit %d, want %d (stderr %q)", what, code, exitInput, stderr)
	}
	for _, w := range append([]string{dir, "refusing to delete it", "choose another --out"}, wants...) {
		if !strings.Contains(stderr, w) {
			t.Errorf("%s: stderr %q lacks %q", what, stderr, w)
		}
	}
	if got := fstree.Snapshot(t, dir); !slices.Equal(got, before) {
		t.Errorf("%s: %s changed:\n%q\nwant\n%q", what, dir, got, before)
	}
	if got := names(t, filepath.Dir(dir)); !slices.Equal(got, []string{filepath.Base(dir)}) {
		t.Errorf("%s: the parent holds %q, want only %s", what, got, filepath.Base(dir))
	}
}

// TestForceRunCompareRefuseOtherDirs: run --force and compare --force
// replace only an empty directory or their own output. Before, `run mini
// --out DIR --force` deleted a DIR holding src/x.go, and so did compare,
// and a run's --force deleted the parent of a sweep's shards.
func TestForceRunCompareRefuseOtherDirs(t *testing.T) {
	base := t.TempDir()
	src := filepath.Join(base, "proj", "code")
	sourceTree(t, src)
	before := fstree.Snapshot(t, src)
	_, e, code := cascade(t, "run", "mini", "--out", src, "--force", "-q", "--no-plots")
	refused(t, "run --force over a source tree", src, before, code, e, "not a cascade run's output (no manifest.json)")
	_, e, code = cascade(t, "compare", "mini", "--off", "cross_margin", "--out", src, "--force")
	refused(t, "compare --force over a source tree", src, before, code, e, "not a cascade comparison's output (no compare.json)")

	// A run's output is not a comparison's, nor the reverse.
	run := filepath.Join(base, "r", "run")
	if _, e, code := cascade(t, "run", "mini", "--out", run, "-q", "--no-plots"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, e)
	}
	before = fstree.Snapshot(t, run)
	_, e, code = cascade(t, "compare", "mini", "--off", "cross_margin", "--out", run, "--force")
	refused(t, "compare --force over a run", run, before, code, e, "holds a cascade run's output", "not a cascade comparison's output")
	cmp := filepath.Join(base, "c", "cmp")
	if _, e, code := cascade(t, "compare", "mini", "--off", "cross_margin", "--out", cmp); code != 0 {
		t.Fatalf("compare: exit %d: %s", code, e)
	}
	before = fstree.Snapshot(t, cmp)
	_, e, code = cascade(t, "run", "mini", "--out", cmp, "--force", "-q")
	refused(t, "run --force over a comparison", cmp, before, code, e, "holds a cascade comparison's output", "not a cascade run's output")

	// Their own outputs, and an empty directory, are replaced.
	if _, e, code := cascade(t, "compare", "mini", "--off", "cross_margin", "--out", cmp, "--force"); code != 0 {
		t.Errorf("compare --force over a comparison: exit %d: %s", code, e)
	}
	if _, e, code := cascade(t, "run", "mini", "--out", run, "--force", "-q", "--no-plots"); code != 0 {
		t.Errorf("run --force over a run: exit %d: %s", code, e)
	}
	empty := filepath.Join(base, "e", "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, e, code := cascade(t, "run", "mini", "--out", empty, "--force", "-q", "--no-plots"); code != 0 {
		t.Errorf("run --force over an empty directory: exit %d: %s", code, e)
	}
	if _, err := os.Stat(filepath.Join(empty, "manifest.json")); err != nil {
		t.Errorf("run --force over an empty directory wrote no output: %v", err)
	}
}

// TestForceShardsAndMerge: with a sweep's shards in DIR, `run --out DIR
// --force` and `merge DIR --out DIR --force` (which merged, then deleted
// the shard directories it had read) are refused, and so is a merge --out
// inside a shard; the shards stay as they were, and merge --force still
// replaces an earlier merge.
func TestForceShardsAndMerge(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sh")
	for i := range 2 {
		runSweepCmd(t, sweepFile, "--out", out, "--shard", fmt.Sprintf("%d/2", i), "--quiet")
	}
	before := fstree.Snapshot(t, out)
	_, e, code := cascade(t, "run", "mini", "--out", out, "--force", "-q", "--no-plots")
	refused(t, "run --force over the shards' parent", out, before, code, e, "no manifest.json")

	shard0 := filepath.Join(out, "shard-0-of-2")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"merge", out, "--out", out, "--force"}, "contains the shard directory"},
		{[]string{"merge", out, "--out", shard0, "--force"}, "is the shard directory " + shard0},
		{[]string{"merge", out, "--out", filepath.Join(shard0, "merged")}, "lies inside the shard directory " + shard0},
	} {
		_, e, code := cascade(t, tc.args...)
		if code != exitInput || !strings.Contains(e, tc.want) || !strings.Contains(e, "choose another --out") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, e, tc.want)
		}
		if got := fstree.Snapshot(t, out); !slices.Equal(got, before) {
			t.Fatalf("%v changed the shards:\n%q\nwant\n%q", tc.args, got, before)
		}
	}
	for range 2 {
		if _, e, code := cascade(t, "merge", out, "--force", "-q"); code != 0 {
			t.Errorf("merge --force over an earlier merge: exit %d: %s", code, e)
		}
	}
	src := filepath.Join(t.TempDir(), "code")
	sourceTree(t, src)
	before = fstree.Snapshot(t, src)
	_, e, code = cascade(t, "merge", out, "--out", src, "--force", "-q")
	refused(t, "merge --force over a source tree", src, before, code, e, "not a cascade sweep's output (no manifest.json)")
}

// addFiles writes each of rels (slash-separated, relative to dir) with
// the text "mine", as a user's notes and figures.
func addFiles(t *testing.T, dir string, rels ...string) {
	t.Helper()
	for _, rel := range rels {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestForceKeepsUsersFiles: run, compare, sweep and merge --force replace
// their own output only when it holds nothing else. What cascade commands
// alone made is replaced: a run, then cascade plot, then run --force; a
// --no-plots run, then a plot killed half-way (its temporary file left).
// Files of the user's in it (notes, an analysis directory, a figure in
// plots/, even after cascade plot redrew the plots beside it) are named
// in a refusal, exit 2, and kept with the output. Before, each of these
// --force runs exited 0 and deleted the user's files.
func TestForceKeepsUsersFiles(t *testing.T) {
	base := t.TempDir()
	ok := func(args ...string) {
		t.Helper()
		if _, e, code := cascade(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, e)
		}
	}
	run := filepath.Join(base, "r", "run")
	ok("run", "mini", "--out", run, "-q")
	ok("plot", run)
	ok("run", "mini", "--out", run, "-q", "--force")
	ok("run", "mini", "--out", run, "-q", "--force", "--no-plots")
	ok("plot", run)
	addFiles(t, run, "plots/.prices.png.tmp-4242", ".manifest.json.tmp-17")
	ok("run", "mini", "--out", run, "-q", "--force")

	addFiles(t, run, "notes.txt", "analysis/fig.pdf", "plots/mine.pdf")
	ok("plot", run)
	before := fstree.Snapshot(t, run)
	_, e, code := cascade(t, "run", "mini", "--out", run, "--force", "-q")
	refused(t, "run --force over a run and the user's files", run, before, code, e,
		"holds a cascade run's output but also files cascade did not write: analysis/, notes.txt, plots/mine.pdf;", "move them out of "+run)

	cmp := filepath.Join(base, "c", "cmp")
	ok("compare", "mini", "--off", "cross_margin", "--out", cmp)
	ok("compare", "mini", "--off", "cross_margin", "--out", cmp, "--force")
	addFiles(t, cmp, "notes.md")
	before = fstree.Snapshot(t, cmp)
	_, e, code = cascade(t, "compare", "mini", "--off", "cross_margin", "--out", cmp, "--force")
	refused(t, "compare --force over a comparison and the user's notes", cmp, before, code, e,
		"holds a cascade comparison's output but also files cascade did not write: notes.md;")

	sw := filepath.Join(base, "s", "sweep")
	runSweepCmd(t, sweepFile, "--runs", "6", "--out", sw, "--quiet")
	runSweepCmd(t, sweepFile, "--runs", "6", "--out", sw, "--quiet", "--force")
	addFiles(t, sw, "notes.md", "plots/mine.png")
	before = fstree.Snapshot(t, sw)
	_, e, code = cascade(t, "sweep", sweepFile, "--runs", "6", "--out", sw, "--quiet", "--force")
	refused(t, "sweep --force over a sweep and the user's files", sw, before, code, e,
		"holds a cascade sweep's output but also files cascade did not write: notes.md, plots/mine.png;")

	sh := filepath.Join(base, "sh")
	for i := range 2 {
		runSweepCmd(t, sweepFile, "--runs", "6", "--out", sh, "--shard", fmt.Sprintf("%d/2", i), "--quiet")
	}
	merged := filepath.Join(sh, "merged")
	ok("merge", sh, "-q")
	ok("merge", sh, "-q", "--force")
	addFiles(t, merged, "notes.md")
	before = fstree.Snapshot(t, merged)
	_, e, code = cascade(t, "merge", sh, "-q", "--force")
	if code != exitInput || !strings.Contains(e, merged+" holds a cascade sweep's output but also files cascade did not write: notes.md;") {
		t.Errorf("merge --force over a merge and the user's notes: exit %d, stderr %q", code, e)
	}
	if got := fstree.Snapshot(t, merged); !slices.Equal(got, before) {
		t.Errorf("merge --force changed %s:\n%q\nwant\n%q", merged, got, before)
	}
}

// TestHelpTexts: the help says what the bands hold, what --workers 0
// means, both default output directories of compare, and that channels
// channels, score and whatif make one run at a time per core the process
// may use by default (GOMAXPROCS), as sweep does.
func TestHelpTexts(t *testing.T) {
	help := func(args ...string) string {
		t.Helper()
		o, e, code := cascade(t, append(args, "--help")...)
		if code != 0 {
			t.Fatalf("%v --help: exit %d: %s", args, code, e)
		}
		return strings.Join(strings.Fields(o), " ")
	}
	sw := help("sweep")
	for _, want := range []string{"n, base, min, p5, p25, p50, p75, p95 and max", "--workers 0", "GOMAXPROCS"} {
		if !strings.Contains(sw, want) {
			t.Errorf("sweep --help lacks %q:\n%s", want, sw)
		}
	}
	if strings.Contains(sw, "5-95% quantiles") {
		t.Errorf("sweep --help still says the bands are 5-95%% quantiles:\n%s", sw)
	}
	if c := help("compare"); !strings.Contains(c, "out/compare-A-B") || !strings.Contains(c, "out/compare-A-off-CHANNEL") {
		t.Errorf("compare --help should give both default output directories:\n%s", c)
	}
	def := fmt.Sprintf("(default %d)", runtime.GOMAXPROCS(0))
	for _, cmd := range []string{"channels", "score", "whatif"} {
		h := help(cmd)
		if !strings.Contains(h, "GOMAXPROCS") || !strings.Contains(h, def) {
			t.Errorf("%s --help: -j should default to GOMAXPROCS %s and say so:\n%s", cmd, def, h)
		}
	}
}

// TestChannelsPlayersWording: the headline names channels only when every
// player is a channel, says players when one is an agent kind, and is
// singular for one player and one seed.
func TestChannelsPlayersWording(t *testing.T) {
	for _, tc := range []struct {
		players, want string
	}{
		{"cross_margin", "taken apart between 1 channel at 1 seed (2 runs)"},
		{"cross_margin,offset_drop", "taken apart between 2 channels at 1 seed (4 runs)"},
		{"cta", "taken apart between 1 player at 1 seed (2 runs)"},
		{"cross_margin,cta", "taken apart between 2 players at 1 seed (4 runs)"},
	} {
		o, e, code := cascade(t, "channels", "mini", "--players", tc.players, "--seeds", "1")
		if code != 0 || !strings.Contains(o, tc.want) {
			t.Errorf("--players %s: exit %d, want %q in:\n%s%s", tc.players, code, tc.want, o, e)
		}
	}
}
