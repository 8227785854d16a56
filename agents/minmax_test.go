package agents_test

import (
	"math"
	"testing"
)

// TestBuiltinMinMaxIsMath: the agents' decisions (of the prime brokers',
// the haircut), the recorder's VIX proxy, the unwound books, the compression
// buffer and the funding spread call the builtin min and max where they
// called math.Min and math.Max, which are calls on amd64. The two give the
// same bits, signed zeros included, except where one argument is the
// infinity that wins (−Inf for min, +Inf for max) and the other is NaN:
// math's special cases give the infinity, the builtin NaN. This test pins
// both facts. Each call that was replaced has an argument that cannot be
// that infinity: a finite constant, a validated parameter, a ratio of
// nonnegative numbers, or a price or exchange rate, which stay positive.
func TestBuiltinMinMaxIsMath(t *testing.T) {
	vals := []float64{math.Copysign(0, -1), 0, 5e-324, -5e-324, 1e-300, -1e-300, 0.5, 1, -1, 3,
		1e300, -1e300, math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN()}
	cases := []struct {
		name      string
		got, want func(x, y float64) float64
		wins      float64 // the infinity math's special cases prefer to NaN
	}{
		{"min", func(x, y float64) float64 { return min(x, y) }, math.Min, math.Inf(-1)},
		{"max", func(x, y float64) float64 { return max(x, y) }, math.Max, math.Inf(1)},
	}
	same := func(a, b float64) bool {
		return math.IsNaN(a) && math.IsNaN(b) || math.Float64bits(a) == math.Float64bits(b)
	}
	for _, c := range cases {
		for _, x := range vals {
			for _, y := range vals {
				got, want := c.got(x, y), c.want(x, y)
				if x == c.wins && math.IsNaN(y) || y == c.wins && math.IsNaN(x) {
					if !math.IsNaN(got) || want != c.wins {
						t.Errorf("%s(%v, %v): builtin %v, math %v; want NaN and %v", c.name, x, y, got, want, c.wins)
					}
					continue
				}
				if !same(got, want) {
					t.Errorf("%s(%v, %v): builtin %v (bits %x), math %v (bits %x)", c.name, x, y,
						got, math.Float64bits(got), want, math.Float64bits(want))
				}
			}
		}
	}
}
