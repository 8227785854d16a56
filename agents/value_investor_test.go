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

// TestValueInvestorTradingDay: the investor's rates are per trading day of
// the market it buys in (ODD N9). An hourly investor in SPX, whose New York
// session spans seven hourly ticks (13:00 to 20:00 UTC in summer), buys
// cap0 × intensity × min(3, gap/band) = 1e9 × 0.05 × 3 = $1.5e8 over each
// trading day, a seventh of it at each open tick; and its anchor's 20-day
// half-life counts trading days: after five of them at a flat price the
// anchor has covered 1 − 0.5^(5/20) of its distance to the price. Spread
// over the calendar day, as it used to be, it bought 7/24 of that and the
// anchor moved by 1 − 0.5^(35/480).
func TestValueInvestorTradingDay(t *testing.T) {
	cfg := config("SPX")
	cfg.Assets[0].Session = "new_york"
	cfg.Agents = []sim.AgentSpec{{Kind: "value_investor", Value: &agents.ValueInvestorSpec{ID: "value", Equity: 1e9,
		Assets: []string{"SPX"}, Intensity: 0.05, MaxShare: 1, Band: 0.03}}}
	m, a := build(t, cfg)
	v := agentOf[*agents.ValueInvestor](t, m, "value")
	h := v.Holder()
	if got := m.W.TradingDay(0); got != 7 {
		t.Fatalf("SPX trades %v ticks a day, want 7", got)
	}
	move(t, m, map[string]float64{"SPX": -0.2}) // no impact: the price stays at 4320
	p0, p := 5400.0, m.W.Price[0]
	spent := func() float64 { return h.Accounts[0].Units[0] * p } // cash earns interest; units do not
	for day := 1; day <= 5; day++ {                               // Monday to Friday, 29 Jul to 2 Aug 2024
		before := spent()
		for k := 0; k < 24; k++ {
			if err := m.Step(); err != nil {
				t.Fatal(err)
			}
			checkAudit(t, a, m.W, "value trading day")
		}
		if got := spent() - before; !rel(got, 1.5e8, 1e-9) {
			t.Errorf("day %d: bought $%.6g, want 1.5e8 (a trading day's rate)", day, got)
		}
	}
	want := p + (p0-p)*math.Pow(0.5, 5.0/20)
	if got := v.Anchor(0); !rel(got, want, 1e-9) {
		t.Errorf("anchor after five trading days %.6f, want %.6f", got, want)
	}
}

// TestValueInvestorSquaresYen: the Nikkei fills above the price the
// investor bought its yen at (here linear impact of 1e-7 per unit, filled at
// the round's midpoint), which leaves it short of yen (ODD N10). Its next
// review buys the shortfall back, even with nothing more to buy, so no yen
// debt outlives a review; it used to stay to the end of the run.
func TestValueInvestorSquaresYen(t *testing.T) {
	cfg := config("USDJPY", "NKY")
	cfg.Assets[1].Impact = sim.Impact{Function: "linear", Lambda: 1e-7, Permanent: 1}
	cfg.Agents = []sim.AgentSpec{{Kind: "value_investor", Value: &agents.ValueInvestorSpec{ID: "value", Equity: 1e9,
		Assets: []string{"NKY"}, MaxShare: 0.05}}}
	m, a := build(t, cfg)
	v := agentOf[*agents.ValueInvestor](t, m, "value")
	w, h := m.W, v.Holder()
	nky := asset(t, m, "NKY")
	move(t, m, map[string]float64{"NKY": -0.1})
	w.Tick = 1
	decide(m, v)
	m.M.Clear(w)
	short := -h.Cash[1]
	if u := h.Accounts[0].Units[nky]; !(u > 0) || !(short > 1e7) {
		t.Fatalf("after buying %v NKY: yen %v, want a shortfall from the impact", u, h.Cash[1])
	}
	w.Tick = 2
	o := decide(m, v)
	if unitsOf(o, nky) != 0 || len(o) != 1 {
		t.Fatalf("second review: %+v, want only the yen", o)
	}
	m.M.Clear(w)
	if math.Abs(h.Cash[1]) > 1e-3 {
		t.Errorf("after the second review: %.6g yen (was %.6g)", h.Cash[1], -short)
	}
	checkAudit(t, a, w, "value squares yen")
}
