package core

import (
	"math"
	"testing"
)

// TestEWMAVols: Vols is every asset's Vol, bit for bit, at the start and
// after each update (the hand-computed update of TestEWMAUpdate: vols
// 0.0182842712474619 and 0.017667258824049764), and stays the estimator's
// current vector across updates.
func TestEWMAVols(t *testing.T) {
	e := NewEWMA(2, []float64{0.01, 0.02, 0.03}, [][]float64{{1, 0.5, 0}, {0.5, 1, 0}, {0, 0, 1}})
	for k, r := range [][]float64{nil, {0.03, -0.01, 0}, {-0.02, 0.05, 0.01}} {
		if r != nil {
			e.Update(r)
		}
		v := e.Vols()
		if len(v) != 3 {
			t.Fatalf("update %d: %d volatilities, want 3", k, len(v))
		}
		for i := range v {
			if math.Float64bits(v[i]) != math.Float64bits(e.Vol(i)) {
				t.Errorf("update %d: Vols()[%d] = %v, Vol(%d) = %v", k, i, v[i], i, e.Vol(i))
			}
		}
		if k == 1 && (math.Abs(v[0]-0.0182842712474619) > 1e-17 || math.Abs(v[1]-0.017667258824049764) > 1e-17) {
			t.Errorf("after the first update: %v, want 0.0182842712474619 and 0.017667258824049764 first", v)
		}
	}
}
