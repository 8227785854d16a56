package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestEWMAUpdateExact: Update, which keeps the lower triangle only and
// walks its rows through slices kept at construction, two rows at a time
// (the last alone when the count is odd), gives every
// covariance, variance and volatility bit for bit as the RiskMetrics
// recursion written out on the upper triangle, entry (i, j ≥ i) becoming
// λ·c + (r_i·(1 − λ))·r_j and its mirror the same. For one asset, a few
// and ten, from correlated starting matrices (whose two triangles, as
// Reset multiplies them, differ in the last bit), over 300 ticks of
// returns with zeros and outliers among them, with a Reset half way; and
// before any update every covariance reads as Reset wrote it.
func TestEWMAUpdateExact(t *testing.T) {
	for _, tc := range []struct {
		n        int
		halfLife float64
	}{{1, 12}, {2, 0.5 * 24}, {3, 5 * 24}, {5, 1.5}, {10, 20 * 24}} {
		rng := rand.New(rand.NewPCG(uint64(tc.n), 7))
		n := tc.n
		vol := make([]float64, n)
		corr := make([][]float64, n)
		for i := range vol {
			vol[i] = 0.001 * (1 + rng.Float64())
			corr[i] = make([]float64, n)
			corr[i][i] = 1
		}
		for i := 0; i < n; i++ {
			for j := 0; j < i; j++ {
				c := 0.6 * (rng.Float64() - 0.3)
				corr[i][j], corr[j][i] = c, c
			}
		}
		e := NewEWMA(tc.halfLife, vol, corr)
		l := e.lambda
		full := make([]float64, n*n) // the reference: the upper triangle recursion, mirrored
		reset := func() {
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					full[i*n+j] = corr[i][j] * vol[i] * vol[j]
				}
			}
		}
		reset()
		check := func(tick int) {
			t.Helper()
			for i := 0; i < n; i++ {
				if got, want := e.Var(i), full[i*n+i]; math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("n %d, tick %d: Var(%d) = %v, want %v", n, tick, i, got, want)
				}
				if tick >= 0 {
					if got, want := e.Vol(i), math.Sqrt(full[i*n+i]); math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("n %d, tick %d: Vol(%d) = %v, want %v", n, tick, i, got, want)
					}
				}
				for j := 0; j < n; j++ {
					if got, want := e.Cov(i, j), full[i*n+j]; math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("n %d, tick %d: Cov(%d, %d) = %v, want %v", n, tick, i, j, got, want)
					}
				}
			}
		}
		check(-1)
		r := make([]float64, n)
		for tick := 0; tick < 300; tick++ {
			if tick == 150 {
				e.Reset(vol, corr)
				reset()
				check(-1)
			}
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
			check(tick)
		}
	}
}
