package core

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cascade-sim/cascade/core/dmath"
)

// TestEWMAUpdate checks one update against a hand computation. Half-life 2
// ticks: λ = 0.5^(1/2) = 0.7071067811865476, 1 − λ = 0.2928932188134524.
// Start: vols 0.01 and 0.02, correlation 0.5, so Σ = [[1e-4, 1e-4], [1e-4, 4e-4]].
// Returns r = (0.03, −0.01):
//
//	Σ00 = λ·1e-4 + (1−λ)·9e-4  = 3.3431457505076194e-4
//	Σ01 = λ·1e-4 − (1−λ)·3e-4  = −1.715728752538097e-5
//	Σ11 = λ·4e-4 + (1−λ)·1e-4  = 3.1213203435596427e-4
//	vol = (0.0182842712474619, 0.017667258824049764), corr = −0.05311311861708757.
func TestEWMAUpdate(t *testing.T) {
	e := NewEWMA(2, []float64{0.01, 0.02}, [][]float64{{1, 0.5}, {0.5, 1}})
	if e.Cov(0, 1) != 1e-4 || e.Var(1) != 4e-4 || e.Vol(1) != 0.02 || math.Abs(e.Corr(0, 1)-0.5) > 1e-15 {
		t.Fatalf("start: cov %v var %v vol %v corr %v", e.Cov(0, 1), e.Var(1), e.Vol(1), e.Corr(0, 1))
	}
	e.Update([]float64{0.03, -0.01})
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"Var(0)", e.Var(0), 3.3431457505076194e-4},
		{"Cov(0,1)", e.Cov(0, 1), -1.715728752538097e-5},
		{"Cov(1,0)", e.Cov(1, 0), -1.715728752538097e-5},
		{"Var(1)", e.Var(1), 3.1213203435596427e-4},
		{"Vol(0)", e.Vol(0), 0.0182842712474619},
		{"Vol(1)", e.Vol(1), 0.017667258824049764},
		{"Corr(0,1)", e.Corr(0, 1), -0.05311311861708757},
		{"Corr(1,0)", e.Corr(1, 0), -0.05311311861708757},
		{"Corr(0,0)", e.Corr(0, 0), 1},
	} {
		if math.Abs(c.got-c.want) > 1e-14*math.Max(1e-4, math.Abs(c.want)) {
			t.Errorf("%s = %.17g, want %.17g", c.name, c.got, c.want)
		}
	}
}

// TestEWMAHalfLife: with zero returns the variance halves every half-life,
// and the cached volatility tracks the square root of the variance through
// any sequence of updates.
func TestEWMAHalfLife(t *testing.T) {
	e := NewEWMA(24, []float64{0.01, 0.003, 0.05}, nil)
	zero := make([]float64, 3)
	for k := 0; k < 24; k++ {
		e.Update(zero)
	}
	if v := e.Var(0); math.Abs(v-0.5e-4) > 1e-15 {
		t.Errorf("variance after one half-life of zero returns %v, want 5e-5", v)
	}
	for k := 0; k < 24; k++ {
		e.Update(zero)
	}
	if v := e.Var(2); math.Abs(v-0.25*0.0025) > 1e-15 {
		t.Errorf("variance after two half-lives %v, want %v", v, 0.25*0.0025)
	}
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 3)
	for k := 0; k < 500; k++ {
		for i := range x {
			x[i] = 0.01 * r.NormFloat64()
		}
		e.Update(x)
		for i := range x {
			if math.Abs(e.Vol(i)-math.Sqrt(e.Var(i))) > 1e-15 {
				t.Fatalf("update %d: cached vol %v != √var %v", k, e.Vol(i), math.Sqrt(e.Var(i)))
			}
			for j := range x {
				if e.Cov(i, j) != e.Cov(j, i) {
					t.Fatalf("covariance not symmetric at %d,%d", i, j)
				}
				if c := e.Corr(i, j); c < -1-1e-12 || c > 1+1e-12 {
					t.Fatalf("correlation %v out of [-1, 1]", c)
				}
			}
		}
	}
}

// TestEWMAConverges: fed correlated returns with known volatilities and
// correlation, the estimate converges to them.
func TestEWMAConverges(t *testing.T) {
	e := NewEWMA(2000, []float64{0.001, 0.001}, nil)
	r := rand.New(rand.NewPCG(3, 4))
	const s0, s1, rho = 0.01, 0.02, -0.6
	for k := 0; k < 60000; k++ {
		z0, z1 := r.NormFloat64(), r.NormFloat64()
		e.Update([]float64{s0 * z0, s1 * (rho*z0 + math.Sqrt(1-rho*rho)*z1)})
	}
	if math.Abs(e.Vol(0)/s0-1) > 0.05 || math.Abs(e.Vol(1)/s1-1) > 0.05 || math.Abs(e.Corr(0, 1)-rho) > 0.05 {
		t.Errorf("vol %v %v corr %v, want %v %v %v", e.Vol(0), e.Vol(1), e.Corr(0, 1), s0, s1, rho)
	}
}

// TestEWMAZeroAndReset: correlation is 0 when a variance is 0; Reset
// restores the starting estimate.
func TestEWMAZeroAndReset(t *testing.T) {
	e := NewEWMA(5, []float64{0, 0.01}, nil)
	if e.Corr(0, 1) != 0 || e.Corr(0, 0) != 0 {
		t.Errorf("correlation with a zero variance %v %v, want 0", e.Corr(0, 1), e.Corr(0, 0))
	}
	e.Update([]float64{0.05, -0.02})
	e.Reset([]float64{0.02, 0.01}, [][]float64{{1, 0.3}, {0.3, 1}})
	if e.Var(0) != 4e-4 || e.Vol(0) != 0.02 || math.Abs(e.Cov(0, 1)-0.3*0.02*0.01) > 1e-18 {
		t.Errorf("after Reset: var %v vol %v cov %v", e.Var(0), e.Vol(0), e.Cov(0, 1))
	}
}

// TestMomentumUpdate: the mean is an EWMA of returns (half-life 1: λ = ½).
func TestMomentumUpdate(t *testing.T) {
	m := NewMomentum(1, 2)
	m.Update([]float64{0.02, -0.04})
	m.Update([]float64{0.01, 0})
	// 0.5·(0.5·0.02) + 0.5·0.01 = 0.01; 0.5·(0.5·−0.04) = −0.01.
	if math.Abs(m.Mean[0]-0.01) > 1e-17 || math.Abs(m.Mean[1]+0.01) > 1e-17 {
		t.Errorf("means %v, want [0.01 -0.01]", m.Mean)
	}
	// z = mean / (vol · √((1−λ)/(1+λ))) = 0.01 / (0.01·√(1/3)) = √3.
	if z := m.Z(0, 0.01); math.Abs(z-math.Sqrt(3)) > 1e-12 {
		t.Errorf("Z = %v, want √3", z)
	}
	if m.Z(0, 0) != 0 || m.Z(0, -1) != 0 {
		t.Error("Z with no volatility must be 0")
	}
	m.SetZ(1, -1.5, 0.004)
	if z := m.Z(1, 0.004); math.Abs(z+1.5) > 1e-12 {
		t.Errorf("SetZ then Z = %v, want -1.5", z)
	}
}

// TestMomentumZUnitVariance: for iid returns of volatility σ, the z-score
// has unit variance in the long run (its normalization is the stationary
// standard deviation of the EWMA mean), and zero mean.
func TestMomentumZUnitVariance(t *testing.T) {
	for _, hl := range []float64{5, 48} {
		const sigma = 0.003
		m := NewMomentum(hl, 1)
		r := rand.New(rand.NewPCG(11, uint64(hl)))
		x := []float64{0}
		burn, n := 2000, 400000
		var s, s2 float64
		for k := 0; k < burn+n; k++ {
			x[0] = sigma * r.NormFloat64()
			m.Update(x)
			if k >= burn {
				z := m.Z(0, sigma)
				s += z
				s2 += z * z
			}
		}
		mean := s / float64(n)
		v := s2/float64(n) - mean*mean
		if math.Abs(v-1) > 0.06 || math.Abs(mean) > 0.1 {
			t.Errorf("half-life %v: z variance %.4f mean %.4f, want 1 and 0", hl, v, mean)
		}
	}
}

// TestEstimatorsBank: one EWMA per distinct half-life and one Momentum per
// distinct lookback; Update feeds every estimator and keeps the returns;
// calm values and SetTrend.
func TestEstimatorsBank(t *testing.T) {
	vol0 := []float64{0.01, 0.02}
	b := NewEstimators(vol0, [][]float64{{1, 0.4}, {0.4, 1}})
	e1, e2, e3 := b.EWMA(24), b.EWMA(48), b.EWMA(24)
	if e1 != e3 || e1 == e2 {
		t.Fatal("EWMA estimators are not deduplicated by half-life")
	}
	m1, m2, m3 := b.Momentum(10), b.Momentum(20), b.Momentum(10)
	if m1 != m3 || m1 == m2 {
		t.Fatal("Momentum estimators are not deduplicated by half-life")
	}
	if e2.Vol(1) != 0.02 || math.Abs(e2.Corr(0, 1)-0.4) > 1e-15 {
		t.Errorf("a new EWMA does not start at the calm values: vol %v corr %v", e2.Vol(1), e2.Corr(0, 1))
	}
	b.SetTrend(1, 2)
	if math.Abs(m1.Z(1, 0.02)-2) > 1e-12 || math.Abs(m2.Z(1, 0.02)-2) > 1e-12 {
		t.Errorf("SetTrend: z %v %v, want 2", m1.Z(1, 0.02), m2.Z(1, 0.02))
	}
	r := []float64{0.05, -0.01}
	b.Update(r)
	r[0] = 99 // the bank keeps its own copy
	if b.Ret[0] != 0.05 || b.Ret[1] != -0.01 {
		t.Errorf("Ret = %v", b.Ret)
	}
	if !(e1.Vol(0) > 0.01 && e2.Vol(0) > 0.01 && e1.Vol(0) > e2.Vol(0)) {
		t.Errorf("Update did not reach every EWMA (the faster one moving more): %v %v", e1.Vol(0), e2.Vol(0))
	}
	if !(m1.Mean[0] > 0 && m2.Mean[0] > 0 && m1.Mean[0] > m2.Mean[0]) {
		t.Errorf("Update did not reach every Momentum: %v %v", m1.Mean[0], m2.Mean[0])
	}
	if b.Calm(1) != 0.02 || b.CalmCorr(0, 1) != 0.4 || b.CalmCorr(1, 1) != 1 {
		t.Error("calm values")
	}
	if nb := NewEstimators(vol0, nil); nb.CalmCorr(0, 1) != 0 || nb.CalmCorr(0, 0) != 1 {
		t.Error("calm correlation without a matrix must be the identity")
	}
}

// TestEWMAUpperTriangle: Update computes only one triangle (the lower), yet every
// Cov(i, j) and Corr(i, j), on either side of the diagonal, is bit for bit
// the full-matrix RiskMetrics recursion, before any update (an uneven
// starting matrix is read as written) and after Reset.
func TestEWMAUpperTriangle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 5
	vol := []float64{0.01, 0.02, 0.003, 0.05, 0.011}
	corr := make([][]float64, n)
	for i := range corr {
		corr[i] = make([]float64, n)
		for j := range corr[i] {
			corr[i][j] = 0.3
		}
		corr[i][i] = 1
	}
	corr[1][3], corr[3][1] = 0.7, 0.7
	e := NewEWMA(12, vol, corr)
	full := make([]float64, n*n) // the reference: every entry updated
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			full[i*n+j] = corr[i][j] * vol[i] * vol[j]
		}
	}
	updated := false // the full matrix is symmetric once updated
	check := func(stage string) {
		t.Helper()
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if got, want := e.Cov(i, j), full[i*n+j]; got != want {
					t.Fatalf("%s: Cov(%d, %d) = %v, want %v", stage, i, j, got, want)
				}
				if updated && e.Corr(i, j) != e.Corr(j, i) {
					t.Fatalf("%s: Corr(%d, %d) = %v but Corr(%d, %d) = %v", stage, i, j, e.Corr(i, j), j, i, e.Corr(j, i))
				}
			}
		}
	}
	check("start")
	l := dmath.Pow(0.5, 1.0/12)
	r := make([]float64, n)
	for tick := 0; tick < 200; tick++ {
		for i := range r {
			r[i] = rng.NormFloat64() * vol[i]
		}
		e.Update(r)
		updated = true
		for i := 0; i < n; i++ {
			ri := r[i] * (1 - l)
			for j := i; j < n; j++ {
				v := float64(l*full[i*n+j]) + float64(ri*r[j])
				full[i*n+j], full[j*n+i] = v, v
			}
		}
		check(fmt.Sprintf("tick %d", tick))
	}
	e.Reset(vol, corr)
	updated = false
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			full[i*n+j] = corr[i][j] * vol[i] * vol[j]
		}
	}
	check("reset")
}

// TestSynced: two assets whose calendar-time moves are the same, one
// trading 7 ticks in 24 (its moves of the other 17 arrive at its open),
// the other every tick. Per-tick returns correlate at about 7/24 (EWMA);
// Synced, pairing the open's move with the other asset's returns since
// the last tick both had traded, finds 1. With both trading every tick it
// is EWMA's correlation.
func TestSynced(t *testing.T) {
	vol := []float64{0.01, 0.01}
	b := NewEstimators(vol, nil)
	e, s := b.EWMA(240), b.Synced(240, []int{0, 1})
	u := uint64(1)
	r, open := make([]float64, 2), []bool{false, true}
	gap := 0.0
	for tk := range 24 * 400 {
		u = u*6364136223846793005 + 1442695040888963407
		x := 0.01 * (float64(u>>11)/(1<<53) - 0.5)
		open[0] = tk%24 >= 14 && tk%24 < 21
		r[1] = x
		if r[0], gap = 0, gap+x; open[0] {
			r[0], gap = gap, 0
		}
		b.UpdateOpen(r, open)
	}
	if c := e.Corr(0, 1); !(c > 0.2 && c < 0.4) {
		t.Errorf("EWMA correlation %v, want about 7/24", c)
	}
	if c := s.Corr(0, 1); !(c > 0.99) {
		t.Errorf("Synced correlation %v, want about 1", c)
	}
	b = NewEstimators(vol, [][]float64{{1, 0.3}, {0.3, 1}})
	e, s = b.EWMA(240), b.Synced(240, []int{0, 1})
	for range 1000 {
		u = u*6364136223846793005 + 1442695040888963407
		r[0] = 0.01 * (float64(u>>11)/(1<<53) - 0.5)
		u = u*6364136223846793005 + 1442695040888963407
		r[1] = 0.5*r[0] + 0.01*(float64(u>>11)/(1<<53)-0.5)
		b.UpdateOpen(r, nil)
	}
	if c, d := e.Corr(0, 1), s.Corr(0, 1); math.Abs(c-d) > 1e-12 {
		t.Errorf("every market open: Synced correlation %v, EWMA %v", d, c)
	}
}

// TestSyncedDecay: Synced pays the decay the matrix owes between refreshes
// as one factor at the refresh and keeps the upper triangle only; its
// correlations must be those of the plain recursion, C ← λC at every tick
// and C ← C + (1−λ)RRᵀ at a refresh (R: each asset's return compounded
// since the last refresh), for three markets with different sessions and
// a weekend, read in either order.
func TestSyncedDecay(t *testing.T) {
	const m, hl = 3, 48
	b := NewEstimators([]float64{0.01, 0.02, 0.005}, [][]float64{{1, 0.2, -0.1}, {0.2, 1, 0.4}, {-0.1, 0.4, 1}})
	s := b.Synced(hl, []int{0, 1, 2})
	l := math.Pow(0.5, 1.0/hl)
	var ref [m][m]float64
	for a, v := range []float64{0.01, 0.02, 0.005} {
		for c, w := range []float64{0.01, 0.02, 0.005} {
			ref[a][c] = b.CalmCorr(a, c) * v * w
		}
	}
	var acc [m]float64
	var seen [m]bool
	u := uint64(7)
	r, open := make([]float64, m), make([]bool, m)
	for tk := range 24 * 60 {
		h, weekend := tk%24, tk%(24*7) >= 24*5
		open[0] = !weekend && h < 6             // Tokyo
		open[1] = !weekend && h >= 14 && h < 21 // New York
		open[2] = !weekend || h%2 == 0          // nearly always
		for a := range r {
			u = u*6364136223846793005 + 1442695040888963407
			r[a] = 0
			if open[a] {
				r[a] = 0.01 * (float64(u>>11)/(1<<53) - 0.5)
			}
		}
		b.UpdateOpen(r, open)
		all := true
		for a := range m {
			acc[a] = (1+acc[a])*(1+r[a]) - 1
			seen[a] = seen[a] || open[a]
			all = all && seen[a]
		}
		for a := range m {
			for c := range m {
				ref[a][c] *= l
				if all {
					ref[a][c] += (1 - l) * acc[a] * acc[c]
				}
			}
		}
		if all {
			acc, seen = [m]float64{}, [m]bool{}
		}
		for a := range m {
			for c := range m {
				want := ref[a][c] / math.Sqrt(ref[a][a]*ref[c][c])
				if got := s.Corr(a, c); math.Abs(got-want) > 1e-12 {
					t.Fatalf("tick %d: Corr(%d, %d) = %v, want %v", tk, a, c, got, want)
				}
			}
		}
	}
}

// TestUpperRowKept: UpperRow, which returns a row cut once at
// construction, is row a of the correlations from the diagonal on, of
// length m−a, Corr(a, c) at c−a bit for bit, for a set of five assets
// over 40 ticks of returns with markets closed at times (refreshes every
// few ticks), and it shows each refresh, as the estimator's own storage.
func TestUpperRowKept(t *testing.T) {
	vol := []float64{0.01, 0.02, 0.005, 0.015, 0.008}
	b := NewEstimators(vol, nil)
	s := b.Synced(24, []int{4, 0, 2, 3, 1})
	rows := make([][]float64, 5)
	for a := range rows {
		rows[a] = s.UpperRow(a)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	r, open := make([]float64, 5), make([]bool, 5)
	moved := 0
	for tick := range 40 {
		for i := range r {
			open[i] = rng.IntN(3) > 0
			r[i] = 0
			if open[i] {
				r[i] = 0.01 * rng.NormFloat64()
			}
		}
		before := s.Corr(0, 4)
		s.Update(r, open)
		if s.Corr(0, 4) != before {
			moved++
		}
		for a := range 5 {
			row := s.UpperRow(a)
			if len(row) != 5-a || &row[0] != &rows[a][0] {
				t.Fatalf("tick %d: UpperRow(%d) has %d entries at %p, want %d at %p", tick, a, len(row), &row[0], 5-a, &rows[a][0])
			}
			for c := a; c < 5; c++ {
				if got, want := row[c-a], s.Corr(a, c); math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("tick %d: UpperRow(%d)[%d] = %v, Corr(%d, %d) = %v", tick, a, c-a, got, a, c, want)
				}
			}
		}
	}
	if moved < 5 {
		t.Fatalf("setup: the correlations moved at %d refreshes, want 5", moved)
	}
}
