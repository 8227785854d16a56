package sim

import (
	"slices"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestImpactVolShared: in a world whose markets never close (the
// standard world of the benchmarks), conventions.impact_vol: spread reads
// the EWMA of half a day that brokers keep anyway instead of keeping one
// of its own, and the run is the same, bit for bit, as with a SpreadVol of
// its own.
func TestImpactVolShared(t *testing.T) {
	run := func(own bool) (prices []float64, shared bool) {
		m, err := Build(benchWorld(), 7)
		if err != nil {
			t.Fatal(err)
		}
		shared = m.spreadVol == nil && m.liqVol != nil
		if own {
			vol0 := make([]float64, len(m.W.Assets))
			for i := range vol0 {
				vol0[i] = m.W.Est.Calm(i)
			}
			m.spreadVol, m.liqVol = core.NewSpreadVol(m.liqVol.HalfLife, vol0), nil
		}
		for range 300 {
			if err := m.Step(); err != nil {
				t.Fatal(err)
			}
			prices = append(prices, m.W.Price...)
			prices = append(prices, m.M.VolScale...)
		}
		return prices, shared
	}
	a, shared := run(false)
	if !shared {
		t.Fatal("the standard world keeps an impact estimator of its own: the shortcut is not taken")
	}
	b, _ := run(true)
	if !slices.Equal(a, b) {
		t.Error("prices or impact scales differ between the shared EWMA and a SpreadVol of the run's own")
	}
	moved := false
	n := len(benchWorld().Assets)
	for i, x := range a {
		if i%(2*n) >= n && x > 1 { // the scale part of each tick
			moved = true
		}
	}
	if !moved {
		t.Error("no impact scale above 1 in 300 ticks: the comparison compares nothing")
	}
}
