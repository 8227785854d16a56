package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestEWMAUpdateExact: Update, which walks the upper triangle's rows
// through slices kept at construction, gives every covariance, variance
// and volatility bit for bit as the RiskMetrics recursion written out
// entry by entry, for one asset, a few and ten, over 300 ticks of returns
// with zeros and outliers among them.
func TestEWMAUpdateExact(t *testing.T) {
	for _, tc := range []struct {
		n        int
		halfLife float64
	}{{1, 12}, {2, 0.5 * 24}, {3, 5 * 24}, {5, 1.5}, {10, 20 * 24}} {
		rng := rand.New(rand.NewPCG(uint64(tc.n), 7))
		vol := make([]float64, tc.n)
		for i := range vol {
			vol[i] = 0.001 * (1 + rng.Float64())
		}
		e := NewEWMA(tc.halfLife, vol, nil)
		n, l := tc.n, e.lambda
		full := make([]float64, n*n) // the reference, every entry updated
		for i := range vol {
			full[i*n+i] = vol[i] * vol[i]
		}
		r := make([]float64, n)
		for tick := 0; tick < 300; tick++ {
			for i := range r {
				switch rng.IntN(8) {
				case 0:
					r[i] = 0
				case 1:
					r[i] = 0.05 * rng.NormFloat64()
				default:
					r[i] = vol[i] * rng.NormFloat64()
				}
			}
			e.Update(r)
			for i := 0; i < n; i++ {
				ri := r[i] * (1 - l)
				for j := i; j < n; j++ {
					v := float64(l*full[i*n+j]) + float64(ri*r[j])
					full[i*n+j], full[j*n+i] = v, v
				}
			}
			for i := 0; i < n; i++ {
				if got, want := e.Var(i), full[i*n+i]; math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("n %d, tick %d: Var(%d) = %v, want %v", n, tick, i, got, want)
				}
				if got, want := e.Vol(i), math.Sqrt(full[i*n+i]); math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("n %d, tick %d: Vol(%d) = %v, want %v", n, tick, i, got, want)
				}
				for j := 0; j < n; j++ {
					if got, want := e.Cov(i, j), full[i*n+j]; math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("n %d, tick %d: Cov(%d, %d) = %v, want %v", n, tick, i, j, got, want)
					}
				}
			}
		}
	}
}
