package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestReturnStats pins the stylized-fact statistics on series whose values
// are worked out by hand, and on a long normal sample.
func TestReturnStats(t *testing.T) {
	nan := math.NaN()
	rep := func(n int, xs ...float64) []float64 {
		var r []float64
		for k := 0; k < n; k++ {
			r = append(r, xs...)
		}
		return r
	}
	// A calm block of ±1 then a turbulent block of ±3, 20 returns each:
	// m2 = (20·1 + 20·9)/40 = 5, m4 = (20·1 + 20·81)/40 = 41, so the
	// kurtosis is 41/25 − 3; |r| is 2 ∓ 1, and of the 40 − k pairs at lag k,
	// k straddle the blocks (product −1) and the rest agree (+1):
	// ACF(k) = (40 − 3k)/40.
	cluster := append(rep(10, 1, -1), rep(10, 3, -3)...)
	// One jump in 40 returns: m2 = m4 = 2/40, so the kurtosis is 1/(2/40) − 3.
	jump := append(make([]float64, 38), 1, -1)
	for _, c := range []struct {
		name string
		r    []float64
		lags int
		want ReturnStats
	}{
		{"clustered", cluster, 2, ReturnStats{N: 40, ExcessKurtosis: 41.0/25 - 3, AbsACF1: 37.0 / 40, AbsACFMean: (37.0 + 34.0) / 80, Lags: 2}},
		{"clustered, lags beyond half the sample", cluster, 21, ReturnStats{N: 40, ExcessKurtosis: 41.0/25 - 3, AbsACF1: 37.0 / 40, AbsACFMean: Num(nan), Lags: 21}},
		{"one jump", jump, 1, ReturnStats{N: 40, ExcessKurtosis: 17, AbsACF1: Num(autocorrJump()), AbsACFMean: Num(autocorrJump()), Lags: 1}},
		{"constant size: no autocorrelation of |r|", rep(20, 1, -1), 1, ReturnStats{N: 40, ExcessKurtosis: -2, AbsACF1: Num(nan), AbsACFMean: Num(nan), Lags: 1}},
		{"no variance", make([]float64, 30), 1, ReturnStats{N: 30, ExcessKurtosis: Num(nan), AbsACF1: Num(nan), AbsACFMean: Num(nan), Lags: 1}},
		{"too few", rep(9, 1, -1), 1, ReturnStats{N: 18, ExcessKurtosis: Num(nan), AbsACF1: Num(nan), AbsACFMean: Num(nan), Lags: 1}},
	} {
		got := returnStats(c.r, make([]float64, len(c.r)), c.lags)
		same := func(a, b Num) bool {
			return (math.IsNaN(float64(a)) && math.IsNaN(float64(b))) || math.Abs(float64(a-b)) <= 1e-12
		}
		if got.N != c.want.N || got.Lags != c.want.Lags || !same(got.ExcessKurtosis, c.want.ExcessKurtosis) ||
			!same(got.AbsACF1, c.want.AbsACF1) || !same(got.AbsACFMean, c.want.AbsACFMean) {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
	// Independent normal returns: no excess kurtosis (standard error
	// √(24/n) ≈ 0.011) and no autocorrelation of |r| (about 1/√n ≈ 0.0045).
	rng := rand.New(rand.NewPCG(1, 2))
	r := make([]float64, 200000)
	for k := range r {
		r[k] = 0.01 * rng.NormFloat64()
	}
	s := returnStats(r, make([]float64, len(r)), 24)
	if math.Abs(float64(s.ExcessKurtosis)) > 0.05 || math.Abs(float64(s.AbsACF1)) > 0.02 || math.Abs(float64(s.AbsACFMean)) > 0.01 {
		t.Errorf("normal returns: %+v, want kurtosis and autocorrelations near 0", s)
	}
}

// autocorrJump is the lag-one autocorrelation of |r| for 38 zeros then 1,
// −1: |r| has mean 1/20, deviations −1/20 (38 times) and 19/20 (twice),
// so Σd² = 38/400 + 2·361/400 = 760/400; the 39 lag-one products are 37
// of (1/400), one of (−19/400) and one of (361/400).
func autocorrJump() float64 {
	return (37.0 - 19 + 361) / 400 / (760.0 / 400)
}
