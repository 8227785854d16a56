package agents_test

import (
	"testing"
	"time"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// cbWorld builds a central bank following spec in a world of the given
// assets, and returns it.
func cbWorld(t *testing.T, spec agents.CentralBankSpec, ids ...string) (*sim.Model, *agents.CentralBank) {
	cfg := config(ids...)
	spec.ID = "cb"
	cfg.Agents = []sim.AgentSpec{{Kind: "central_bank", CentralBank: &spec}}
	for k := range cfg.Assets {
		if cfg.Assets[k].ID == "USDJPY" {
			cfg.Assets[k].Price = 160
		}
	}
	m, _ := build(t, cfg)
	return m, agentOf[*agents.CentralBank](t, m, "cb")
}

// policyEvents counts the policy events logged in the current tick.
func policyEvents(w *core.World) int {
	n := 0
	for _, e := range w.Events() {
		if e.Kind == core.EvPolicy {
			n++
		}
	}
	return n
}

// TestAccommodation: at the start of a tick (Policy) the rule fires once NKY is 8% below its running peak,
// moving the expected yen rate by −25bp, and never again.
func TestAccommodation(t *testing.T) {
	m, cb := cbWorld(t, agents.CentralBankSpec{Rule: "accommodation", Asset: "NKY", Drawdown: 0.08, Currency: "JPY", Delta: -0.0025}, "USDJPY", "NKY")
	w := m.W
	nky := asset(t, m, "NKY")
	for _, c := range []struct {
		to       float64 // NKY as a multiple of 38000
		expected float64 // expected yen rate after
	}{
		{1.05, 0.001},                  // a new peak at 39900
		{1.05 * 0.93, 0.001},           // 7% off the peak
		{1.05 * 0.915, 0.001 - 0.0025}, // 8.5% off: fires
		{1.05 * 0.80, 0.001 - 0.0025},  // further falls: no second move
		{1.05 * 0.915, 0.001 - 0.0025},
	} {
		move(t, m, map[string]float64{"NKY": 38000*c.to/w.Price[nky] - 1})
		w.ResetEvents()
		fired := w.Expected[1]
		cb.Policy(w) // at the start of a tick, on the last close
		if o := decide(m, cb); len(o) != 0 {
			t.Errorf("orders %+v", o)
		}
		if !rel(w.Expected[1], c.expected, 1e-12) {
			t.Errorf("NKY at %.3f × 38000: expected yen rate %v, want %v", c.to, w.Expected[1], c.expected)
		}
		if n := policyEvents(w); (n == 1) != (w.Expected[1] != fired) {
			t.Errorf("NKY at %.3f × 38000: %d policy events", c.to, n)
		}
	}
}

// TestFacilityRule: the repo facility switches on once the USD repo
// spread passes the trigger.
func TestFacilityRule(t *testing.T) {
	m, cb := cbWorld(t, agents.CentralBankSpec{Rule: "facility", Trigger: 0.004}, "SPX")
	w := m.W
	for _, c := range []struct {
		spread float64
		on     bool
		events int
	}{{0.003, false, 0}, {0.004, false, 0}, {0.0045, true, 1}, {0.006, true, 0}} {
		w.Spread[core.USD] = c.spread
		w.ResetEvents()
		cb.Policy(w)
		if o := decide(m, cb); len(o) != 0 {
			t.Errorf("orders %+v", o)
		}
		if w.Facility != c.on || policyEvents(w) != c.events {
			t.Errorf("spread %v: facility %v with %d events, want %v and %d", c.spread, w.Facility, policyEvents(w), c.on, c.events)
		}
	}
}

// TestFXIntervention: above 158 the finance ministry sells $2e10 for yen,
// at most once every two days, while its reserves ($5e10) last; below the
// trigger it does nothing.
func TestFXIntervention(t *testing.T) {
	for _, trigger := range []float64{158, 165} {
		m, cb := cbWorld(t, agents.CentralBankSpec{Rule: "fx_intervention", Asset: "USDJPY", Trigger: trigger, Amount: 2e10, CooldownDays: 2, Reserves: 5e10}, "USDJPY")
		var ticks []int
		for tick := 0; tick < 150; tick++ {
			step(t, m, 1)
			if s := m.M.Sold[core.CentralBank][core.Intervention]; s != 0 {
				ticks = append(ticks, tick)
				if !rel(s, 2e10, 1e-12) {
					t.Errorf("tick %d: sold $%v", tick, s)
				}
			}
		}
		want := []int{0, 48}
		if trigger > 160 {
			want = nil
		}
		if len(ticks) != len(want) || (len(want) == 2 && (ticks[0] != 0 || ticks[1] != 48)) {
			t.Errorf("trigger %v: interventions at ticks %v, want %v", trigger, ticks, want)
		}
		if trigger == 158 {
			h := cb.Holder()
			if !rel(h.Cash[1], 4e10*160, 1e-4) || !(h.Cash[core.USD] > 1e10 && h.Cash[core.USD] < 1.01e10) {
				t.Errorf("reserves left $%v, yen bought %v", h.Cash[core.USD], h.Cash[1])
			}
		}
	}
}

// TestFXInterventionBuysUSD: with side buy_usd the ministry buys $2e10
// with yen while USDJPY (160) is below the trigger (162), at most once
// every two days, while its yen reserves (¥7e12: two purchases at about
// 160, not a third) last; above the trigger (158) it does nothing. The
// dollars bought and the yen paid are on its books.
func TestFXInterventionBuysUSD(t *testing.T) {
	for _, trigger := range []float64{162, 158} {
		m, cb := cbWorld(t, agents.CentralBankSpec{Rule: "fx_intervention", Side: "buy_usd", Asset: "USDJPY", Trigger: trigger, Amount: 2e10, CooldownDays: 2, Reserves: 7e12}, "USDJPY")
		h := cb.Holder()
		var ticks []int
		usd := h.Cash[core.USD]
		for tick := 0; tick < 150; tick++ {
			step(t, m, 1)
			// Cash earns interest at the close: a purchase is a jump of
			// $2e10, give or take the day's interest.
			if d := h.Cash[core.USD] - usd; d > 1e9 {
				ticks = append(ticks, tick)
				if !rel(d, 2e10, 1e-3) {
					t.Errorf("tick %d: bought $%v", tick, d)
				}
			}
			usd = h.Cash[core.USD]
			if m.M.Sold[core.CentralBank][core.Intervention] != 0 {
				t.Fatalf("tick %d: the ministry sold dollars", tick)
			}
		}
		want := []int{0, 48}
		if trigger < 160 {
			want = nil
		}
		if len(ticks) != len(want) || (len(want) == 2 && (ticks[0] != 0 || ticks[1] != 48)) {
			t.Errorf("trigger %v: purchases at ticks %v, want %v", trigger, ticks, want)
		}
		if spent := 7e12 - h.Cash[1]; trigger > 160 && !(spent > 2*2e10*159 && spent < 2*2e10*161) {
			t.Errorf("yen spent %v, want about %v", spent, 2*2e10*160)
		}
	}
	// The default reserves are ten purchases at the starting rate, in yen.
	_, cb := cbWorld(t, agents.CentralBankSpec{Rule: "fx_intervention", Side: "buy_usd", Asset: "USDJPY", Trigger: 162, Amount: 2e10}, "USDJPY")
	if h := cb.Holder(); !rel(h.Cash[1], 10*2e10*160, 1e-12) || h.Cash[core.USD] != 0 {
		t.Errorf("default reserves: ¥%v and $%v, want ¥%v", h.Cash[1], h.Cash[core.USD], 10*2e10*160)
	}
}

// TestAssetPurchase: the rule buys ¥100bn of NKY, at the price before the
// round, once NKY is 5% or more below the running peak of its prices, at
// most once a day; it buys nothing 4% off the peak or once NKY has
// recovered.
func TestAssetPurchase(t *testing.T) {
	m, cb := cbWorld(t, agents.CentralBankSpec{Rule: "asset_purchase", Asset: "NKY", Drawdown: 0.05, Amount: 1e11, CooldownDays: 1}, "USDJPY", "NKY")
	w := m.W
	nky := asset(t, m, "NKY")
	for _, c := range []struct {
		tick int
		to   float64 // NKY as a multiple of 38000
		buy  bool
	}{
		{0, 1.04, false},        // a new peak at 39520
		{1, 1.04 * 0.96, false}, // 4% off the peak
		{2, 1.04 * 0.945, true}, // 5.5% off: buys
		{3, 1.04 * 0.90, false}, // further off, within a day of the last purchase
		{26, 1.04 * 0.90, true}, // a day later
		{50, 1.04 * 0.99, false},
		{80, 1.06, false}, // a new peak
		{81, 1.06 * 0.955, false},
		{82, 1.06 * 0.945, true}, // 5.5% off the new peak
	} {
		w.Tick = c.tick
		move(t, m, map[string]float64{"NKY": 38000*c.to/w.Price[nky] - 1})
		o := decide(m, cb)
		switch {
		case !c.buy && len(o) != 0:
			t.Errorf("tick %d, NKY at %.4f × 38000: orders %+v, want none", c.tick, c.to, o)
		case c.buy && (len(o) != 1 || o[0].Asset != nky || o[0].Reason != core.Intervention || !rel(o[0].Units, 1e11/w.Price[nky], 1e-12)):
			t.Errorf("tick %d, NKY at %.4f × 38000: orders %+v, want %.6g units of NKY for intervention", c.tick, c.to, o, 1e11/w.Price[nky])
		}
	}
}

// TestAssetPurchaseReserves: after a 10% fall the rule buys ¥100bn of NKY
// a day from its ¥250bn of reserves, twice, and then stops with about
// ¥50bn left (its cash earns the yen rate) and the units it bought on its
// books.
func TestAssetPurchaseReserves(t *testing.T) {
	cfg := config("USDJPY", "NKY")
	cfg.Agents = []sim.AgentSpec{{Kind: "central_bank", CentralBank: &agents.CentralBankSpec{ID: "cb", Rule: "asset_purchase", Asset: "NKY", Drawdown: 0.05, Amount: 1e11, CooldownDays: 1, Reserves: 2.5e11}}}
	cfg.Events = []sim.EventSpec{{Tick: 0, Kind: "shock", Shocks: map[string]float64{"NKY": -0.1}}}
	m, _ := build(t, cfg)
	var ticks []int
	for tick := 0; tick < 100; tick++ {
		step(t, m, 1)
		if b := m.M.Bought[core.CentralBank][core.Intervention]; b != 0 {
			ticks = append(ticks, tick)
		}
	}
	if len(ticks) != 2 || ticks[0] != 0 || ticks[1] != 24 {
		t.Errorf("purchases at ticks %v, want [0 24]", ticks)
	}
	h := holder(t, m, "cb")
	jpy := m.W.Assets[asset(t, m, "NKY")].Currency
	if !(h.Cash[jpy] > 4.99e10 && h.Cash[jpy] < 5.01e10) || !rel(h.Units(asset(t, m, "NKY")), 2e11/34200, 1e-9) {
		t.Errorf("reserves left ¥%v, NKY held %v: want about ¥5e10 and ¥2e11 bought at ¥34200", h.Cash[jpy], h.Units(asset(t, m, "NKY")))
	}
}

// TestDealerAgent: a dealer takes no decisions of its own; the market fills
// it and lays its inventory off.
func TestDealerAgent(t *testing.T) {
	cfg := config("SPX")
	cfg.Agents = []sim.AgentSpec{{Kind: "bank", Bank: &agents.BankSpec{ID: "bank", Equity: 1e9, Holdings: map[string]float64{"SPX": 2e10},
		MinRatio: 0.01, BufferRatio: 0.04, TargetRatio: 0.05}}}
	cfg.Dealers[0].LayoffDays = 1
	cfg.Events = []sim.EventSpec{{Tick: 1, Kind: "shock", Shocks: map[string]float64{"SPX": -0.02}}}
	m, a := build(t, cfg)
	d := agentOf[*agents.DealerAgent](t, m, "dealer")
	if !rel(m.W.NAV(d.Holder()), 1e12, 1e-12) {
		t.Errorf("dealer capital %v", m.W.NAV(d.Holder()))
	}
	if o := decide(m, d); len(o) != 0 {
		t.Errorf("dealer orders %+v", o)
	}
	step(t, m, 2) // the bank (4.8% → 3.1%) sells to its target; the dealer buys
	spx := asset(t, m, "SPX")
	u := d.Holder().Accounts[0].Units[spx]
	if !(u > 0) {
		t.Fatalf("dealer holds %v SPX after the bank's sale", u)
	}
	step(t, m, 24)
	// layoff_days 1 at hourly ticks: half passes on in 24 ticks.
	if u2 := d.Holder().Accounts[0].Units[spx]; !(u2 > 0.45*u && u2 < 0.55*u) {
		t.Errorf("dealer inventory %v a day later, want about half of %v laid off", u2, u)
	}
	checkAudit(t, a, m.W, "dealer")
	if _, err := (&agents.DealerSpec{ID: "d", LevLimit: 10}).Build(&agents.Env{W: m.W}); err == nil {
		t.Error("a dealer without capital was built")
	}
}

// TestInterventionCooldownRoundsUp: cooldown_days is the least time
// between two interventions. At hourly ticks a cooldown of 0.1 day is 2.4
// hours, so interventions are at least 3 ticks apart (before, the 2.4
// ticks were truncated to 2 and it intervened every 2 hours).
func TestInterventionCooldownRoundsUp(t *testing.T) {
	m, _ := cbWorld(t, agents.CentralBankSpec{Rule: "fx_intervention", Asset: "USDJPY", Trigger: 158, Amount: 1e6, CooldownDays: 0.1, Reserves: 1e9}, "USDJPY")
	var at []int
	for tick := 0; tick < 10; tick++ {
		step(t, m, 1)
		if s := m.M.Sold[core.CentralBank][core.Intervention]; s != 0 {
			at = append(at, tick)
		}
	}
	if len(at) < 3 {
		t.Fatalf("interventions at ticks %v: want several over 10 hours above the trigger", at)
	}
	cool := time.Duration(0.1 * 24 * float64(time.Hour))
	for k := 1; k < len(at); k++ {
		if gap := time.Duration(at[k]-at[k-1]) * m.W.TickLen; gap < cool {
			t.Errorf("interventions at ticks %v: %v apart, less than the cooldown of %v", at, gap, cool)
			break
		}
	}
}
