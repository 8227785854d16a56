package market

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestExecutionPrice: a buyer of 100 EQ (price 100) in a linear market of
// λ = 1e-4 per unit moves the price by 1% to 101; it pays the pre-impact
// price 100, the post-impact price 101 or their midpoint 100.5, and the
// absorbing side (a dealer, or the outside sector when there is none)
// sells at the same price. Its trading P&L is against the pre-round mark.
func TestExecutionPrice(t *testing.T) {
	for _, c := range []struct {
		exec Execution
		x    float64
	}{{ExecPre, 100}, {ExecPost, 101}, {ExecMid, 100.5}} {
		for _, withDealer := range []bool{false, true} {
			w := newWorld(t)
			buyer := fund(w, "buyer", core.HedgeFund, 1e6)
			var dealers []Dealer
			taker := w.Holders[0]
			if withDealer {
				taker = fund(w, "dealer", core.Dealer, 1e7)
				dealers = []Dealer{{Holder: taker.Index, Share: 1, LevLimit: 10, UStar: 0.5, Floor: 0.2}}
			}
			units0, cash0 := totals(w)
			m := newMarket(t, w, liqs(linear(1e-4, 0.5, 0)), Conventions{Execution: c.exec}, dealers, Funding{})
			takerCash := taker.Cash[core.USD]
			w.Submit(core.Order{Holder: buyer.Index, Asset: aEQ, Units: 100})
			if !m.Clear(w) {
				t.Fatal("Clear reported nothing cleared")
			}
			name := c.exec.String()
			if withDealer {
				name += " with dealer"
			}
			if !closeTo(w.Price[aEQ], 101, 1e-12) || !closeTo(m.Impact[aEQ], 0.01, 1e-15) || m.Rounds != 1 {
				t.Errorf("%s: price %v impact %v rounds %d, want 101, 0.01, 1", name, w.Price[aEQ], m.Impact[aEQ], m.Rounds)
			}
			// Half of the move is permanent (100 → 100.5), half temporary (0.5).
			if !closeTo(m.Fundamental(aEQ), 100.5, 1e-12) || !closeTo(m.Temporary(aEQ), 0.5, 1e-12) {
				t.Errorf("%s: fundamental %v temporary %v, want 100.5 and 0.5", name, m.Fundamental(aEQ), m.Temporary(aEQ))
			}
			if buyer.Accounts[0].Units[aEQ] != 100 || !closeTo(buyer.Cash[core.USD], 1e6-100*c.x, 1e-6) {
				t.Errorf("%s: buyer holds %v units and %v cash, want 100 and %v", name, buyer.Accounts[0].Units[aEQ], buyer.Cash[core.USD], 1e6-100*c.x)
			}
			if !closeTo(buyer.PnL[core.PnLTrading], 100*(100-c.x), 1e-9) {
				t.Errorf("%s: buyer's trading P&L %v, want %v", name, buyer.PnL[core.PnLTrading], 100*(100-c.x))
			}
			if taker.Accounts[0].Units[aEQ] != -100 || !closeTo(taker.Cash[core.USD]-takerCash, 100*c.x, 1e-6) {
				t.Errorf("%s: %s holds %v units, received %v", name, taker.ID, taker.Accounts[0].Units[aEQ], taker.Cash[core.USD]-takerCash)
			}
			// Marked at 101, the buyer has gained 100·(101 − x).
			if nav := w.NAV(buyer); !closeTo(nav, 1e6+100*(101-c.x), 1e-6) {
				t.Errorf("%s: buyer's NAV %v, want %v", name, nav, 1e6+100*(101-c.x))
			}
			audit(t, w, units0, cash0, name)
		}
	}
	w := newWorld(t)
	m := newMarket(t, w, liqs(linear(1e-4, 0.5, 0)), Conventions{}, nil, Funding{})
	if m.Clear(w) {
		t.Error("Clear with no orders reported a round")
	}
}

// TestFlowUnits: the linear law counts units or local-currency value; the
// square-root law always counts USD (a yen equity's flow converted at the
// exchange rate, an FX order in its base currency's USD value).
func TestFlowUnits(t *testing.T) {
	// Value flow: 100 units at 100 = 1e4, λ = 1e-6 per unit of value: 1%.
	w := newWorld(t)
	h := fund(w, "f", core.HedgeFund, 1e7)
	m := newMarket(t, w, liqs(linear(1e-6, 1, 0)), Conventions{Flow: FlowValue}, nil, Funding{})
	w.Submit(core.Order{Holder: h.Index, Asset: aEQ, Units: 100})
	m.Clear(w)
	if !closeTo(m.Impact[aEQ], 0.01, 1e-15) {
		t.Errorf("value flow: impact %v, want 0.01", m.Impact[aEQ])
	}
	// Square root, Y = 1, σ_d = 1%, ADV $1e9: selling $1e7 moves −0.1%.
	sq := Liquidity{Impact: SquareRoot, Y: 1, DailyVol: 0.01, ADV: 1e9, Permanent: 1}
	for _, c := range []struct {
		asset int
		units float64
	}{
		{aEQ, -1e5},                // 1e5 × $100
		{aNKY, -1e7 * 150 / 38000}, // $1e7 of NKY at 150 yen per dollar
		{aUSDJPY, -1e7},            // $1e7 sold for yen
	} {
		w := newWorld(t)
		h := fund(w, "f", core.HedgeFund, 1e9)
		m := newMarket(t, w, liqs(sq), Conventions{Flow: FlowValue}, nil, Funding{})
		w.Submit(core.Order{Holder: h.Index, Asset: c.asset, Units: c.units})
		m.Clear(w)
		if !closeTo(m.Impact[c.asset], -0.001, 1e-15) || !closeTo(w.Price[c.asset], w.Assets[c.asset].Price0*0.999, 1e-9*w.Assets[c.asset].Price0) {
			t.Errorf("%s: impact %v price %v, want −0.1%%", w.Assets[c.asset].ID, m.Impact[c.asset], w.Price[c.asset])
		}
	}
}

// TestSequentialClearing: two buys of 100 in a linear market (1% per 100).
// Netted, both fill at the midpoint of 100 and 102; one after the other,
// the first fills at 100.5 and the second at 101.5. The final price is the
// same. Opposite orders net to nothing simultaneously, but each moves the
// price when cleared alone.
func TestSequentialClearing(t *testing.T) {
	run := func(seq bool, q1, q2 float64) (p float64, cash1, cash2 float64, rounds int) {
		w := newWorld(t)
		a := fund(w, "a", core.HedgeFund, 1e6)
		b := fund(w, "b", core.HedgeFund, 1e6)
		m := newMarket(t, w, liqs(linear(1e-4, 1, 0)), Conventions{Sequential: seq}, nil, Funding{})
		units0, cash0 := totals(w)
		w.Submit(core.Order{Holder: a.Index, Asset: aEQ, Units: q1})
		w.Submit(core.Order{Holder: b.Index, Asset: aEQ, Units: q2})
		m.Clear(w)
		audit(t, w, units0, cash0, "sequential")
		return w.Price[aEQ], 1e6 - a.Cash[core.USD], 1e6 - b.Cash[core.USD], m.Rounds
	}
	p, c1, c2, r := run(false, 100, 100)
	if !closeTo(p, 102, 1e-12) || !closeTo(c1, 100*101, 1e-6) || !closeTo(c2, 100*101, 1e-6) || r != 1 {
		t.Errorf("simultaneous: price %v, paid %v and %v (%d rounds); want 102, 10100, 10100, 1", p, c1, c2, r)
	}
	p, c1, c2, r = run(true, 100, 100)
	if !closeTo(p, 102, 1e-12) || !closeTo(c1, 100*100.5, 1e-6) || !closeTo(c2, 100*101.5, 1e-6) || r != 1 {
		t.Errorf("sequential: price %v, paid %v and %v (%d rounds); want 102, 10050, 10150, 1", p, c1, c2, r)
	}
	p, c1, c2, _ = run(false, 100, -100)
	if p != 100 || !closeTo(c1, 1e4, 1e-6) || !closeTo(c2, -1e4, 1e-6) {
		t.Errorf("simultaneous crossing orders: price %v paid %v %v; want 100, 1e4, −1e4", p, c1, c2)
	}
	p, c1, c2, _ = run(true, 100, -100)
	if !closeTo(p, 100, 1e-12) || !closeTo(c1, 100*100.5, 1e-6) || !closeTo(c2, -100*100.5, 1e-6) {
		t.Errorf("sequential crossing orders: price %v paid %v %v; want 100, 10050, −10050", p, c1, c2)
	}
}

// TestTemporaryDecay: the temporary part of impact decays with its
// half-life at the next open; the permanent part stays. With half-life 0
// the temporary part is gone at the next open.
func TestTemporaryDecay(t *testing.T) {
	for _, hl := range []float64{0, 2, math.Inf(1)} {
		w := newWorld(t)
		h := fund(w, "f", core.HedgeFund, 1e6)
		m := newMarket(t, w, liqs(linear(1e-4, 0.25, hl)), Conventions{}, nil, Funding{})
		w.Submit(core.Order{Holder: h.Index, Asset: aEQ, Units: -100})
		m.Clear(w)
		// −1%: permanent −0.25, temporary −0.75.
		if !closeTo(w.Price[aEQ], 99, 1e-12) || !closeTo(m.Fundamental(aEQ), 99.75, 1e-12) || !closeTo(m.Temporary(aEQ), -0.75, 1e-12) {
			t.Fatalf("hl %v: price %v fundamental %v temporary %v", hl, w.Price[aEQ], m.Fundamental(aEQ), m.Temporary(aEQ))
		}
		m.Close(w)
		for tick := 1; tick <= 4; tick++ {
			m.Open(w)
			keep := math.Pow(0.5, float64(tick)/hl)
			if hl == 0 {
				keep = 0
			}
			want := 99.75 - 0.75*keep
			if !closeTo(w.Price[aEQ], want, 1e-12) || !closeTo(w.Open[aEQ], want, 1e-12) || !closeTo(m.Fundamental(aEQ), 99.75, 1e-12) {
				t.Errorf("hl %v tick %d: price %v open %v fundamental %v, want %v, %v, 99.75", hl, tick, w.Price[aEQ], w.Open[aEQ], m.Fundamental(aEQ), want, want)
			}
			if m.Impact[aEQ] != 0 || m.Rounds != 0 || m.SoldAsset[aEQ] != 0 {
				t.Errorf("hl %v: Open did not reset the reports", hl)
			}
			m.Close(w)
		}
	}
}

// TestTemporaryDecayClosed: while an asset's market is closed its price
// stands still; the temporary impact's decay over the closed ticks shows at
// the next open, as a gap, in calendar time.
func TestTemporaryDecayClosed(t *testing.T) {
	w := newWorld(t)
	h := fund(w, "f", core.HedgeFund, 1e6)
	m := newMarket(t, w, liqs(linear(1e-4, 0.25, 2)), Conventions{}, nil, Funding{})
	w.Submit(core.Order{Holder: h.Index, Asset: aEQ, Units: -100})
	m.Clear(w) // 99: fundamental 99.75, temporary −0.75
	m.Close(w)
	w.Trading = make([]bool, len(w.Assets))
	for i := range w.Trading {
		w.Trading[i] = true
	}
	w.Trading[aEQ] = false
	for tick := 1; tick <= 3; tick++ {
		m.Open(w)
		if w.Price[aEQ] != 99 {
			t.Errorf("closed tick %d: price %v moved from 99", tick, w.Price[aEQ])
		}
		m.Close(w)
	}
	w.Trading[aEQ] = true
	m.Open(w) // four ticks of decay at once
	if want := 99.75 - 0.75*math.Pow(0.5, 4.0/2); !closeTo(w.Price[aEQ], want, 1e-12) {
		t.Errorf("at the open: price %v, want %v", w.Price[aEQ], want)
	}
}

// TestFlowMemory: the flow memory X decays with its half-life between
// ticks, so a second sale of the same size moves a concave impact less.
// With flow half-life 0 it restarts at every open.
func TestFlowMemory(t *testing.T) {
	sq := Liquidity{Impact: SquareRoot, Y: 1, DailyVol: 0.01, ADV: 1e9, Permanent: 1}
	for _, c := range []struct {
		flowHL float64
		// Second tick's impact: Φ(X + 1e7) − Φ(X), X the memory of the first sale.
		want float64
	}{
		{0, -0.001}, // X = 0: −0.01·√0.01
		{1, -0.01 * (math.Sqrt(0.015) - math.Sqrt(0.005))}, // X = −5e6
		{math.Inf(1), -0.01 * (math.Sqrt(0.02) - math.Sqrt(0.01))},
	} {
		sq.FlowHalfLife = c.flowHL
		w := newWorld(t)
		h := fund(w, "f", core.HedgeFund, 1e9)
		m := newMarket(t, w, liqs(sq), Conventions{}, nil, Funding{})
		w.Submit(core.Order{Holder: h.Index, Asset: aEQ, Units: -1e5})
		m.Clear(w)
		p1 := w.Price[aEQ]
		m.Close(w)
		m.Open(w)
		w.ResetOrders()
		// $1e7 more at the new price.
		w.Submit(core.Order{Holder: h.Index, Asset: aEQ, Units: -1e7 / p1})
		m.Clear(w)
		if !closeTo(m.Impact[aEQ], c.want, 1e-15) {
			t.Errorf("flow half-life %v: second impact %.10g, want %.10g", c.flowHL, m.Impact[aEQ], c.want)
		}
	}
}

// TestExogenousAndImpact: exogenous returns and impact add on the open
// price within a tick; the exogenous part is reported on its own.
func TestExogenousAndImpact(t *testing.T) {
	w := newWorld(t)
	h := fund(w, "f", core.HedgeFund, 1e6)
	m := newMarket(t, w, liqs(linear(1e-4, 0.5, 0)), Conventions{}, nil, Funding{})
	x := make([]float64, nAssets)
	x[aEQ], x[aUSDJPY] = 0.02, -0.04
	m.ApplyExogenous(w, x)
	if !closeTo(w.Price[aEQ], 102, 1e-12) || !closeTo(w.Price[aUSDJPY], 144, 1e-12) || m.Exogenous(aEQ) != 0.02 {
		t.Fatalf("after the exogenous move: EQ %v USDJPY %v exo %v", w.Price[aEQ], w.Price[aUSDJPY], m.Exogenous(aEQ))
	}
	if !closeTo(w.FXUSD[1], 1.0/144, 1e-18) {
		t.Errorf("FXUSD not updated after the exogenous move: %v", w.FXUSD[1])
	}
	w.Submit(core.Order{Holder: h.Index, Asset: aEQ, Units: 100})
	m.Clear(w)
	// Fundamental 100·(1 + 0.02 + 0.005) = 102.5, temporary 100·0.005 = 0.5.
	if !closeTo(w.Price[aEQ], 103, 1e-12) || !closeTo(m.Fundamental(aEQ), 102.5, 1e-12) {
		t.Errorf("price %v fundamental %v, want 103 and 102.5", w.Price[aEQ], m.Fundamental(aEQ))
	}
	// A crash cannot take the price through zero.
	x[aEQ], x[aUSDJPY] = -5, 0
	m.ApplyExogenous(w, x)
	if !(w.Price[aEQ] > 0) {
		t.Errorf("price %v after a −500%% shock", w.Price[aEQ])
	}
}

// TestAttribution: each order is attributed its share of the round's
// impact (its units over the net flow); attributions summed over kinds, or
// over reasons, equal each asset's impact. Sales and purchases are
// reported by kind and reason at the pre-round price.
func TestAttribution(t *testing.T) {
	w := newWorld(t)
	hf := fund(w, "hf", core.HedgeFund, 1e7)
	cta := fund(w, "cta", core.CTA, 1e7)
	bank := fund(w, "bank", core.Bank, 1e7)
	m := newMarket(t, w, liqs(linear(1e-4, 1, 0)), Conventions{}, nil, Funding{})
	w.Submit(core.Order{Holder: hf.Index, Asset: aEQ, Units: -300, Reason: core.MarginCall})
	w.Submit(core.Order{Holder: cta.Index, Asset: aEQ, Units: 100, Reason: core.CTASignal})
	w.Submit(core.Order{Holder: bank.Index, Asset: aEQ, Units: -50, Reason: core.Deleveraging})
	w.Submit(core.Order{Holder: bank.Index, Asset: aUST, Units: 200, Reason: core.Deleveraging})
	m.Clear(w)
	// EQ: net −250, impact −2.5%: hf −300/−250 of it, cta 100/−250, bank −50/−250.
	nk, nr := int(core.NumAgentKinds), int(core.NumReasons)
	want := map[core.AgentKind]float64{core.HedgeFund: -0.03, core.CTA: 0.01, core.Bank: -0.005}
	for k, v := range want {
		if got := m.AttrKind[aEQ*nk+int(k)]; !closeTo(got, v, 1e-15) {
			t.Errorf("EQ attributed to %s: %v, want %v", k, got, v)
		}
	}
	if got := m.AttrReason[aEQ*nr+int(core.MarginCall)]; !closeTo(got, -0.03, 1e-15) {
		t.Errorf("EQ attributed to margin calls: %v", got)
	}
	for i := 0; i < nAssets; i++ {
		var sk, sr float64
		for k := 0; k < nk; k++ {
			sk += m.AttrKind[i*nk+k]
		}
		for r := 0; r < nr; r++ {
			sr += m.AttrReason[i*nr+r]
		}
		if !closeTo(sk, m.Impact[i], 1e-15) || !closeTo(sr, m.Impact[i], 1e-15) {
			t.Errorf("%s: attribution by kind %v, by reason %v, impact %v", w.Assets[i].ID, sk, sr, m.Impact[i])
		}
	}
	if !closeTo(m.Impact[aEQ], -0.025, 1e-15) || !closeTo(m.Impact[aUST], 0.02, 1e-15) {
		t.Errorf("impacts %v", m.Impact)
	}
	if m.Sold[core.HedgeFund][core.MarginCall] != 30000 || m.Sold[core.Bank][core.Deleveraging] != 5000 ||
		m.Bought[core.CTA][core.CTASignal] != 10000 || m.Bought[core.Bank][core.Deleveraging] != 20000 || m.SoldAsset[aEQ] != 35000 {
		t.Errorf("sales %v / purchases %v / by asset %v", m.Sold, m.Bought, m.SoldAsset)
	}
}

// TestClearConserves: a round with funded, foreign, futures and FX orders
// from holders at a broker, cleared against two dealers, conserves units
// and money, and every ledger equals its balance sheet after settlement.
func TestClearConserves(t *testing.T) {
	for _, conv := range []Conventions{{}, {Execution: ExecPost, Flow: FlowValue}, {Execution: ExecPre, Sequential: true}} {
		w := newWorld(t)
		pb := fund(w, "pb", core.PrimeBroker, 1e9)
		d := fund(w, "dealer", core.Dealer, 1e9)
		h := fund(w, "hf", core.HedgeFund, 1e8)
		k := w.OpenAccount(h, pb.Index, true)
		w.Transfer(h, 0, h, k, core.USD, 5e7)
		sq := Liquidity{Impact: SquareRoot, Y: 1, DailyVol: 0.01, ADV: 1e10, Permanent: 0.5, HalfLife: 12, FlowHalfLife: 6}
		liq := liqs(sq)
		liq[aUST] = Liquidity{Impact: Exponential, Delta: 1e7, Floor: 0.1, Permanent: 0.7}
		dealers := []Dealer{
			{Holder: pb.Index, Share: 1, LevLimit: 20, UStar: 0.5, Floor: 0.2, LayoffHalfLife: 3, FinancingWeight: 0.1},
			{Holder: d.Index, Share: 2, LevLimit: 10, UStar: 0.5, Floor: 0.2, LayoffHalfLife: 5},
		}
		units0, cash0 := totals(w)
		m := newMarket(t, w, liq, conv, dealers, Funding{})
		for tick := 0; tick < 3; tick++ {
			w.Tick = tick
			if tick > 0 {
				m.Open(w)
			}
			x := make([]float64, nAssets)
			x[aUSDJPY], x[aNKY] = -0.01, 0.004
			m.ApplyExogenous(w, x)
			w.AdvanceAccrual()
			for round := 0; round < 2; round++ {
				w.ResetOrders()
				w.Submit(core.Order{Holder: h.Index, Acct: k, Asset: aNKY, Units: 500})
				w.Submit(core.Order{Holder: h.Index, Acct: k, Asset: aTY, Units: -2e4})
				w.Submit(core.Order{Holder: h.Index, Acct: k, Asset: aUST, Units: 3e4})
				w.Submit(core.Order{Holder: h.Index, Acct: k, Asset: aUSDJPY, Units: 1e6})
				w.Submit(core.Order{Holder: h.Index, Acct: 0, Asset: aEQ, Units: -1e4})
				m.Clear(w)
				audit(t, w, units0, cash0, "round")
			}
			m.Close(w)
			audit(t, w, units0, cash0, "close")
		}
	}
}

// TestNewErrors: a market needs one valid liquidity spec per asset and
// valid dealers.
func TestNewErrors(t *testing.T) {
	w := newWorld(t)
	d := fund(w, "dealer", core.Dealer, 1e6)
	good := Dealer{Holder: d.Index, Share: 1, LevLimit: 10, UStar: 0.5, Floor: 0.2}
	if _, err := New(w, liqs(linear(1e-4, 1, 0))[:3], Conventions{}, nil, Funding{}); err == nil {
		t.Error("too few liquidity specs accepted")
	}
	bad := liqs(linear(1e-4, 1, 0))
	bad[2].Permanent = 2
	if _, err := New(w, bad, Conventions{}, nil, Funding{}); err == nil {
		t.Error("invalid liquidity accepted")
	}
	for _, mod := range []func(*Dealer){
		func(x *Dealer) { x.Holder = 0 },
		func(x *Dealer) { x.Holder = 99 },
		func(x *Dealer) { x.LevLimit = 0 },
		func(x *Dealer) { x.UStar = 1 },
		func(x *Dealer) { x.UStar = -0.1 },
		func(x *Dealer) { x.Floor = 0 },
		func(x *Dealer) { x.Floor = 1.5 },
		func(x *Dealer) { x.Share = -1 },
	} {
		dl := good
		mod(&dl)
		if _, err := New(w, liqs(linear(1e-4, 1, 0)), Conventions{}, []Dealer{dl}, Funding{}); err == nil {
			t.Errorf("invalid dealer %+v accepted", dl)
		}
	}
	if _, err := New(w, liqs(linear(1e-4, 1, 0)), Conventions{}, []Dealer{good}, Funding{}); err != nil {
		t.Errorf("good dealer rejected: %v", err)
	}
}

// TestImpactBase pins the package doc: a round's impact Φ splits into its
// permanent share on the fundamental at the open and its temporary share on
// the open price. After a first buy (100 → 101: fundamental 100.5,
// temporary 0.5 that never decays) a second Φ = 1% moves the price by
// 1%·(0.5·100.5 + 0.5·101) = 1.0075, to 102.0075, not 1% of the open (102.01).
func TestImpactBase(t *testing.T) {
	w := newWorld(t)
	h := fund(w, "f", core.HedgeFund, 1e7)
	m := newMarket(t, w, liqs(linear(1e-4, 0.5, math.Inf(1))), Conventions{}, nil, Funding{})
	w.Submit(core.Order{Holder: h.Index, Asset: aEQ, Units: 100})
	m.Clear(w)
	m.Close(w)
	m.Open(w)
	if !closeTo(w.Price[aEQ], 101, 1e-12) || !closeTo(m.Fundamental(aEQ), 100.5, 1e-12) {
		t.Fatalf("after the first buy: price %v, fundamental %v; want 101 and 100.5", w.Price[aEQ], m.Fundamental(aEQ))
	}
	w.ResetOrders()
	w.Submit(core.Order{Holder: h.Index, Asset: aEQ, Units: 100})
	m.Clear(w)
	if !closeTo(w.Price[aEQ], 102.0075, 1e-12) || !closeTo(m.Fundamental(aEQ), 100.5*1.005, 1e-12) {
		t.Errorf("price %v, fundamental %v; want 102.0075 and %v", w.Price[aEQ], m.Fundamental(aEQ), 100.5*1.005)
	}
}

// TestClearBeforeFirstOpen: a market fresh from New clears a round at the
// world's prices (the engine opens every tick first, but set-up code and
// tests may clear at once).
func TestClearBeforeFirstOpen(t *testing.T) {
	w := newWorld(t)
	h := fund(w, "f", core.HedgeFund, 1e7)
	liq := liqs(linear(1e-4, 0.5, 0))
	liq[aUSDJPY] = linear(0, 1, 0)
	m, err := New(w, liq, Conventions{}, nil, Funding{})
	if err != nil {
		t.Fatal(err)
	}
	units0, cash0 := totals(w)
	w.Submit(core.Order{Holder: h.Index, Asset: aEQ, Units: 100})
	w.Submit(core.Order{Holder: h.Index, Asset: aUSDJPY, Units: 1000})
	m.Clear(w)
	if !closeTo(w.Price[aEQ], 101, 1e-12) || w.Price[aUSDJPY] != 150 || !closeTo(h.Cash[core.USD], 1e7-100*100.5+1000, 1e-6) || h.Cash[1] != -1.5e5 {
		t.Errorf("EQ %v USDJPY %v, cash %v yen %v; want 101, 150, 1e7 − 10050 + 1000, −150000", w.Price[aEQ], w.Price[aUSDJPY], h.Cash[core.USD], h.Cash[1])
	}
	audit(t, w, units0, cash0, "before open")
}
