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

// TestReentryWaitsForOpen: a fund reviewing its rules once a day at 23:00
// UTC, when New York does not trade, stops out of an S&P trade and is then
// cleared to re-enter it at a review (ODD N13). The re-entry waits for the
// open and builds there; it used to be skipped at every review, since the
// market is shut at all of them, so the trade never re-opened.
func TestReentryWaitsForOpen(t *testing.T) {
	cfg := oneFund(agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Reentry: 100, ReentryDays: 1,
		ReviewHours: 24, ReviewHour: 23,
		Trades: []agents.TradeSpec{{Kind: "equity", Broker: "PB", Leverage: 2, Asset: "SPX", StopLoss: 0.05}}}, "SPX")
	cfg.Assets[0].Session = "new_york"
	cfg.Events = []sim.EventSpec{{Tick: 14, Kind: "shock", Shocks: map[string]float64{"SPX": -0.1}}} // Mon 29 Jul, 14:00 UTC
	m, a := build(t, cfg)
	f := agentOf[*agents.HedgeFund](t, m, "fund")
	var exit, entry int = -1, -1
	for tick := 0; tick < 24*8; tick++ {
		step(t, m, 1)
		checkAudit(t, a, m.W, "re-entry at the open")
		for _, e := range m.W.Events() {
			switch {
			case e.Kind == core.EvTradeExit && exit < 0:
				exit = tick
			case e.Kind == core.EvTradeEntry && entry < 0:
				entry = tick
				if !m.W.Trades(0) {
					t.Errorf("tick %d: trade_entry logged while New York is shut", tick)
				}
			}
		}
	}
	tr := f.Trades()[0]
	if exit < 0 || entry <= exit || !tr.Active || !(tr.Units > 0) {
		t.Fatalf("exit at tick %d, entry at tick %d, trade active %v with %v units: want it stopped out, then re-opened",
			exit, entry, tr.Active, tr.Units)
	}
	if h := entry % 24; h < 13 || h > 19 {
		t.Errorf("re-entered at %d:00 UTC, want within New York's session (13:00-19:00)", h)
	}
	t.Logf("stopped out at tick %d, re-entered at tick %d", exit, entry)
}
