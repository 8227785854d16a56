package sim

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
)

// TestCallMetThroughDueTick pins the order of a clearing round (MODEL.md
// §5): brokers margin, agents decide, the market clears and settles, and
// defaults are judged last, on the round's marks. A fund 4× long SPX, its
// whole equity posted at a broker margining on gross (haircut 20%, window
// two ticks), is called when SPX falls 8% at tick 3; the call falls due at
// tick 5. A fund that may sell $125m a tick (3% of SPX's $100bn a day,
// over 24 ticks) needs the due tick too: it sells in ticks 3, 4 and 5 and
// meets the call in tick 5 without defaulting. A fund that leaves its calls
// to the broker (liquidation: none) sells nothing, defaults at the end of
// round 0 of tick 5 (a round without orders), and its broker fire-sells in
// round 1 of the same tick. Before this order the engine judged defaults
// at the start of a round, before the agents decided: both funds defaulted
// at the start of tick 5 and the broker sold in round 0.
func TestCallMetThroughDueTick(t *testing.T) {
	for _, c := range []struct {
		name        string
		liquidation string
		defaults    bool
	}{
		{"sells through its due tick", "", false},
		{"leaves the call to its broker", "none", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := smallWorld("SPX")
			cfg.Ticks = 8
			cfg.Channels.Off = []string{"offset_drop"}
			b := testBroker("X", 5e10, false)
			b.SettleDays = 2.0 / 24
			b.Floor, b.Kappa, b.Haircuts["equity"] = 1, 0, 0.2
			cfg.Brokers = []agents.PrimeBrokerSpec{b}
			cfg.Agents = []AgentSpec{{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "fund", Equity: 1e9,
				Liquidation: c.liquidation, Participation: 0.03, Cushion: 1.2,
				Trades: []agents.TradeSpec{{Kind: "equity", Broker: "X", Leverage: 4, Asset: "SPX"}}}}}
			cfg.Events = []EventSpec{{Tick: 3, Kind: "shock", Shocks: map[string]float64{"SPX": -0.08}}}
			const due = 5
			var sold [8]float64 // the fund's margin-call sales by tick
			var callDue, calledAt, defaultAt, defaultRound, liqRound = -1, -1, -1, -1, -1
			var brokerSold float64 // at the tick of the default
			run(t, cfg, func(m *Model, f *Frame) {
				h := holder(m, "fund")
				sold[f.Tick] = f.Sold[core.HedgeFund][core.MarginCall]
				if f.Tick == 4 {
					callDue = h.Accounts[1].CallDue
					if h.Accounts[1].Call <= 0 {
						t.Errorf("no call open at the end of tick 4 (call %v)", h.Accounts[1].Call)
					}
				}
				if f.Tick == due && !h.Defaulted && h.Calls != 0 {
					t.Errorf("the call is still open at the end of its due tick: %v", h.Accounts[1].Call)
				}
				for _, e := range f.Events {
					switch {
					case e.Kind == core.EvMarginCall && e.Agent == "fund" && calledAt < 0:
						calledAt = e.Tick
					case e.Kind == core.EvDefault && e.Agent == "fund":
						defaultAt, defaultRound = e.Tick, e.Round
						brokerSold = f.Sold[core.PrimeBroker][core.DefaultLiquidation]
					case e.Kind == core.EvLiquidation && e.Agent == "X" && liqRound < 0:
						liqRound = e.Round
					}
				}
			})
			if calledAt != 3 || callDue != due {
				t.Fatalf("the call came at tick %d, due %d; want 3 and %d", calledAt, callDue, due)
			}
			if !c.defaults {
				if defaultAt >= 0 {
					t.Errorf("the fund defaulted at tick %d round %d: it could meet its call through tick %d", defaultAt, defaultRound, due)
				}
				for tick, want := range []float64{0, 0, 0, 1.25e8, 1.25e8, 1.25e8, 0, 0} {
					if math.Abs(sold[tick]-want) > 1e-9*1.25e8 {
						t.Errorf("tick %d: the fund sold $%.6g to meet its call, want $%.6g", tick, sold[tick], want)
					}
				}
				return
			}
			if defaultAt != due || defaultRound != 0 {
				t.Errorf("the fund defaulted at tick %d round %d, want tick %d round 0 (at the end of the round)", defaultAt, defaultRound, due)
			}
			if liqRound != 1 || !(brokerSold > 0) {
				t.Errorf("the broker first fire-sold in round %d ($%.4g in the tick of the default), want round 1 of tick %d", liqRound, brokerSold, due)
			}
			for tick, s := range sold {
				if s != 0 {
					t.Errorf("tick %d: the fund sold $%.4g with liquidation none", tick, s)
				}
			}
		})
	}
}
