package sweep

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/sim"
)

func ptr(x float64) *float64 { return &x }

// TestPermBijection: the keyed permutation maps [0, n) onto itself.
func TestPermBijection(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 64, 65, 1000, 4097} {
		for _, key := range []uint64{0, 1, 0xdeadbeef} {
			p := newPerm(n, key)
			seen := make([]bool, n)
			for i := 0; i < n; i++ {
				j := p.at(i)
				if j < 0 || j >= n || seen[j] {
					t.Fatalf("n=%d key=%d: %d maps to %d (out of range or taken)", n, key, i, j)
				}
				seen[j] = true
			}
		}
	}
	if a, b := newPerm(1000, 1), newPerm(1000, 2); a.at(0) == b.at(0) && a.at(1) == b.at(1) && a.at(2) == b.at(2) {
		t.Error("different keys give the same permutation")
	}
}

// designSweep is a sweep with the given design and parameters, made
// without a base scenario (Values needs none).
func designSweep(design string, runs int, dists ...sim.Dist) *Sweep {
	sw := &Sweep{Design: design, Runs: runs, File: File{Seed: 42}}
	for _, d := range dists {
		sw.Params = append(sw.Params, Param{Dist: d})
	}
	if design == Sobol {
		sw.Block = len(sw.Params) + 3
	}
	if design == Grid {
		sw.GridSize = 1
		for _, p := range sw.Params {
			sw.GridSize *= len(levels(&p.Dist))
		}
	}
	sw.initDesign()
	return sw
}

// TestLatinHypercube: each parameter puts exactly one run in each of the
// runs equal-probability strata of its distribution.
func TestLatinHypercube(t *testing.T) {
	const n = 200
	uni := sim.Dist{Kind: "uniform", Min: ptr(0), Max: ptr(1)}
	sw := designSweep(LatinHypercube, n, uni, uni, uni)
	for p := range sw.Params {
		seen := make([]bool, n)
		for i := 0; i < n; i++ {
			v := make([]float64, 3)
			sw.Values(i, v)
			s := int(math.Floor(v[p] * n))
			if seen[s] {
				t.Fatalf("parameter %d: stratum %d holds two runs", p, s)
			}
			seen[s] = true
		}
	}
	// The parameters are not in step with each other.
	a, b := make([]float64, 3), make([]float64, 3)
	same := 0
	for i := 0; i < n; i++ {
		sw.Values(i, a)
		if int(a[0]*n) == int(a[1]*n) {
			same++
		}
	}
	if same > n/10 {
		t.Errorf("parameters 0 and 1 share their stratum in %d of %d runs", same, n)
	}
	sw.Values(17, a)
	sw.Values(17, b)
	if a[0] != b[0] {
		t.Error("values of a run are not reproducible")
	}
}

// TestGrid: runs enumerate the grid with the last parameter fastest, and
// repeat it runs/G times.
func TestGrid(t *testing.T) {
	sw := designSweep(Grid, 12,
		sim.Dist{Kind: "list", Values: []float64{1, 2}},
		sim.Dist{Kind: "fixed", Value: 9},
		sim.Dist{Kind: "choice", Values: []float64{10, 20, 30}})
	if sw.GridSize != 6 {
		t.Fatalf("grid size %d, want 6", sw.GridSize)
	}
	want := [][]float64{{1, 9, 10}, {1, 9, 20}, {1, 9, 30}, {2, 9, 10}, {2, 9, 20}, {2, 9, 30}}
	for i := 0; i < 12; i++ {
		v := make([]float64, 3)
		sw.Values(i, v)
		w := want[i%6]
		if v[0] != w[0] || v[1] != w[1] || v[2] != w[2] {
			t.Errorf("run %d: %v, want %v", i, v, w)
		}
	}
}

// TestRandomDesign: values depend on the run index only, and follow the
// distribution.
func TestRandomDesign(t *testing.T) {
	sw := designSweep(Random, 1000, sim.Dist{Kind: "normal", Mean: 5, SD: 2}, sim.Dist{Kind: "choice", Values: []float64{0, 1}, Weights: []float64{3, 1}})
	sum, ones := 0.0, 0
	for i := 0; i < 4000; i++ {
		v := make([]float64, 2)
		sw.Values(i, v)
		sum += v[0]
		if v[1] == 1 {
			ones++
		}
	}
	if m := sum / 4000; math.Abs(m-5) > 0.15 {
		t.Errorf("mean %v, want about 5", m)
	}
	if ones < 850 || ones > 1150 {
		t.Errorf("%d of 4000 draws of a 1-in-4 choice", ones)
	}
	a, b := make([]float64, 2), make([]float64, 2)
	sw.Values(3, a)
	designSweep(Random, 5, sw.Params[0].Dist, sw.Params[1].Dist).Values(3, b)
	if a[0] != b[0] || a[1] != b[1] {
		t.Error("a run's values depend on the number of runs")
	}
}
