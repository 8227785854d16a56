package sweep

import (
	"math"
	"testing"
)

// TestTQuantile975: Student's 97.5% quantile against the printed tables
// (to their four decimals), and the normal's 1.96 as the degrees of
// freedom grow.
func TestTQuantile975(t *testing.T) {
	for _, c := range []struct {
		nu   int
		want float64
	}{
		{1, 12.7062}, {2, 4.3027}, {3, 3.1824}, {9, 2.2622}, {19, 2.0930}, {39, 2.0227}, {1000, 1.9623},
	} {
		if got := TQuantile975(c.nu); math.Abs(got-c.want) > 5e-5 {
			t.Errorf("TQuantile975(%d) = %.6f, want %.4f", c.nu, got, c.want)
		}
	}
}

// TestSpreadOf: the mean, standard error and 95% interval of a list of
// per-seed values against a hand computation (1 ... 10: mean 5.5, sample
// variance 82.5/9, SE √(82.5/90) = 0.957427, interval 5.5 ± 2.262157·SE),
// a seed without a value left out, one value without an interval, equal
// values with an interval of a point, and whether the interval holds 0.
func TestSpreadOf(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name             string
		xs               []float64
		n                int
		mean, se, lo, hi float64
		p05, p95         float64
		zeroIn           bool
	}{
		{"1 to 10", []float64{3, 1, 4, 10, 5, 9, 2, 6, 8, 7}, 10, 5.5, 0.9574271077563381, 5.5 - 2.2621571628*0.9574271077563381, 5.5 + 2.2621571628*0.9574271077563381, 1, 10, false},
		{"a seed missing", []float64{nan, 2, 4}, 2, 3, 1, 3 - 12.7062047362, 3 + 12.7062047362, 2, 4, true},
		{"either side of 0", []float64{-0.02, 0.01, 0.03}, 3, 0.02 / 3, 0.014529663145135578, 0.02/3 - 4.3026527297*0.014529663145135578, 0.02/3 + 4.3026527297*0.014529663145135578, -0.02, 0.03, true},
		{"all equal", []float64{0, 0, 0}, 3, 0, 0, 0, 0, 0, 0, true},
		{"one seed", []float64{7}, 1, 7, nan, nan, nan, 7, 7, false},
	} {
		sp := SpreadOf(c.xs)
		near := func(got float64, want float64) bool {
			return math.IsNaN(got) && math.IsNaN(want) || math.Abs(got-want) <= 1e-9
		}
		if sp.N != c.n || !near(float64(sp.Mean), c.mean) || !near(float64(sp.SE), c.se) || !near(float64(sp.CI95Low), c.lo) ||
			!near(float64(sp.CI95High), c.hi) || !near(float64(sp.P05), c.p05) || !near(float64(sp.P95), c.p95) {
			t.Errorf("%s: n %d, mean %v, SE %v, 95%% CI %v – %v, range %v – %v; want %d, %v, %v, %v – %v, %v – %v",
				c.name, sp.N, sp.Mean, sp.SE, sp.CI95Low, sp.CI95High, sp.P05, sp.P95, c.n, c.mean, c.se, c.lo, c.hi, c.p05, c.p95)
		}
		if sp.ZeroInCI() != c.zeroIn {
			t.Errorf("%s: ZeroInCI %v, want %v", c.name, sp.ZeroInCI(), c.zeroIn)
		}
		if len(sp.Values) != len(c.xs) {
			t.Errorf("%s: %d values, want %d", c.name, len(sp.Values), len(c.xs))
		}
	}
}
