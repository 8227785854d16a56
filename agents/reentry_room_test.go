package agents_test

import (
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// TestReentryResidualRoom: two carry trades at one broker (6x and 1x,
// yen-funded) exit on a BOJ hike and re-enter after a cut, their builds
// sharing USDJPY's hourly participation limit. When the first trade's slice
// leaves only a rounding residue of the limit (about 1e-7 USD), the second
// trade must wait for the next tick. Before, reenter saw room > 0 and
// committed it (closed--, building++, trade_entry logged) while grow bought
// nothing; the next tick ended the build of the still-inactive trade, and
// with no trade counted as closed it never came back (16 of these 100 ADVs).
// Both trades must end up active, with one trade_entry each.
func TestReentryResidualRoom(t *testing.T) {
	lost := 0
	for k := 0; k < 100; k++ {
		adv := 1e11 * (1 + float64(0.0137*float64(k)))
		cfg := oneFund(agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Participation: 0.2,
			CarryExit: 0.3, Reentry: 1.2, ReentryDays: 1,
			Trades: []agents.TradeSpec{
				{Kind: "carry", Broker: "PB", Leverage: 6, Asset: "cash"},
				{Kind: "carry", Broker: "PB", Leverage: 1, Asset: "cash"},
			}}, "USDJPY")
		cfg.Assets[0].ADV = adv
		cfg.Events = []sim.EventSpec{
			{Tick: 2, Kind: "policy_rate", Currency: "JPY", Rate: 0.03},
			{Tick: 10, Kind: "policy_rate", Currency: "JPY", Rate: 0.001},
		}
		m, _ := build(t, cfg)
		f := agentOf[*agents.HedgeFund](t, m, "fund")
		entries := 0
		for tick := 0; tick < 120; tick++ {
			step(t, m, 1)
			for _, e := range m.W.Events() {
				if e.Kind == core.EvTradeEntry {
					entries++
				}
			}
		}
		a, b := f.Trades()[0], f.Trades()[1]
		if entries != 2 || !a.Active || !b.Active {
			lost++
			if lost <= 3 {
				t.Errorf("adv %.6g: %d trade_entry events logged, but trade 1 active %v, trade 2 active %v (units %v of %v) after 120 ticks",
					adv, entries, a.Active, b.Active, b.Units, b.Units0)
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of 100 ADVs left a re-entered trade closed for good", lost)
	}
}
