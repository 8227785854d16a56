package sim_test

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestBrokerCapitalOffStartsCalm checks that switching broker_capital off
// changes nothing at the start of a run: dealers' capacity rests on their
// starting capital, which equals their capital now, so utilization, depth,
// funding spreads and the basis after Build are those of the run with the
// channel on. (They used to be read before the starting capital was set:
// every dealer started insolvent, utilization infinite, depth at its floor
// and funding at full stress for the first tick.)
func TestBrokerCapitalOffStartsCalm(t *testing.T) {
	for _, name := range []string{"aug2024", "apr2025"} {
		t.Run(name, func(t *testing.T) {
			on, err := scenarios.Load(name, nil)
			if err != nil {
				t.Fatal(err)
			}
			off, err := scenarios.Load(name, []string{"channels.off=[broker_capital]"})
			if err != nil {
				t.Fatal(err)
			}
			mOn, err := sim.Build(&on.File.Config, 1)
			if err != nil {
				t.Fatal(err)
			}
			mOff, err := sim.Build(&off.File.Config, 1)
			if err != nil {
				t.Fatal(err)
			}
			if mOff.W.Channels.BrokerCapital || !mOn.W.Channels.BrokerCapital {
				t.Fatal("channel settings not as loaded")
			}
			wOn, wOff := mOn.W, mOff.W
			if u := wOff.DealerUtil; math.IsInf(u, 0) || math.IsNaN(u) || u != wOn.DealerUtil {
				t.Errorf("utilization %v with broker_capital off, %v with it on", u, wOn.DealerUtil)
			}
			if d := mOff.M.Depth; d != mOn.M.Depth {
				t.Errorf("depth factor %v off, %v on", d, mOn.M.Depth)
			}
			for c := range wOn.Spread {
				if wOff.Spread[c] != wOn.Spread[c] {
					t.Errorf("spread of currency %d: %v off, %v on", c, wOff.Spread[c], wOn.Spread[c])
				}
			}
			if wOff.XCCYBasis != wOn.XCCYBasis {
				t.Errorf("basis %v off, %v on", wOff.XCCYBasis, wOn.XCCYBasis)
			}
			for k := range mOn.M.Dealers {
				if c, want := mOff.M.Dealers[k].Capacity(), mOn.M.Dealers[k].Capacity(); c != want || !(c > 0) {
					t.Errorf("dealer %d: capacity %v off, %v on", k, c, want)
				}
			}
		})
	}
}
