package sim

import (
	"math"
	"testing"
)

// TestVIXStressSaturates: the VIX proxy's dealer-stress add-on is
// vix_stress times the stress the funding spreads price, min(max(0,
// u − u_star), 1), so a dealer sector with no capital left (utilization
// +Inf) adds vix_stress points and the proxy stays finite. Before, it
// added vix_stress·(u − u_star) without bound: +Inf from the first tick
// in a world whose dealers had no capacity.
func TestVIXStressSaturates(t *testing.T) {
	r := recorder{vixStress: 20, uStar: 0.5, vixBase: 18}
	for _, c := range []struct{ u, want float64 }{
		{0.3, 18},
		{0.5, 18},
		{0.9, 18 + 8},
		{1.5, 18 + 20},
		{3, 18 + 20},
		{math.Inf(1), 18 + 20},
	} {
		// Not trading: the realized part holds at vixBase.
		if got := r.vixProxy(0, false, c.u); got != c.want {
			t.Errorf("u = %v: VIX %v, want %v", c.u, got, c.want)
		}
	}
}
