package sweep

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// TestSobolDesign: in every block, run 0 is row j of A, run 1 row j of B,
// run 2+p row j of A with parameter p from B, and the last run A's values
// with B's seed; the A and B runs have the seeds core.RunSeed gives their
// index, and each column of A and of B is a Latin hypercube over the
// blocks.
func TestSobolDesign(t *testing.T) {
	const n = 50
	u := sim.Dist{Kind: "uniform", Min: ptr(0), Max: ptr(1)}
	sw := designSweep(Sobol, 6*n, u, u, u)
	if sw.Block != 6 {
		t.Fatalf("block %d, want 6", sw.Block)
	}
	row := func(i int) []float64 {
		v := make([]float64, 3)
		sw.Values(i, v)
		return v
	}
	stratA, stratB := make([][]bool, 3), make([][]bool, 3)
	for p := range stratA {
		stratA[p], stratB[p] = make([]bool, n), make([]bool, n)
	}
	for j := range n {
		at := j * 6
		a, b := row(at), row(at+1)
		sa, sb := core.RunSeed(42, at), core.RunSeed(42, at+1)
		if sw.RunSeed(at) != sa || sw.RunSeed(at+1) != sb || sa == sb {
			t.Fatalf("block %d: A and B seeds %d, %d; want %d, %d", j, sw.RunSeed(at), sw.RunSeed(at+1), sa, sb)
		}
		for p := range 3 {
			ab := row(at + 2 + p)
			for q := range 3 {
				want := a[q]
				if q == p {
					want = b[q]
				}
				if ab[q] != want {
					t.Fatalf("block %d, AB_%d: parameter %d is %v, want %v", j, p, q, ab[q], want)
				}
			}
			if sw.RunSeed(at+2+p) != sa {
				t.Errorf("block %d, AB_%d: seed %d, want A's %d", j, p, sw.RunSeed(at+2+p), sa)
			}
			for k, s := range []*[]bool{&stratA[p], &stratB[p]} {
				x := []float64{a[p], b[p]}[k]
				c := int(x * n)
				if (*s)[c] {
					t.Fatalf("parameter %d of %s: two blocks in stratum %d", p, []string{"A", "B"}[k], c)
				}
				(*s)[c] = true
			}
		}
		last := row(at + 5)
		for q := range 3 {
			if last[q] != a[q] {
				t.Fatalf("block %d, seed run: parameter %d is %v, want A's %v", j, q, last[q], a[q])
			}
		}
		if sw.RunSeed(at+5) != sb {
			t.Errorf("block %d, seed run: seed %d, want B's %d", j, sw.RunSeed(at+5), sb)
		}
	}
}

// ishigami is the test function of Ishigami and Homma (1990).
func ishigami(x []float64) float64 {
	const a, b = 7, 0.1
	s := math.Sin(x[1])
	return math.Sin(x[0]) + float64(a*s*s) + float64(b*math.Pow(x[2], 4)*math.Sin(x[0]))
}

// TestSobolIshigami: the design and the estimators recover the analytic
// indices of the Ishigami function (a = 7, b = 0.1, on [−π, π]³) plus noise
// of variance 4 drawn from the run's seed: with V_I the function's variance
// and V = V_I + 4, S = V_i/V and ST = (V_i + V_13)/V for x1, and the seed's
// S = ST = 4/V. 2,000 base samples (12,000 runs) give each within 0.04, and
// the 95% intervals hold their estimates.
func TestSobolIshigami(t *testing.T) {
	const n, sigma = 2000, 2.0
	pi := math.Pi
	u := sim.Dist{Kind: "uniform", Min: ptr(-pi), Max: ptr(pi)}
	sw := designSweep(Sobol, 6*n, u, u, u)
	vals := make([]float64, 6*n)
	x := make([]float64, 3)
	for i := range vals {
		sw.Values(i, x)
		vals[i] = ishigami(x) + sigma*core.Stream(sw.RunSeed(i), "noise").NormFloat64()
	}
	const a, b = 7.0, 0.1
	pi4, pi8 := math.Pow(pi, 4), math.Pow(pi, 8)
	v1 := b*pi4/5 + b*b*pi8/50 + 0.5
	v2 := a * a / 8
	v13 := 8 * b * b * pi8 / 225
	v := v1 + v2 + v13 + sigma*sigma
	wantS := []float64{v1 / v, v2 / v, 0, sigma * sigma / v}
	wantT := []float64{(v1 + v13) / v, v2 / v, v13 / v, sigma * sigma / v}
	got := sobolEstimate(vals, 6, 400, core.Stream(1, "bootstrap").IntN)
	if len(got) != 4 {
		t.Fatalf("%d factors, want 4", len(got))
	}
	for i, g := range got {
		t.Logf("factor %d: S %.4f [%.4f, %.4f] (analytic %.4f), ST %.4f [%.4f, %.4f] (analytic %.4f)",
			i, g.First, g.FirstLo, g.FirstHi, wantS[i], g.Total, g.TotalLo, g.TotalHi, wantT[i])
		if g.N != n {
			t.Errorf("factor %d: n %d, want %d", i, g.N, n)
		}
		if math.Abs(g.First-wantS[i]) > 0.04 || math.Abs(g.Total-wantT[i]) > 0.04 {
			t.Errorf("factor %d: S %.4f, ST %.4f; want %.4f, %.4f", i, g.First, g.Total, wantS[i], wantT[i])
		}
		if !(g.FirstLo <= g.First && g.First <= g.FirstHi && g.TotalLo <= g.Total && g.Total <= g.TotalHi) ||
			g.FirstHi-g.FirstLo > 0.2 || g.TotalHi-g.TotalLo > 0.2 {
			t.Errorf("factor %d: intervals [%v, %v] and [%v, %v] do not hold their estimates or are too wide", i, g.FirstLo, g.FirstHi, g.TotalLo, g.TotalHi)
		}
	}
}

// TestSobolEstimateEdges: a linear function gives its indices exactly
// where the design makes them exact; blocks with a missing value are left
// out (and counted out of n); a metric without variance, or fewer than two
// blocks, gives NaN.
func TestSobolEstimateEdges(t *testing.T) {
	// f = x1 + 2·x2 with x1, x2 ∈ {−1, 1}: blocks (A, B, AB_1, AB_2, seed run).
	// A = (1, 1), B = (−1, −1): f_A = 3, f_B = −3, AB_1 = (−1, 1): 1, AB_2 = (1, −1): −1.
	// A = (−1, 1), B = (1, −1): f_A = 1, f_B = −1, AB_1 = (1, 1): 3, AB_2 = (−1, −1): −3.
	vals := []float64{
		3, -3, 1, -1, 3,
		1, -1, 3, -3, 1,
		math.NaN(), 0, 0, 0, 0, // left out
	}
	got := sobolEstimate(vals, 5, 0, nil)
	// mean of A and B = 0, V = (9+9+1+1)/3 = 20/3.
	// S_1 = mean(f_B·(f_AB1 − f_A)) / V = ((−3)(−2) + (−1)(2))/2 / (20/3) = 2·3/20 = 0.3
	// S_2 = ((−3)(−4) + (−1)(−4))/2 / (20/3) = 8·3/20 = 1.2
	// ST_1 = mean((f_A − f_AB1)²)/2/V = (4+4)/2/2·3/20 = 0.3; ST_2 = (16+16)/4·3/20 = 1.2
	want := [][2]float64{{0.3, 0.3}, {1.2, 1.2}, {0, 0}}
	for i, g := range got {
		if g.N != 2 || math.Abs(g.First-want[i][0]) > 1e-12 || math.Abs(g.Total-want[i][1]) > 1e-12 {
			t.Errorf("factor %d: S %v, ST %v, n %d; want %v, %v, 2", i, g.First, g.Total, g.N, want[i][0], want[i][1])
		}
		if !math.IsNaN(g.FirstLo) {
			t.Errorf("factor %d: an interval without resamples: %v", i, g.FirstLo)
		}
	}
	for name, v := range map[string][]float64{
		"constant":  {2, 2, 2, 2, 2, 2, 2, 2, 2, 2},
		"one block": {3, -3, 1, -1, 3},
	} {
		for i, g := range sobolEstimate(v, 5, 10, core.Stream(1, "b").IntN) {
			if !math.IsNaN(g.First) || !math.IsNaN(g.Total) || !math.IsNaN(g.TotalHi) {
				t.Errorf("%s, factor %d: S %v, ST %v, ST hi %v; want NaN", name, i, g.First, g.Total, g.TotalHi)
			}
		}
	}
}

// TestSobolBasis: the indices' basis is the most base samples any metric
// had, marked as a sample when the blocks were sampled.
func TestSobolBasis(t *testing.T) {
	ix := []SobolIndex{{N: 40}, {N: 55}, {N: 12}}
	if got := SobolBasis(ix); got != "55 base samples" {
		t.Errorf("got %q", got)
	}
	ix[2].Sampled = true
	if got := SobolBasis(ix); got != "a sample of 55 base samples" {
		t.Errorf("got %q", got)
	}
}
