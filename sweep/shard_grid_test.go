package sweep

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/cascade-sim/cascade/internal/csvtest"
)

// TestGridShardArithmetic: a shard of a grid holds run i (point i mod G,
// repetition i / G) when (point + repetition) mod n is its index. The
// shards partition the runs; Run lists a shard's runs in increasing order,
// Local inverts it and Size counts them; and with at least n
// repetitions every shard holds every point, each as often as the others
// to within one (index modulo n gave a shard a fixed slice of the grid
// when G is a multiple of n: shard 0 of 2 held only the even points).
func TestGridShardArithmetic(t *testing.T) {
	for _, c := range []struct{ grid, reps, n int }{
		{4, 8, 2}, {12, 12, 4}, {6, 4, 4}, {5, 7, 3}, {3, 10, 4}, {2, 9, 7}, {10, 3, 4}, {1, 5, 2}, {7, 2, 9}, {100, 100, 100},
	} {
		runs := c.grid * c.reps
		owner := make([]int, runs)
		for i := range owner {
			owner[i] = -1
		}
		for s := 0; s < c.n; s++ {
			sh := Shard{Index: s, Count: c.n, Grid: c.grid}
			var held []int
			perPoint := make([]int, c.grid)
			for i := 0; i < runs; i++ {
				if sh.Holds(i) {
					held = append(held, i)
					perPoint[i%c.grid]++
					if owner[i] >= 0 {
						t.Fatalf("%+v: run %d in shards %d and %d", c, i, owner[i], s)
					}
					owner[i] = s
				}
			}
			if sh.Size(runs) != len(held) {
				t.Errorf("%+v shard %d: Size %d, holds %d runs", c, s, sh.Size(runs), len(held))
			}
			for k, i := range held {
				if sh.Run(k) != i || sh.Local(i) != k {
					t.Errorf("%+v shard %d: run %d is its %d-th, but Run(%d) = %d, Local(%d) = %d", c, s, i, k, k, sh.Run(k), i, sh.Local(i))
				}
			}
			if c.reps >= c.n {
				lo, hi := c.reps/c.n, (c.reps+c.n-1)/c.n
				for g, m := range perPoint {
					if m < lo || m > hi {
						t.Errorf("%+v shard %d holds point %d %d times, want %d to %d", c, s, g, m, lo, hi)
					}
				}
			}
		}
		for i, s := range owner {
			if s < 0 {
				t.Fatalf("%+v: run %d is in no shard", c, i)
			}
		}
	}
	// Without a grid, index modulo n, as before.
	sh := Shard{Index: 1, Count: 4}
	if sh.Size(10) != 3 || sh.Run(2) != 9 || sh.Local(9) != 2 || !sh.Holds(5) || sh.Holds(6) {
		t.Error("the modulo arithmetic changed")
	}
}

// TestGridShardsSampleGrid: each of 2 shards of a 2 × 2 grid with 4
// repetitions runs every grid point twice, so its own levels.csv has every
// level, each at half the runs; the merged runs.csv and bands.csv equal the
// unsharded sweep's, byte for byte.
func TestGridShardsSampleGrid(t *testing.T) {
	const src = `base: mini
seed: 5
design: grid
runs: 16
parameters:
  - {path: leverage_scale, dist: {kind: list, values: [0.5, 1]}}
  - {path: noise.scale, dist: {kind: list, values: [0.8, 1.2]}}
metrics: [vix.peak]
`
	sw, dir := loadSweep(t, "g.yaml", src)
	whole := filepath.Join(dir, "whole")
	if _, err := Run(context.Background(), sw, Options{Dir: whole, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for s := 0; s < 2; s++ {
		d := filepath.Join(dir, "out", Shard{Index: s, Count: 2}.Dir())
		if _, err := Run(context.Background(), sw, Options{Dir: d, Shard: Shard{Index: s, Count: 2}, Workers: 2}); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
		count := map[string]string{}
		for _, row := range csvtest.Read(t, filepath.Join(d, "levels.csv"))[1:] {
			count[row[0]+"="+row[1]] = row[3]
		}
		for _, lv := range []string{"leverage_scale=0.5", "leverage_scale=1", "noise.scale=0.8", "noise.scale=1.2"} {
			if count[lv] != "4" {
				t.Errorf("shard %d/2: levels.csv has %q runs at %s, want 4 (every point twice): %v", s, count[lv], lv, count)
			}
		}
	}
	merged := filepath.Join(dir, "merged")
	if _, err := Merge(dirs, MergeOptions{Out: merged}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"runs.csv", "bands.csv", "levels.csv"} {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, _ := os.ReadFile(filepath.Join(merged, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("merged %s differs from the unsharded sweep's", f)
		}
	}
}

// TestMissingHint: merge names the shards none of whose runs it was
// given in numeric order, as ranges sbatch --array takes (before: every
// shard, sorted as text, "shard 10/100, 11/100, ..., 4/100, 40/100").
func TestMissingHint(t *testing.T) {
	for _, c := range []struct {
		given []int // the shards of 100 given
		want  string
	}{
		{[]int{0, 1, 2, 10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39},
			": shards 3-9,11,40-99 of 100 not given (68 shards; on Slurm, resubmit them: sbatch --array=3-9,11,40-99)"},
		{allBut(100, 42), ": shard 42/100 not given (make it with --shard 42/100; on Slurm: sbatch --array=42)"},
	} {
		runs := 1000
		seen := newBitset(runs)
		var mans []*Manifest
		for _, s := range c.given {
			sh := Shard{Index: s, Count: 100}
			mans = append(mans, &Manifest{Shard: sh})
			for k := 0; k < sh.Size(runs); k++ {
				seen.set(sh.Run(k))
			}
		}
		if got := missingHint(mans, seen); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
}

func allBut(n, skip int) []int {
	var out []int
	for i := 0; i < n; i++ {
		if i != skip {
			out = append(out, i)
		}
	}
	return out
}
