package sweep

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/fstree"
	"github.com/cascade-sim/cascade/output"
)

// TestForceOwnFiles: cascade sweep --force starts over in a directory that
// holds only what sweeps, resumes, shards and merges write: complete
// sweeps of each design (their levels, sobol, calibration and response
// tables and plots), an interrupted sweep's journal, a sweep whose outputs
// were written but not yet listed in its manifest (killed in finish), a
// complete sweep resumed without plots (plots its manifest does not list), a
// merge of shards. Before, it deleted whatever the directory held, and it
// still does for these.
func TestForceOwnFiles(t *testing.T) {
	sobol := `name: sobol
base: mini
runs: 20
seed: 17
design: sobol
parameters:
  - {path: leverage_scale, dist: {kind: uniform, min: 0.6, max: 1.4}}
  - {path: agents.cta.target_vol, name: cta_vol, dist: {kind: uniform, min: 0.06, max: 0.15}}
metrics: [assets.NKY.max_drawdown_pct, defaults]
series: [NKY]
`
	grid := `name: grid
base: mini
seed: 3
design: grid
parameters:
  - {path: leverage_scale, dist: {kind: list, values: [0.5, 1]}}
  - {path: agents.cta.target_vol, dist: {kind: list, values: [0.06, 0.1, 0.15]}}
metrics: [assets.NKY.max_drawdown_pct, defaults]
series: [NKY]
`
	calib := strings.Replace(calibSweep, "runs: 30", "runs: 4", 1)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		sw   func(t *testing.T) *Sweep
		make func(t *testing.T, sw *Sweep, dir string)
	}{
		{"latin hypercube", func(t *testing.T) *Sweep { return loadTestSweep(t) }, nil},
		{"sobol", func(t *testing.T) *Sweep { sw, _ := loadSweep(t, "sobol.yaml", sobol); return sw }, nil},
		{"grid of numbers", func(t *testing.T) *Sweep { sw, _ := loadSweep(t, "grid.yaml", grid); return sw }, nil},
		{"grid of levels", func(t *testing.T) *Sweep { sw, _ := loadSweep(t, "levels.yaml", levelsSweep); return sw }, nil},
		{"calibration", func(t *testing.T) *Sweep { sw, _ := loadSweep(t, "calib.yaml", calib); return sw }, nil},
		{"interrupted", func(t *testing.T) *Sweep { return loadTestSweep(t) }, func(t *testing.T, sw *Sweep, dir string) {
			interrupted(t, sw, dir, Whole)
		}},
		{"outputs written, manifest not updated", func(t *testing.T) *Sweep { return loadTestSweep(t) }, func(t *testing.T, sw *Sweep, dir string) {
			if _, err := Run(ctx, sw, Options{Dir: dir, Plots: true}); err != nil {
				t.Fatal(err)
			}
			man, err := ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			man.Complete, man.FinishedAt, man.Files = false, nil, []string{}
			if err := man.write(dir); err != nil {
				t.Fatal(err)
			}
		}},
		{"resumed without plots", func(t *testing.T) *Sweep { return loadTestSweep(t) }, func(t *testing.T, sw *Sweep, dir string) {
			if _, err := Run(ctx, sw, Options{Dir: dir, Plots: true}); err != nil {
				t.Fatal(err)
			}
			// Plots the manifest does not list (as a version that did not
			// list them left them): the finish without plots keeps them
			// (it removes only what the earlier manifest listed).
			man, err := ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			man.Files = slices.DeleteFunc(man.Files, func(f string) bool { return strings.HasPrefix(f, "plots/") })
			if err := man.write(dir); err != nil {
				t.Fatal(err)
			}
			if _, err := Run(ctx, sw, Options{Dir: dir, Resume: true}); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(dir, "plots", "fan_NKY.png")); err != nil {
				t.Fatalf("the plots of the first finish: %v", err)
			}
		}},
		{"merged", func(t *testing.T) *Sweep { return loadTestSweep(t) }, func(t *testing.T, sw *Sweep, dir string) {
			parent := t.TempDir()
			var shards []string
			for i := range 2 {
				sh := filepath.Join(parent, Shard{Index: i, Count: 2}.Dir())
				if _, err := Run(ctx, sw, Options{Dir: sh, Shard: Shard{Index: i, Count: 2}}); err != nil {
					t.Fatal(err)
				}
				shards = append(shards, sh)
			}
			if _, err := Merge(shards, MergeOptions{Out: dir, Plots: true}); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sw := tc.sw(t)
			dir := filepath.Join(t.TempDir(), "out")
			if tc.make != nil {
				tc.make(t, sw, dir)
			} else if _, err := Run(ctx, sw, Options{Dir: dir, Plots: true}); err != nil {
				t.Fatal(err)
			}
			if err := output.Replaceable(dir, output.SweepKind); err != nil {
				t.Errorf("Replaceable: %v", err)
			}
			if _, err := Run(ctx, sw, Options{Dir: dir, Force: true, Plots: true}); err != nil {
				t.Fatalf("--force over it: %v", err)
			}
		})
	}
}

// TestForceKeepsUsersFiles: cascade sweep --force over a sweep's directory
// that also holds files of the user's (notes at the top, a figure in
// plots/, a file in journal/, a directory of analyses) is refused, names
// them, and leaves the directory as it was; moved out, --force starts
// over. Before, all of them were deleted with the sweep.
func TestForceKeepsUsersFiles(t *testing.T) {
	sw := loadTestSweep(t)
	dir := filepath.Join(t.TempDir(), "out")
	ctx := context.Background()
	if _, err := Run(ctx, sw, Options{Dir: dir, Plots: true}); err != nil {
		t.Fatal(err)
	}
	mine := []string{"notes.md", "analysis/fig.pdf", "plots/mine.png", "journal/keep.txt"}
	for _, p := range mine {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before := fstree.Snapshot(t, dir)
	_, err := Run(ctx, sw, Options{Dir: dir, Force: true, Plots: true})
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("--force over the user's files: %v, want a refusal", err)
	}
	for _, w := range []string{dir + " holds a cascade sweep's output but also files cascade did not write: analysis/, journal/keep.txt, notes.md, plots/mine.png;",
		"move them out of " + dir, "choose another --out"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message %q lacks %q", err, w)
		}
	}
	if got := fstree.Snapshot(t, dir); !slices.Equal(got, before) {
		t.Errorf("%s changed:\n%q\nwant\n%q", dir, got, before)
	}
	for _, p := range []string{"notes.md", "analysis", "plots/mine.png", "journal/keep.txt"} {
		if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Run(ctx, sw, Options{Dir: dir, Force: true, Plots: true}); err != nil {
		t.Fatalf("--force once they are moved out: %v", err)
	}
}
