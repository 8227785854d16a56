package agents_test

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// valueWorld is a value investor with $1e9 of cash watching SPX, reviewing
// every hour (the default), anchor half-life 20 days.
func valueWorld(t *testing.T, intensity, maxShare float64) (*sim.Model, *agents.ValueInvestor) {
	cfg := config("SPX")
	cfg.Agents = []sim.AgentSpec{{Kind: "value_investor", Value: &agents.ValueInvestorSpec{ID: "value", Equity: 1e9,
		Assets: []string{"SPX"}, Intensity: intensity, MaxShare: maxShare}}}
	m, _ := build(t, cfg)
	return m, agentOf[*agents.ValueInvestor](t, m, "value")
}

// TestValueInvestorBuys: at its anchor the investor does nothing. After a
// 10% fall it buys every hour cap0 × intensity/24 × min(3, gap/band) =
// 1e9 × 0.5/24 × 3 = $6.25e7 while the discount to its (slowly following)
// anchor exceeds the 3% band, until its holding reaches MaxShare (half) of
// its capital. A rise above the anchor makes it sell.
func TestValueInvestorBuys(t *testing.T) {
	m, v := valueWorld(t, 0, 0)
	w, h := m.W, v.Holder()
	spx := asset(t, m, "SPX")
	if o := decide(m, v); len(o) != 0 {
		t.Errorf("orders at the anchor: %+v", o)
	}
	lambda := math.Pow(0.5, 1.0/(20*24))
	anchor := 5400.0 // the investor updated it once above, at 5400
	move(t, m, map[string]float64{"SPX": -0.1})
	for tick := 1; tick <= 10; tick++ {
		w.Tick = tick
		p := w.Price[spx]
		anchor = lambda*anchor + (1-lambda)*p
		gap := 1 - p/anchor
		held := h.Accounts[0].Units[spx] * p
		want := math.Min(1e9*0.5/24*math.Min(3, gap/0.03), math.Min(h.Cash[core.USD], 0.5e9-held))
		o := decide(m, v)
		got := unitsOf(o, spx) * p
		if want <= 1 { // below 1e-9 of capital: nothing
			if len(o) != 0 {
				t.Errorf("tick %d: bought $%v with %v held", tick, got, held)
			}
			continue
		}
		if !rel(got, want, 1e-9) || o[0].Reason != core.ValueBuying {
			t.Errorf("tick %d: bought $%v, want %v", tick, got, want)
		}
		m.M.Clear(w)
	}
	if held := h.Accounts[0].Units[spx] * w.Price[spx]; !rel(held, 5e8, 1e-9) {
		t.Errorf("holds $%v after ten hours, want the 5e8 cap", held)
	}
	// SPX rallies 20% above where it bought: past the anchor, it sells a
	// share rate × min(3, −gap/band) of its holding.
	move(t, m, map[string]float64{"SPX": 0.2})
	w.Tick = 11
	p := w.Price[spx]
	anchor = lambda*anchor + (1-lambda)*p
	gap := 1 - p/anchor
	held := h.Accounts[0].Units[spx]
	o := decide(m, v)
	if want := -held * math.Min(1, 0.5/24*math.Min(3, -gap/0.03)); !(gap < 0) || !rel(unitsOf(o, spx), want, 1e-9) {
		t.Errorf("sold %v units at a gap of %v, want %v", unitsOf(o, spx), gap, want)
	}
}

// TestValueInvestorCash: the investor never spends more cash than it has.
func TestValueInvestorCash(t *testing.T) {
	m, v := valueWorld(t, 10, 1) // would buy 1.25e9 an hour
	w, h := m.W, v.Holder()
	spx := asset(t, m, "SPX")
	move(t, m, map[string]float64{"SPX": -0.2})
	for tick := 1; tick <= 3; tick++ {
		w.Tick = tick
		o := decide(m, v)
		if tick == 1 && !rel(unitsOf(o, spx)*w.Price[spx], 1e9, 1e-9) {
			t.Errorf("first hour bought $%v, want all its 1e9", unitsOf(o, spx)*w.Price[spx])
		}
		if tick > 1 && len(o) != 0 {
			t.Errorf("tick %d: bought more with no cash: %+v", tick, o)
		}
		m.M.Clear(w)
		if h.Cash[core.USD] < -1e-6 {
			t.Errorf("tick %d: cash %v", tick, h.Cash[core.USD])
		}
	}
}

// TestValueInvestorForeign: buying a yen asset, the investor first buys the
// yen with dollars, so it never holds a yen debt; selling, it brings the
// proceeds home.
func TestValueInvestorForeign(t *testing.T) {
	m, a, v, nky := yenValueInvestor(t)
	w, h := m.W, v.Holder()
	move(t, m, map[string]float64{"NKY": -0.1})
	w.Tick = 1
	decide(m, v)
	m.M.Clear(w)
	if u := h.Accounts[0].Units[nky]; !(u > 0) || math.Abs(h.Cash[1]) > 1e-3 || !rel(h.Cash[core.USD], 1e9-6.25e7, 1e-9) {
		t.Errorf("after buying: %v NKY, %v yen, $%v", u, h.Cash[1], h.Cash[core.USD])
	}
	move(t, m, map[string]float64{"NKY": 0.3})
	w.Tick = 2
	o := decide(m, v)
	if len(o) != 2 || unitsOf(o, nky) >= 0 {
		t.Fatalf("orders above the anchor %+v", o)
	}
	m.M.Clear(w)
	if math.Abs(h.Cash[1]) > 1e-3 {
		t.Errorf("after selling: %v yen left", h.Cash[1])
	}
	checkAudit(t, a, w, "value foreign")
}

// TestValueInvestorWaitsForFXPair: a value investor buying a yen asset
// needs the exchange rate's market open as well as the asset's. With the
// Nikkei open and USDJPY shut, it used to buy the Nikkei and have its yen
// purchase refused, ending with a yen debt beyond its limited capital
// (ODD 7.2: no agent sends an order to a closed market).
func TestValueInvestorWaitsForFXPair(t *testing.T) {
	m, _, v, nky := yenValueInvestor(t)
	w, h := m.W, v.Holder()
	move(t, m, map[string]float64{"NKY": -0.1})
	w.Trading = make([]bool, len(w.Assets))
	w.Trading[nky] = true // Tokyo open, the FX pair closed
	w.Tick = 1
	rejected := w.Rejected
	decide(m, v)
	m.M.Clear(w)
	if w.Rejected != rejected {
		t.Errorf("%d order(s) sent to the closed USDJPY market and refused", w.Rejected-rejected)
	}
	if h.Cash[1] < -1e-3 {
		t.Errorf("after buying the Nikkei: yen balance %.4g (a yen debt of $%.4g), dollars untouched at $%.6g",
			h.Cash[1], -h.Cash[1]*w.FXUSD[1], h.Cash[core.USD])
	}
}

// yenValueInvestor builds a value investor with $1e9 buying only the
// Nikkei, a yen asset, and returns the model, its audit, the investor and
// the Nikkei's index.
func yenValueInvestor(t *testing.T) (*sim.Model, *sim.Audit, *agents.ValueInvestor, int) {
	t.Helper()
	cfg := config("USDJPY", "NKY")
	cfg.Agents = []sim.AgentSpec{{Kind: "value_investor", Value: &agents.ValueInvestorSpec{ID: "value", Equity: 1e9, Assets: []string{"NKY"}}}}
	m, a := build(t, cfg)
	return m, a, agentOf[*agents.ValueInvestor](t, m, "value"), asset(t, m, "NKY")
}
