package sweep

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/internal/csvtest"
	"github.com/cascade-sim/cascade/sim"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestPairSeedsRuns: with pair_seeds, the runs of one replicate of a grid
// share their seed (core.RunSeed(master, r)) and so their noise path: a
// variant whose override leaves the scenario as it is gives the same
// metrics as the base run seed by seed, so its paired differences are
// exactly zero, while noise.scale's are the differences of the runs
// themselves, recomputed here from runs.csv. Without pair_seeds every run
// has a seed of its own, as before.
func TestPairSeedsRuns(t *testing.T) {
	const src = `base: mini
seed: 9
design: grid
pair_seeds: true
runs: 12
parameters:
  - name: same
    variants: [{name: a}, {name: b, set: [leverage_scale=1]}]
  - {path: noise.scale, dist: {kind: list, values: [1.5, 1]}}
metrics: [vix.peak, headline_move_pct]
`
	sw, dir := loadSweep(t, "p.yaml", src)
	for i := range sw.Runs {
		if got, want := sw.RunSeed(i), core.RunSeed(9, i/4); got != want {
			t.Fatalf("run %d: seed %d, want core.RunSeed(9, %d) = %d", i, got, i/4, want)
		}
	}
	out := filepath.Join(dir, "out")
	if _, err := Run(context.Background(), sw, Options{Dir: out, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	runs := csvtest.Read(t, filepath.Join(out, "runs.csv"))[1:]
	num := func(s string) float64 {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	// The differences noise.scale = 1 minus noise.scale = 1.5 (the first
	// value written is the reference), vix.peak, from the rows.
	var want []float64
	for r := 0; r < 12; r += 4 {
		for _, row := range runs[r : r+4] {
			if row[1] != runs[r][1] {
				t.Fatalf("runs %s and %s of one replicate have seeds %s and %s", runs[r][0], row[0], runs[r][1], row[1])
			}
		}
		if r > 0 && runs[r][1] == runs[r-4][1] {
			t.Fatalf("replicates share seed %s", runs[r][1])
		}
		for _, j := range []int{0, 2} {
			a, b := runs[r+j], runs[r+j+1]
			if a[3] != "1.5" || b[3] != "1" {
				t.Fatalf("rows %d, %d: noise.scale %s, %s", r+j, r+j+1, a[3], b[3])
			}
			want = append(want, num(b[4])-num(a[4]))
		}
		// same=b is the base: its runs are the same=a runs, metric for metric.
		for j := range 2 {
			if a, b := runs[r+j], runs[r+j+2]; b[4] != a[4] || b[5] != a[5] {
				t.Errorf("replicate %d: same=b gives %s, %s against same=a's %s, %s", r/4, b[4], b[5], a[4], a[5])
			}
		}
	}
	paired := csvtest.Read(t, filepath.Join(out, "paired.csv"))
	if got := strings.Join(paired[0], ","); got != "parameter,level,reference,metric,pairs,n,mean,se,p5,median,p95,above,below,sign_p" {
		t.Fatalf("paired.csv header %s", got)
	}
	rows := map[string][]string{}
	for _, row := range paired[1:] {
		rows[row[0]+"="+row[1]+"/"+row[3]] = row
	}
	// Two parameters of one other value each, three metrics (a world with
	// levered agents adds compression_index).
	if len(rows) != 6 {
		t.Fatalf("paired.csv has %d rows, want 6: %v", len(rows), paired)
	}
	for _, m := range []string{"vix.peak", "headline_move_pct"} {
		r := rows["same=b/"+m]
		if r == nil || r[2] != "a" || r[4] != "6" || r[5] != "6" || num(r[6]) != 0 || r[11] != "0" || r[12] != "0" {
			t.Errorf("same=b against a, %s: %v, want 6 pairs, mean 0, none above or below", m, r)
		}
	}
	r := rows["noise.scale=1/vix.peak"]
	mean := 0.0
	for _, d := range want {
		mean += d
	}
	mean /= float64(len(want))
	if r == nil || r[2] != "1.5" || r[5] != "6" || math.Abs(num(r[6])-mean) > 1e-12*math.Abs(mean) || mean == 0 {
		t.Errorf("noise.scale=1 against 1.5, vix.peak: %v, want mean %v over 6 pairs", r, mean)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	rep := string(b)
	if !strings.Contains(rep, "## Paired differences") || !strings.Contains(rep, "| same (against a) |") {
		t.Errorf("report.md has no paired differences:\n%s", rep)
	}

	// Two shards write no paired.csv (their runs are not whole
	// replicates); their merge writes the unsharded sweep's, byte for byte.
	var dirs []string
	for s := range 2 {
		d := filepath.Join(dir, "shards", Shard{Index: s, Count: 2}.Dir())
		if _, err := Run(context.Background(), sw, Options{Dir: d, Shard: Shard{Index: s, Count: 2}, Workers: 2}); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(d, "paired.csv")); err == nil {
			t.Errorf("shard %d/2 wrote paired.csv", s)
		}
		dirs = append(dirs, d)
	}
	merged := filepath.Join(dir, "merged")
	if _, err := Merge(dirs, MergeOptions{Out: merged}); err != nil {
		t.Fatal(err)
	}
	whole, _ := os.ReadFile(filepath.Join(out, "paired.csv"))
	if m, _ := os.ReadFile(filepath.Join(merged, "paired.csv")); len(whole) == 0 || string(m) != string(whole) {
		t.Errorf("merged paired.csv differs from the unsharded sweep's:\n%s\nagainst\n%s", m, whole)
	}

	// The same grid without pair_seeds: a seed per run, no paired.csv.
	sw2 := loadSweepIn(t, t.TempDir(), "u.yaml", strings.Replace(src, "pair_seeds: true\n", "", 1))
	if sw2.RunSeed(1) != core.RunSeed(9, 1) || sw2.RunSeed(1) == sw2.RunSeed(0) {
		t.Error("unpaired runs should have their own seeds")
	}
	if sw.Fingerprint == sw2.Fingerprint {
		t.Error("pair_seeds left the fingerprint as it was")
	}
}

// TestPairedDiffs: the differences of a 2 × 3 grid with 2 replicates,
// metric = 10·first + second + a replicate's own effect, are the
// parameters' effects exactly (the replicate's cancels), against each
// parameter's first written value (3, not the smallest), in the file's
// order of parameters and values.
func TestPairedDiffs(t *testing.T) {
	man := &Manifest{Sweep: Resolved{Design: Grid, PairSeeds: true, GridSize: 6, Runs: 12,
		Parameters: []ResolvedParam{
			{Name: "x", Dist: distList(0, 1)},
			{Name: "y", Dist: distList(3, 1, 2)},
		},
		Metrics: []string{"m"}}}
	smp := &sample{cols: make([][]float64, 3)}
	rep := []float64{100, -7}
	for i := range 12 {
		x, y := float64((i%6)/3), []float64{3, 1, 2}[i%3]
		smp.index = append(smp.index, i)
		smp.cols[0] = append(smp.cols[0], x)
		smp.cols[1] = append(smp.cols[1], y)
		smp.cols[2] = append(smp.cols[2], 10*x+y+rep[i/6])
	}
	got := pairedDiffs(man, smp)
	want := []struct {
		param, level, ref string
		mean              float64
		pairs             int
	}{{"x", "1", "0", 10, 6}, {"y", "1", "3", -2, 4}, {"y", "2", "3", -1, 4}}
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(got), len(want), got)
	}
	for k, w := range want {
		g := got[k]
		if g.Parameter != w.param || g.Level != w.level || g.Reference != w.ref || g.Pairs != w.pairs || g.N != w.pairs || g.Mean != w.mean || g.P5 != w.mean || g.P95 != w.mean || g.Std != 0 {
			t.Errorf("row %d: %+v, want %+v with every difference %v", k, g, w, w.mean)
		}
		above, below := 0, w.pairs
		if w.mean > 0 {
			above, below = w.pairs, 0
		}
		if g.Above != above || g.Below != below {
			t.Errorf("row %d: %d above, %d below, want %d, %d", k, g.Above, g.Below, above, below)
		}
	}
	// A metric without a value in one run leaves that pair out of n only.
	smp.cols[2][7] = math.NaN()
	if g := pairedDiffs(man, smp)[1]; g.Pairs != 4 || g.N != 3 {
		t.Errorf("with a NaN: %d pairs, n %d, want 4, 3", g.Pairs, g.N)
	}
	// Not paired: nothing.
	man.Sweep.PairSeeds = false
	if g := pairedDiffs(man, smp); g != nil {
		t.Errorf("an unpaired grid gave %+v", g)
	}
}

// TestSignP: the sign test's two-sided p-value, exact binomial.
func TestSignP(t *testing.T) {
	for _, c := range []struct {
		above, below int
		want         float64
	}{
		{9, 1, 2 * 11.0 / 1024},
		{1, 9, 2 * 11.0 / 1024},
		{5, 5, 1},
		{10, 0, 2.0 / 1024},
		{0, 0, math.NaN()},
	} {
		s := PairedDiff{Above: c.above, Below: c.below}
		got := s.SignP()
		if math.IsNaN(c.want) != math.IsNaN(got) || (!math.IsNaN(got) && math.Abs(got-c.want) > 1e-12) {
			t.Errorf("%d above, %d below: p = %v, want %v", c.above, c.below, got, c.want)
		}
	}
	// Against gonum's binomial CDF, up to the hundred thousand pairs of a
	// sweep's sample, in the tails and at the middle.
	for _, n := range []int{1, 2, 7, 40, 100, 1000, 12345, 100_000} {
		for _, k := range []int{0, 1, n / 10, n/2 - 1, n / 2, n - 1, n} {
			if k < 0 || k > n {
				continue
			}
			want := distuv.Binomial{N: float64(n), P: 0.5}.CDF(float64(k))
			got := binomialHalfCDF(n, k)
			if want < 1e-300 {
				if got > 1e-290 {
					t.Errorf("n %d, k %d: P = %v, want about %v", n, k, got, want)
				}
				continue
			}
			if math.Abs(got-want) > 1e-9*want {
				t.Errorf("n %d, k %d: P = %v, gonum %v (relative %.1e)", n, k, got, want, math.Abs(got-want)/want)
			}
		}
	}
}

// TestPairedSampleWholeReplicates: past sampleCap runs, a paired grid's
// sample takes whole replicates (a pair is never split) and about
// sampleCap runs.
func TestPairedSampleWholeReplicates(t *testing.T) {
	sw := &Resolved{Design: Grid, PairSeeds: true, GridSize: 7, Runs: 7 * 40_000}
	n := 0
	for r := 0; r < 40_000; r++ {
		in := sampled(sw, r*7)
		for j := 1; j < 7; j++ {
			if sampled(sw, r*7+j) != in {
				t.Fatalf("replicate %d is split", r)
			}
		}
		if in {
			n += 7
		}
	}
	if n < sampleCap*9/10 || n > sampleCap*11/10 {
		t.Errorf("sampled %d runs, want about %d", n, sampleCap)
	}
}

// TestPairSeedsNeedsGrid: pair_seeds in another design is refused at its
// key, saying why.
func TestPairSeedsNeedsGrid(t *testing.T) {
	for design, want := range map[string]string{
		"random": "pair_seeds needs design: grid",
		"sobol":  "a sobol design pairs its own seeds",
	} {
		src := "base: mini\nseed: 1\ndesign: " + design + "\npair_seeds: true\nruns: 40\nparameters:\n  - {path: leverage_scale, dist: {kind: uniform, min: 0.5, max: 1}}\nmetrics: [vix.peak]\n"
		_, err := Parse(filepath.Join(t.TempDir(), "s.yaml"), []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), ":4:") || strings.Contains(err.Error(), "%!") {
			t.Errorf("%s: %v, want %q at line 4", design, err, want)
		}
	}
}

func distList(v ...float64) sim.Dist { return sim.Dist{Kind: "list", Values: v} }

// TestPairingNarrows: in sweeps/apr2025-channels.yaml cut to 10 seeds,
// the paired difference of the S&P's fall with the dealer constraint off
// has a standard error under a third of the one the two groups' means
// give (about a sixth at 50 seeds, docs/sweeps.md): the pairs share
// their noise path, so the seed's share of the spread cancels.
func TestPairingNarrows(t *testing.T) {
	sw, err := LoadRuns("../sweeps/apr2025-channels.yaml", 40)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := Run(context.Background(), sw, Options{Dir: out, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	var paired float64
	for _, row := range csvtest.Read(t, filepath.Join(out, "paired.csv"))[1:] {
		if row[0] == "dealer_constraint" && row[3] == "headline_move_pct" {
			paired, _ = strconv.ParseFloat(row[7], 64)
		}
	}
	runs := csvtest.Read(t, filepath.Join(out, "runs.csv"))
	col := slices.Index(runs[0], "headline_move_pct")
	var on, off []float64
	for _, row := range runs[1:] {
		x, _ := strconv.ParseFloat(row[col], 64)
		if row[2] == "on" {
			on = append(on, x)
		} else {
			off = append(off, x)
		}
	}
	unpaired := math.Sqrt(stat.Variance(on, nil)/float64(len(on)) + stat.Variance(off, nil)/float64(len(off)))
	t.Logf("standard error of the difference: paired %.4f, from the groups' means %.4f", paired, unpaired)
	if !(paired > 0 && paired < unpaired/3) {
		t.Errorf("paired standard error %v, want positive and under a third of %v", paired, unpaired)
	}
}
