package sim

import (
	"math"
	"testing"
)

// TestVolScaleIsMathMinMax: volScale, which clamps the square-root law's
// volatility ratio with the builtins, gives math.Min(maxVolScale,
// math.Max(1, v)) bit for bit, NaN, infinities and signed zeros included.
func TestVolScaleIsMathMinMax(t *testing.T) {
	vals := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0,
		5e-324, -5e-324, 1e-300, 0.5, math.Nextafter(1, 0), 1, math.Nextafter(1, 2), 1.5, 2,
		math.Nextafter(maxVolScale, 0), maxVolScale, math.Nextafter(maxVolScale, 5), 4.5, 1e300,
		-1, -1e300, math.MaxFloat64}
	for _, v := range vals {
		got, want := volScale(v), math.Min(maxVolScale, math.Max(1, v))
		if math.IsNaN(got) != math.IsNaN(want) || !math.IsNaN(want) && math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("volScale(%v) = %v, math.Min(%v, math.Max(1, v)) = %v", v, got, float64(maxVolScale), want)
		}
	}
}
