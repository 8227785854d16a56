package agents_test

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// insurerWorld is a Japanese insurer with $2e10 of equity, $1e11 of
// Treasuries (1e9 units at 100) 44% hedged and $1e11 of JGBs, hedging up
// at 0.24 a day (0.01 an hour) to at most maxHedge and repatriating 0.24 of
// its Treasuries a day once the yen passes its trigger.
func insurerWorld(t *testing.T, trigger, move, maxHedge, sens float64) (*sim.Model, *agents.Insurer) {
	return insurerWorldPremium(t, trigger, move, maxHedge, sens, 0)
}

// insurerWorldPremium is insurerWorld with the insurer's fx_risk_premium.
func insurerWorldPremium(t *testing.T, trigger, move, maxHedge, sens, premium float64) (*sim.Model, *agents.Insurer) {
	cfg := config("USDJPY", "UST10Y", "JGB10Y")
	cfg.Agents = []sim.AgentSpec{{Kind: "insurer", Insurer: &agents.InsurerSpec{ID: "lifer", Equity: 2e10,
		Foreign: "UST10Y", ForeignValue: 1e11, Domestic: "JGB10Y", DomesticValue: 1e11,
		HedgeRatio: 0.44, MaxHedge: maxHedge, HedgeSpeed: 0.24, Trigger: trigger, TriggerMove: move, Repatriate: 0.24,
		Sensitivity: sens, AllocSpeed: 0.002, FXRiskPremium: premium}}}
	cfg.Ticks = 31 * 24 // the longest test runs 30 days
	m, _ := build(t, cfg)
	return m, agentOf[*agents.Insurer](t, m, "lifer")
}

// TestInsurerBuild: the balance sheet the spec describes.
func TestInsurerBuild(t *testing.T) {
	m, n := insurerWorld(t, 145, 0, 0.8, 0)
	w, h := m.W, n.Holder()
	if hr := n.HedgeRatio(w); !rel(hr, 0.44, 1e-12) {
		t.Errorf("hedge ratio %v, want 0.44", hr)
	}
	if u := h.Accounts[0].Units[asset(t, m, "UST10Y")]; !rel(u, 1e9, 1e-12) {
		t.Errorf("Treasuries %v units, want 1e9", u)
	}
	if u := h.Accounts[0].Units[asset(t, m, "JGB10Y")]; !rel(u, 1.5e11, 1e-12) {
		t.Errorf("JGBs %v units, want 1.5e11", u)
	}
	// Yen: equity 2e10 + hedge 4.4e10 − foreign 1e11 − domestic 1e11, at 150.
	if !rel(h.Cash[core.USD], -4.4e10, 1e-12) || !rel(h.Cash[1], (2e10+4.4e10-2e11)*150, 1e-12) || !rel(w.NAV(h), 2e10, 1e-12) {
		t.Errorf("cash %v, NAV %v", h.Cash, w.NAV(h))
	}
}

// TestInsurerTriggerLevel: nothing happens while USDJPY is above the
// trigger (145); below it the insurer sells dollars forward to raise its
// hedge by 0.01 an hour and sells 1% of its Treasuries an hour, bringing
// the unhedged 55% of the proceeds (at the raised ratio) home.
func TestInsurerTriggerLevel(t *testing.T) {
	m, n := insurerWorld(t, 145, 0, 0.8, 0)
	w := m.W
	usdjpy, ust := asset(t, m, "USDJPY"), asset(t, m, "UST10Y")
	if o := decide(m, n); len(o) != 0 {
		t.Errorf("orders at 150: %+v", o)
	}
	move(t, m, map[string]float64{"USDJPY": -0.03}) // 145.5
	if o := decide(m, n); len(o) != 0 || n.Triggered {
		t.Errorf("orders at 145.5: %+v", o)
	}
	move(t, m, map[string]float64{"USDJPY": -0.005}) // 144.77
	w.ResetEvents()
	o := decide(m, n)
	if !n.Triggered {
		t.Fatal("not triggered at 144.77")
	}
	// Hedge: $1e9 sold for yen; repatriation: 1e7 Treasuries, $5.5e8 home.
	if u := unitsOf(o, ust); !rel(u, -1e7, 1e-12) {
		t.Errorf("Treasuries sold %v, want 1e7", -u)
	}
	if u := unitsOf(o, usdjpy); !rel(u, -1e9-5.5e8, 1e-12) {
		t.Errorf("dollars sold %v, want 1.55e9", -u)
	}
	// By reason: hedging up is insurer_hedge, the sale and the proceeds
	// brought home insurer_repatriation (both were once repatriation).
	by := map[[2]int]float64{}
	for _, x := range o {
		if x.Holder != n.Holder().Index {
			t.Errorf("order %+v", x)
		}
		by[[2]int{x.Asset, int(x.Reason)}] += x.Units
	}
	for _, c := range []struct {
		asset  int
		reason core.Reason
		units  float64
	}{
		{usdjpy, core.InsurerHedge, -1e9},
		{usdjpy, core.Repatriation, -5.5e8},
		{ust, core.Repatriation, -1e7},
		{ust, core.InsurerHedge, 0},
	} {
		if u := by[[2]int{c.asset, int(c.reason)}]; !rel(u, c.units, 1e-12) {
			t.Errorf("%s %s: %v units, want %v", w.Assets[c.asset].ID, c.reason, u, c.units)
		}
	}
	if len(w.Events()) != 1 || w.Events()[0].Kind != core.EvPolicy {
		t.Errorf("events %+v, want the trigger logged once", w.Events())
	}
	// Cleared: the hedged share of the sale repaid the hedge at 0.45, so the
	// ratio on what is left is 0.45.
	m.M.Clear(w)
	if hr := n.HedgeRatio(w); !rel(hr, 0.45, 1e-9) {
		t.Errorf("hedge ratio after one hour %v, want 0.45", hr)
	}
}

// TestInsurerHedgeSpeedAndCap: while triggered the hedge ratio rises 0.01
// an hour up to MaxHedge and no further; repatriation goes on at 1% an
// hour.
func TestInsurerHedgeSpeedAndCap(t *testing.T) {
	m, n := insurerWorld(t, 149, 0, 0.47, 0)
	w := m.W
	ust := asset(t, m, "UST10Y")
	yenTo147(m)
	step(t, m, 1)                                    // the shock is at tick 0
	if hr := n.HedgeRatio(w); !rel(hr, 0.45, 1e-4) { // an hour of interest and coupons aside
		t.Errorf("hedge ratio after an hour %v, want 0.45", hr)
	}
	// Three hours of 0.01 take it to 0.47, where the cap stops it.
	step(t, m, 5)
	if hr := n.HedgeRatio(w); !rel(hr, 0.47, 1e-4) {
		t.Errorf("hedge ratio %v after six hours, want the cap 0.47", hr)
	}
	if u := n.Holder().Accounts[0].Units[ust]; !rel(u, 1e9*pow(0.99, 6), 1e-9) {
		t.Errorf("Treasuries %v after six hours, want %v", u, 1e9*pow(0.99, 6))
	}
	hr := n.HedgeRatio(w)
	step(t, m, 3)
	if h2 := n.HedgeRatio(w); !rel(h2, hr, 1e-4) {
		t.Errorf("hedge ratio moved from %v to %v above its cap", hr, h2)
	}
}

// yenTo147 moves USDJPY to 147 at once (below the 149 trigger).
func yenTo147(m *sim.Model) {
	x := make([]float64, len(m.W.Assets))
	x[0] = 147.0/150 - 1
	m.M.Open(m.W)
	m.M.ApplyExogenous(m.W, x)
}

// pow is x^n for small integer n.
func pow(x float64, n int) float64 {
	p := 1.0
	for k := 0; k < n; k++ {
		p *= x
	}
	return p
}

// TestInsurerTriggerMove: with a trigger on the move, the insurer reacts
// once the yen has strengthened 2% from its weakest point so far.
func TestInsurerTriggerMove(t *testing.T) {
	m, n := insurerWorld(t, 0, 0.02, 0.8, 0)
	for _, c := range []struct {
		to   float64
		trig bool
	}{
		{160, false},   // the yen weakens: a new extreme
		{157.6, false}, // 1.52% off the extreme
		{156, true},    // 2.56% off
	} {
		move(t, m, map[string]float64{"USDJPY": c.to/m.W.Price[0] - 1})
		o := decide(m, n)
		if n.Triggered != c.trig || (len(o) > 0) != c.trig {
			t.Errorf("USDJPY %v: triggered %v with %d orders, want %v", c.to, n.Triggered, len(o), c.trig)
		}
	}
}

// TestInsurerAllocation: in calm the insurer follows the better of its
// hedged and unhedged pickups over JGBs. At set-up Treasuries yield 4.2%,
// JGBs 1%, and the hedge costs 5% − 0.1% = 4.9%: hedged −1.7%, unhedged
// 3.2% less the fx_risk_premium. Without a premium the unhedged one leads
// and a BOJ hike, which only cheapens the hedge, moves nothing (it once
// bought $2e8 of Treasuries, 56% with yen). With a premium of 4.6% the
// unhedged one (−1.4%) still leads at set-up, but a BOJ hike to 0.6% brings
// the hedge cost to 4.4%, below the premium: the hedged pickup (−1.2%) now
// leads, 0.2% above the start, and the purchase is hedged; with JGB yields
// falling too, the insurer without a premium buys with yen and the one with
// it buys hedged. Any move of the leading pickup past 0.1% hits the daily
// cap, 0.2% of the $1e11: $2e8, 2e6 units. A purchase the hedged pickup
// motivates is hedged at the current ratio (44% with borrowed dollars, 56%
// with yen), one the unhedged pickup motivates is bought with yen; a sale
// keeps the ratio.
func TestInsurerAllocation(t *testing.T) {
	for _, c := range []struct {
		name           string
		premium        float64 // fx_risk_premium
		usd, jpy, jgb  float64 // policy rates and JGB price after the change
		units, dollars float64 // Treasuries bought, dollars bought for yen
		hedge          float64 // hedge notional after the decision
	}{
		{"BOJ hike: hedge cheaper, unhedged still leads", 0, 0.05, 0.006, 100, 0, 0, 4.4e10},
		{"hedge cost negative: hedged leads, bought hedged", 0, 0, 0.01, 100, 2e6, 0.56 * 2e8, 4.4e10 + 0.44*2e8},
		{"JGB yields fall: unhedged pickup up, bought with yen", 0, 0.05, 0.001, 102, 2e6, 2e8, 4.4e10},
		{"JGB yields rise: unhedged pickup down, sold at the ratio", 0, 0.05, 0.001, 98, -2e6, -0.56 * 2e8, 4.4e10 - 0.44*2e8},
		{"premium: BOJ hike takes the hedge cost below it, bought hedged", 0.046, 0.05, 0.006, 100, 2e6, 0.56 * 2e8, 4.4e10 + 0.44*2e8},
		{"premium: no hike, hedge dearer than it, nothing", 0.046, 0.05, 0.001, 100, 0, 0, 4.4e10},
		{"no premium: BOJ hike and JGB yields fall, bought with yen", 0, 0.05, 0.006, 102, 2e6, 2e8, 4.4e10},
		{"premium: BOJ hike and JGB yields fall, bought hedged", 0.046, 0.05, 0.006, 102, 2e6, 0.56 * 2e8, 4.4e10 + 0.44*2e8},
		{"premium: JGB yields fall, no hike, bought with yen", 0.046, 0.05, 0.001, 102, 2e6, 2e8, 4.4e10},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, n := insurerWorldPremium(t, 0, 0, 0.8, 2, c.premium)
			w := m.W
			w.Tick = 1
			if o := decide(m, n); len(o) != 0 {
				t.Fatalf("orders with unchanged pickups: %+v", o)
			}
			w.Policy[core.USD], w.Policy[1] = c.usd, c.jpy
			w.Price[asset(t, m, "JGB10Y")] = c.jgb
			w.Tick = 30
			o := decide(m, n)
			if u := unitsOf(o, asset(t, m, "UST10Y")); !rel(u, c.units, 1e-9) {
				t.Errorf("Treasuries bought %v units, want %v", u, c.units)
			}
			if u := unitsOf(o, asset(t, m, "USDJPY")); !rel(u, c.dollars, 1e-9) {
				t.Errorf("dollars bought %v for yen, want %v", u, c.dollars)
			}
			if hr := n.HedgeRatio(w); !rel(hr*1e11, c.hedge, 1e-9) {
				t.Errorf("hedge %v, want %v", hr*1e11, c.hedge)
			}
			if got := n.Holder().Hedge; !rel(got, c.hedge, 1e-9) {
				t.Errorf("hedge the basis accrues on %v, want %v", got, c.hedge)
			}
			w.Tick = 31
			if o := decide(m, n); len(o) != 0 {
				t.Errorf("a second allocation within the day: %+v", o)
			}
		})
	}
}

// TestInsurerCalmBasis: the pickup the insurer measures its allocation
// from is its level at set-up, which prices the scenario's cross-currency
// basis as every later pickup does. In a calm market with a basis of −0.4%
// it neither buys nor sells Treasuries (it once took that level before the
// basis was first set, so that the basis alone read as a worse pickup, and
// sold at its cap, 0.2% a day).
func TestInsurerCalmBasis(t *testing.T) {
	for _, basis := range []float64{0, -0.004, 0.002} {
		cfg := config("USDJPY", "UST10Y", "JGB10Y")
		cfg.Funding.Basis = basis
		cfg.Agents = []sim.AgentSpec{{Kind: "insurer", Insurer: &agents.InsurerSpec{ID: "lifer", Equity: 2e10,
			Foreign: "UST10Y", ForeignValue: 1e11, Domestic: "JGB10Y", DomesticValue: 1e11,
			HedgeRatio: 0.44, MaxHedge: 0.8, Sensitivity: 2, AllocSpeed: 0.002}}}
		m, _ := build(t, cfg)
		n := agentOf[*agents.Insurer](t, m, "lifer")
		if m.W.XCCYBasis != basis {
			t.Fatalf("basis %v after the build, want %v", m.W.XCCYBasis, basis)
		}
		ust := asset(t, m, "UST10Y")
		step(t, m, 3*int(m.W.PerDay))
		if u := n.Holder().Accounts[0].Units[ust]; u != 1e9 {
			t.Errorf("basis %v: %v units of Treasuries after three calm days, want the 1e9 it started with", basis, u)
		}
	}
}

// TestInsurerIncomeHome: over 30 calm days at 5% dollar rates the
// Treasuries' coupons and the hedge's interest would pile up in the dollar
// account and drift the hedge; the insurer brings its dollar income home
// daily, so its dollar balance stays the hedge and the ratio stays 0.44.
func TestInsurerIncomeHome(t *testing.T) {
	m, n := insurerWorld(t, 100, 0, 0.8, 0) // trigger far away
	w := m.W
	step(t, m, 30*int(w.PerDay))
	h := n.Holder()
	if hr := n.HedgeRatio(w); !rel(hr, 0.44, 1e-9) {
		t.Errorf("hedge ratio %v after 30 days, want 0.44", hr)
	}
	// Within the last day's income (a day of coupons, ~$1.2e7 a day).
	if d := h.Cash[core.USD] + 4.4e10; d < -2e7 || d > 2e7 {
		t.Errorf("dollar balance %v, want the hedge −4.4e10 to within a day's income", h.Cash[core.USD])
	}
	if n.Triggered {
		t.Error("triggered in calm")
	}
}

// TestInsurerIncomeSettled: the daily income sweep reads the insurer's
// dollar balance after settling it. In calm the insurer never trades, so
// nothing else brings its coupons and the hedge's interest onto its
// balance; read unsettled, the balance stayed at its set-up value, the sweep
// saw no income, and after 30 days the settled balance had drifted from −H
// by a month of coupons (ODD 7.8: "the dollar balance stays −H").
func TestInsurerIncomeSettled(t *testing.T) {
	m, n := insurerWorld(t, 100, 0, 0.8, 0) // trigger far away: calm
	w := m.W
	h := n.Holder()
	step(t, m, 30*int(w.PerDay))
	w.NAV(h) // settle: interest and coupons since set-up reach Cash
	if d := h.Cash[core.USD] + 4.4e10; d < -2e7 || d > 2e7 {
		t.Errorf("settled dollar balance %.6g, hedge owes 4.4e10: drift %.4g, want within a day's income (2e7)", h.Cash[core.USD], d)
	}
}

// TestInsurerHedgeStaysAtCap: an insurer hedging up to max_hedge while it
// repatriates holds the ratio at the cap. The hedged share of what it
// sells repays the hedge at the ratio it has just hedged up to, so the
// ratio neither creeps past the cap nor drifts once it is there.
func TestInsurerHedgeStaysAtCap(t *testing.T) {
	m, n := insurerWorld(t, 149, 0, 0.47, 0)
	yenTo147(m)
	for k := 1; k <= 9; k++ {
		step(t, m, 1)
		want := math.Min(0.44+0.01*float64(k), 0.47)
		if hr := n.HedgeRatio(m.W); !rel(hr, want, 1e-5) {
			t.Errorf("hour %d: hedge ratio %.5f, want %.2f", k, hr, want)
		}
	}
}

// TestInsurerTriggerQuotedPerHome: a euro insurer whose pair is quoted the
// other way round (EURUSD, dollars per euro) reads its trigger, like every
// insurer's, as home currency per USD: trigger 0.9 fires once EURUSD passes
// 1/0.9 = 1.1111. (The level used to be ignored for such a pair.)
func TestInsurerTriggerQuotedPerHome(t *testing.T) {
	cfg := config("UST10Y")
	cfg.Rates["EUR"] = sim.RateSpec{Policy: 0.03, Expected: 0.03}
	cfg.Assets = append(cfg.Assets,
		sim.AssetSpec{ID: "EURUSD", Kind: "fx", Base: "EUR", Currency: "USD", Price: 1.10, Vol: 0.08, ADV: 1e13, Impact: noImpact},
		sim.AssetSpec{ID: "BUND", Kind: "bond", Currency: "EUR", Price: 100, Vol: 0.04, Yield: 0.025, Duration: 9, ADV: 1e12, Impact: noImpact})
	cfg.Agents = []sim.AgentSpec{{Kind: "insurer", Insurer: &agents.InsurerSpec{ID: "eu-life", Currency: "EUR", Equity: 2e10,
		Foreign: "UST10Y", ForeignValue: 1e11, Domestic: "BUND", DomesticValue: 1e11,
		HedgeRatio: 0.5, MaxHedge: 0.8, HedgeSpeed: 0.24, Trigger: 0.9, Repatriate: 0.24}}}
	m, _ := build(t, cfg)
	n := agentOf[*agents.Insurer](t, m, "eu-life")
	pair, ust := asset(t, m, "EURUSD"), asset(t, m, "UST10Y")
	move(t, m, map[string]float64{"EURUSD": 0.005}) // 1.1055: 0.9046 euros per dollar
	if o := decide(m, n); len(o) != 0 || n.Triggered {
		t.Fatalf("triggered at EURUSD %.4f: orders %+v", m.W.Price[pair], o)
	}
	move(t, m, map[string]float64{"EURUSD": 0.01}) // 1.1166: 0.8956
	o := decide(m, n)
	if !n.Triggered {
		t.Fatalf("not triggered at EURUSD %.4f (%.4f euros per dollar, trigger 0.9)", m.W.Price[pair], 1/m.W.Price[pair])
	}
	// Repatriation sells 1% of the Treasuries in the hour; the hedge and
	// the proceeds buy euros (EURUSD bought).
	if u := unitsOf(o, ust); !rel(u, -1e7, 1e-12) {
		t.Errorf("Treasuries sold %v, want 1e7", -u)
	}
	if u := unitsOf(o, pair); !(u > 0) {
		t.Errorf("EURUSD bought %v, want euros bought for dollars", u)
	}
}

// TestInsurerReserves: with liability_duration the yen that funds the
// insurer's $2e11 of bonds beyond its $2e10 of equity is $1.8e11 of
// policy reserves marked to the JGB's yield (9 years' duration) instead of
// an overdraft, so a 1% fall of the JGB (its yield up 0.11%) costs the
// $1e11 of JGBs $1e9 and lowers the reserves by 1.8e11·(1 − 0.99^(D/9)):
// overnight debt loses $1e9, reserves of 4.5 years $9.8e7, of 9 years
// they gain $8e8. The yen account holds only the hedge's yen.
func TestInsurerReserves(t *testing.T) {
	for _, c := range []struct {
		name     string
		duration float64
		want     float64 // equity change, USD
	}{
		{"overnight debt", 0, -1e9},
		{"reserves of 4.5 years", 4.5, -1e9 + 1.8e11*(1-math.Sqrt(0.99))},
		{"reserves of 9 years", 9, -1e9 + 1.8e11*0.01},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := config("USDJPY", "UST10Y", "JGB10Y")
			cfg.Agents = []sim.AgentSpec{{Kind: "insurer", Insurer: &agents.InsurerSpec{ID: "lifer", Equity: 2e10,
				Foreign: "UST10Y", ForeignValue: 1e11, Domestic: "JGB10Y", DomesticValue: 1e11,
				HedgeRatio: 0.44, MaxHedge: 0.8, LiabilityDuration: c.duration, LiabilityRate: 0.01}}}
			m, audit := build(t, cfg)
			w := m.W
			n := agentOf[*agents.Insurer](t, m, "lifer")
			h := n.Holder()
			if nav := w.NAV(h); !rel(nav, 2e10, 1e-12) {
				t.Fatalf("equity %v at set-up, want 2e10", nav)
			}
			wantYen := (2e10 + 4.4e10 - 2e11) * 150
			if c.duration > 0 {
				wantYen = 4.4e10 * 150
				if r := h.Reserve; !rel(r.Face, 1.8e11*150, 1e-12) || r.Duration != c.duration || r.Rate != 0.01 {
					t.Errorf("reserve %+v, want ¥2.7e13 of %v years at 1%%", r, c.duration)
				}
			}
			if !rel(h.Cash[1], wantYen, 1e-12) {
				t.Errorf("yen %v, want %v", h.Cash[1], wantYen)
			}
			move(t, m, map[string]float64{"JGB10Y": -0.01})
			if p := w.Price[asset(t, m, "JGB10Y")]; !rel(p, 99, 1e-12) {
				t.Fatalf("JGB at %v, want 99", p)
			}
			if d := w.NAV(h) - 2e10; !rel(d, c.want, 1e-9) {
				t.Errorf("equity moved %.6g, want %.6g", d, c.want)
			}
			checkAudit(t, audit, w, c.name)
		})
	}
}

// TestInsurerHedgeTrim: the hedge ratio is the hedge notional over the
// bonds' market value, so a fall of the Treasuries lifts it. An insurer
// that repatriates holds it at max_hedge (0.47): when the bonds have
// fallen under a hedge already near the cap, the proceeds of each sale
// (1% of its 1e9 Treasuries an hour) repay the hedge down to the cap on
// what is left before any are brought home. It once repaid only the
// ratio's share, so the ratio stayed above the cap.
func TestInsurerHedgeTrim(t *testing.T) {
	for _, c := range []struct {
		name    string
		fall    float64 // Treasuries' fall before the trigger
		hr0     float64 // hedge ratio then: 0.44/(1 − fall)
		hr1     float64 // after the first hour
		dollars float64 // dollars sold for yen in that hour
	}{
		// Hedged up to 0.45 ($1e9), then 0.55 of the $1e9 proceeds home.
		{"no fall", 0, 0.44, 0.45, 1e9 + 0.55*1e9},
		// 0.44/0.95 = 0.46316: up to the cap 0.47 (0.00684 of $9.5e10),
		// then 0.53 of the $9.5e8 proceeds home.
		{"a fall to the cap", 0.05, 0.44 / 0.95, 0.47, (0.47-0.44/0.95)*9.5e10 + 0.53*9.5e8},
		// 0.44/0.9 = 0.48889 > 0.47: the hedge of $4.4e10 would be 0.47 of
		// the $8.91e10 left at $4.1877e10; the $9e8 proceeds all repay it.
		{"a fall past the cap", 0.10, 0.44 / 0.9, (4.4e10 - 9e8) / 8.91e10, 0},
		// 0.44/0.93 = 0.47312: $7.271e8 of the $9.3e8 proceeds bring the
		// hedge to 0.47 of the $9.207e10 left; $2.029e8 go home.
		{"a fall just past the cap", 0.07, 0.44 / 0.93, 0.47, 9.3e8 - (4.4e10 - 0.47*0.99*9.3e10)},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, n := insurerWorld(t, 149, 0, 0.47, 0)
			w := m.W
			usdjpy := asset(t, m, "USDJPY")
			move(t, m, map[string]float64{"UST10Y": -c.fall})
			if hr := n.HedgeRatio(w); !rel(hr, c.hr0, 1e-12) {
				t.Fatalf("hedge ratio %v after the fall, want %v", hr, c.hr0)
			}
			yenTo147(m)
			w.UpdateYields()
			o := decide(m, n)
			if u := unitsOf(o, usdjpy); !rel(-u, c.dollars, 1e-9) {
				t.Errorf("dollars sold for yen %.6g, want %.6g", -u, c.dollars)
			}
			m.M.Clear(w)
			if hr := n.HedgeRatio(w); !rel(hr, c.hr1, 1e-9) {
				t.Errorf("hedge ratio %.6f after an hour, want %.6f", hr, c.hr1)
			}
			// A day of it: at the cap, never past it.
			step(t, m, 24)
			if hr := n.HedgeRatio(w); hr > 0.47*(1+1e-4) || hr < 0.47*(1-1e-4) {
				t.Errorf("hedge ratio %.6f after a day, want the cap 0.47", hr)
			}
		})
	}
}
