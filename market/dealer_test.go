package market

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestDealerDepth: g(u) is 1 up to UStar, falls linearly to Floor at full
// utilization and stays at Floor beyond.
func TestDealerDepth(t *testing.T) {
	d := Dealer{UStar: 0.5, Floor: 0.2}
	d0 := Dealer{UStar: 0, Floor: 0.5}
	for _, c := range []struct {
		d       *Dealer
		u, want float64
	}{
		{&d, 0, 1},
		{&d, 0.3, 1},
		{&d, 0.5, 1},
		{&d, 0.75, 0.6}, // 1 − 0.8·0.25/0.5
		{&d, 0.9, 0.36}, // 1 − 0.8·0.4/0.5
		{&d, 1, 0.2},
		{&d, 1.5, 0.2},
		{&d, math.Inf(1), 0.2},
		{&d0, 0, 1},
		{&d0, 0.5, 0.75}, // 1 − 0.5·0.5
		{&d0, 2, 0.5},
	} {
		if got := c.d.depth(c.u); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("UStar %v Floor %v: g(%v) = %v, want %v", c.d.UStar, c.d.Floor, c.u, got, c.want)
		}
	}
}

// TestDealerUtilization: exposure is inventory at market (futures at
// notional, FX inventory in USD) plus weighted client financing; capacity
// is equity times LevLimit, raised by a facility's extra capacity.
func TestDealerUtilization(t *testing.T) {
	w := newWorld(t)
	h := fund(w, "pb", core.PrimeBroker, 1e6)
	client := fund(w, "client", core.HedgeFund, 0)
	k := w.OpenAccount(client, h.Index, true)
	w.SetupTrade(client, k, aEQ, 2e4) // the broker lends $2e6: its ClientBal is −2e6
	w.SetupTrade(h, 0, aEQ, 1e4)      // $1e6 long
	w.SetupTrade(h, 0, aTY, -1e4)     // $1.1e6 short notional
	d := Dealer{Holder: h.Index, Share: 1, LevLimit: 4, UStar: 0.5, Floor: 0.2, FinancingWeight: 0.5}
	m := newMarket(t, w, liqs(linear(0, 1, 0)), Conventions{}, []Dealer{d}, Funding{})
	m.Dealers[0].inv[aUSDJPY] = -5e5 // $0.5m of FX inventory
	// 1e6 + 1.1e6 + 0.5e6 + 0.5·2e6 = 3.6e6.
	if e := m.Dealers[0].Exposure(w); math.Abs(e-3.6e6) > 1e-6 {
		t.Errorf("exposure %v, want 3.6e6", e)
	}
	dl := &m.Dealers[0]
	dl.update(w, 0)
	// Capacity 1e6·4 = 4e6: u = 0.9, g = 0.36.
	if math.Abs(dl.Util-0.9) > 1e-12 || math.Abs(dl.G-0.36) > 1e-12 {
		t.Errorf("util %v g %v, want 0.9 and 0.36", dl.Util, dl.G)
	}
	dl.update(w, 0.5)
	// Capacity 6e6: u = 0.6, g = 0.84.
	if math.Abs(dl.Util-0.6) > 1e-12 || math.Abs(dl.G-0.84) > 1e-12 {
		t.Errorf("with a facility: util %v g %v, want 0.6 and 0.84", dl.Util, dl.G)
	}
	// No equity left: infinite utilization, depth at the floor.
	w.Pay(h, 0, w.Holders[0], 0, core.USD, 2e6, core.PnLCredit)
	dl.update(w, 0)
	if !math.IsInf(dl.Util, 1) || dl.G != 0.2 || !math.IsInf(m.Utilization(w), 1) {
		t.Errorf("insolvent dealer: util %v g %v sector %v", dl.Util, dl.G, m.Utilization(w))
	}
}

// TestDealersAbsorb: net flow is split among dealers in proportion to
// Share × G; with no dealer depth left the outside sector takes it. Close
// reports the share-weighted depth when the dealer constraint is on.
func TestDealersAbsorb(t *testing.T) {
	w, m, buyer, d1, d2 := twoDealers(t, 3)
	m.Dealers[1].G = 0.5
	w.Submit(core.Order{Holder: buyer.Index, Asset: aEQ, Units: 100})
	w.Submit(core.Order{Holder: buyer.Index, Asset: aUSDJPY, Units: 1000})
	m.Clear(w)
	// Weights 1·1 and 3·0.5: 40% and 60%.
	if u1, u2 := d1.Accounts[0].Units[aEQ], d2.Accounts[0].Units[aEQ]; math.Abs(u1+40) > 1e-12 || math.Abs(u2+60) > 1e-12 {
		t.Errorf("dealers took %v and %v, want −40 and −60", u1, u2)
	}
	if i1, i2 := m.Dealers[0].inv[aUSDJPY], m.Dealers[1].inv[aUSDJPY]; math.Abs(i1+400) > 1e-9 || math.Abs(i2+600) > 1e-9 {
		t.Errorf("FX inventory %v and %v, want −400 and −600", i1, i2)
	}
	// Dealer 2 sold 60 EQ at 100 and $600 for yen.
	if math.Abs(d2.Cash[core.USD]-(1e7+6000-600)) > 1e-6 || math.Abs(d2.Cash[1]-600*150) > 1e-6 {
		t.Errorf("dealer 2's dollars %v yen %v", d2.Cash[core.USD], d2.Cash[1])
	}
	// No depth left anywhere: the outside sector takes the flow.
	m.Dealers[0].G, m.Dealers[1].G = 0, 0
	w.ResetOrders()
	w.Submit(core.Order{Holder: buyer.Index, Asset: aEQ, Units: 10})
	m.Clear(w)
	if w.Holders[0].Accounts[0].Units[aEQ] != -10 {
		t.Errorf("outside sector took %v, want −10", w.Holders[0].Accounts[0].Units[aEQ])
	}
	// Close recomputes depth: both nearly idle, so g = 1 and Depth = 1;
	// with dealer 2 over its limit Depth is (1·1 + 3·g2)/4.
	m.Close(w)
	if m.Depth != 1 || m.Dealers[0].G != 1 || m.Dealers[1].G != 1 {
		t.Errorf("idle dealers: Depth %v, G %v %v", m.Depth, m.Dealers[0].G, m.Dealers[1].G)
	}
	w.SetupTrade(d2, 0, aEQ, 9e5) // $9e7 on $1e8 of capacity: u ≈ 0.9
	m.Close(w)
	g2 := m.Dealers[1].G
	if !(g2 < 0.5) || math.Abs(m.Depth-(1+3*g2)/4) > 1e-12 {
		t.Errorf("Depth %v with g2 %v, want (1 + 3·g2)/4", m.Depth, g2)
	}
	w.Channels.DealerConstraint = false
	m.Close(w)
	if m.Depth != 1 {
		t.Errorf("dealer constraint off: Depth %v, want 1", m.Depth)
	}
	// A dealer whose kind is switched off (passive) takes no flow and does
	// not count in depth: dealer 1 takes it all.
	w.Channels.DealerConstraint = true
	d2.SetPassive(true)
	m.Close(w)
	if m.Depth != 1 {
		t.Errorf("passive dealer 2 still counts in depth: %v", m.Depth)
	}
	before1, before2 := w.Holders[m.Dealers[0].Holder].Accounts[0].Units[aEQ], d2.Accounts[0].Units[aEQ]
	w.ResetOrders()
	w.Submit(core.Order{Holder: buyer.Index, Asset: aEQ, Units: 10})
	m.Clear(w)
	if got1, got2 := w.Holders[m.Dealers[0].Holder].Accounts[0].Units[aEQ]-before1, d2.Accounts[0].Units[aEQ]-before2; got1 != -10 || got2 != 0 {
		t.Errorf("with dealer 2 passive the dealers took %v and %v, want −10 and 0", got1, got2)
	}
}

// TestDepthThinsImpact: the market's depth factor divides linear impact.
func TestDepthThinsImpact(t *testing.T) {
	w := newWorld(t)
	h := fund(w, "f", core.HedgeFund, 1e7)
	m := newMarket(t, w, liqs(linear(1e-4, 1, 0)), Conventions{}, nil, Funding{})
	m.Depth = 0.25
	w.Submit(core.Order{Holder: h.Index, Asset: aEQ, Units: -100})
	m.Clear(w)
	if math.Abs(m.Impact[aEQ]+0.04) > 1e-15 {
		t.Errorf("impact at depth 0.25: %v, want −0.04", m.Impact[aEQ])
	}
}

// TestLayoff: at every close a dealer passes 1 − 0.5^(1/half-life) of its
// inventory to the outside sector at the market price, without impact:
// units and money are conserved and prices do not move.
func TestLayoff(t *testing.T) {
	w, m, buyer, dh := layoffWorld(t, 1e-5, 1)
	units0, cash0 := totals(w)
	w.Submit(core.Order{Holder: buyer.Index, Asset: aEQ, Units: 1000})
	m.Clear(w)
	out := w.Holders[0]
	p := w.Price[aEQ]
	for tick := 1; tick <= 8; tick++ {
		m.Close(w)
		audit(t, w, units0, cash0, "layoff")
		if w.Price[aEQ] != p {
			t.Fatalf("layoff moved the price: %v -> %v", p, w.Price[aEQ])
		}
		// The dealer, short 1000, buys half of it back from end investors
		// every tick (half-life one tick).
		want := -1000 * math.Pow(0.5, float64(tick))
		if u := dh.Accounts[0].Units[aEQ]; math.Abs(u-want) > 1e-9 {
			t.Errorf("close %d: dealer holds %v EQ, want %v", tick, u, want)
		}
		if u := out.Accounts[0].Units[aEQ]; math.Abs(u-(-1000-want)) > 1e-9 {
			t.Errorf("close %d: outside sector holds %v EQ, want %v", tick, u, -1000-want)
		}
		m.Open(w)
	}
}

// TestFXLayoff: FX inventory is laid off like positions, and the dealer's
// record of it (which counts in its exposure) follows the dollars it
// actually holds from dealing, including once what is left is too small to
// pass on (a remnant below 1e-5 of capacity stays with the dealer).
func TestFXLayoff(t *testing.T) {
	w, m, buyer, dh := layoffWorld(t, 0, 1) // capacity $1e7: dust below $100
	units0, cash0 := totals(w)
	usd0 := dh.Cash[core.USD]
	w.Submit(core.Order{Holder: buyer.Index, Asset: aUSDJPY, Units: 1000}) // the dealer sells $1000
	m.Clear(w)
	for tick := 1; tick <= 8; tick++ {
		m.Close(w)
		audit(t, w, units0, cash0, "fx layoff")
		held, inv := dh.Cash[core.USD]-usd0, m.Dealers[0].inv[aUSDJPY]
		if math.Abs(held-inv) > 1e-9 {
			t.Errorf("close %d: dealer short $%v from FX dealing, its inventory record says $%v", tick, -held, -inv)
		}
		if tick <= 3 && math.Abs(held+1000*math.Pow(0.5, float64(tick))) > 1e-9 {
			t.Errorf("close %d: dealer short $%v, want $%v", tick, -held, 1000*math.Pow(0.5, float64(tick)))
		}
		m.Open(w)
	}
}

// TestSlowLayoff: with a half-life of a day in hourly ticks, an inventory
// above the dust level keeps passing on even though each tick's slice
// (2.8% of it) is below that level: half is gone after 24 closes, 3/4
// after 48. Capacity $1e7 makes dust $100; the inventory is $2,000, each
// slice about $57.
func TestSlowLayoff(t *testing.T) {
	w, m, buyer, dh := layoffWorld(t, 0, 24)
	units0, cash0 := totals(w)
	w.Submit(core.Order{Holder: buyer.Index, Asset: aEQ, Units: 20})
	m.Clear(w)
	for tick := 1; tick <= 48; tick++ {
		m.Close(w)
		audit(t, w, units0, cash0, "slow layoff")
		m.Open(w)
		if tick%24 == 0 {
			want := -20 * math.Pow(0.5, float64(tick)/24)
			if u := dh.Accounts[0].Units[aEQ]; math.Abs(u-want) > 1e-9 {
				t.Errorf("close %d: dealer holds %v EQ, want %v", tick, u, want)
			}
		}
	}
}

// TestNoLayoff: with half-life 0 inventory stays with the dealer.
func TestNoLayoff(t *testing.T) {
	w, m, buyer, dh := layoffWorld(t, 1e-5, 0)
	w.Submit(core.Order{Holder: buyer.Index, Asset: aEQ, Units: 1000})
	m.Clear(w)
	for tick := 0; tick < 3; tick++ {
		m.Close(w)
		m.Open(w)
	}
	if dh.Accounts[0].Units[aEQ] != -1000 {
		t.Errorf("dealer holds %v, want −1000", dh.Accounts[0].Units[aEQ])
	}
}

// TestDealerExposureSeized: a dealer that is also a prime broker (one
// balance sheet) counts collateral it has seized from defaulted clients,
// held in a second custody account until sold, in the utilization that sets
// market depth, as the broker's own utilization does.
func TestDealerExposureSeized(t *testing.T) {
	w := newWorld(t)
	h := fund(w, "pb", core.PrimeBroker, 1e6)
	liq := w.OpenAccount(h, core.Custody, false)
	w.SetupTrade(h, liq, aEQ, 1e4) // $1e6 of seized collateral
	m := newMarket(t, w, liqs(linear(0, 1, 0)), Conventions{}, []Dealer{{Holder: h.Index, Share: 1, LevLimit: 4, UStar: 0.5, Floor: 0.2}}, Funding{})
	if e := m.Dealers[0].Exposure(w); math.Abs(e-1e6) > 1e-6 {
		t.Errorf("exposure %v, want the 1e6 of seized collateral", e)
	}
}

// TestDealerCapacityBrokerCapital: a dealer's capacity is its equity times
// LevLimit, so a capital loss shrinks it; with the broker_capital channel
// off it rests on the starting capital and the loss changes nothing.
func TestDealerCapacityBrokerCapital(t *testing.T) {
	for _, c := range []struct {
		on   bool
		want float64
	}{{true, 0.6e6 * 4}, {false, 1e6 * 4}} {
		w := newWorld(t)
		w.Channels.BrokerCapital = c.on
		h := fund(w, "dealer", core.Bank, 1e6)
		h.Book0 = h.Book
		m := newMarket(t, w, liqs(linear(0, 1, 0)), Conventions{}, []Dealer{{Holder: h.Index, Share: 1, LevLimit: 4, UStar: 0.5, Floor: 0.2}}, Funding{})
		w.Pay(h, 0, w.Holders[0], 0, core.USD, 0.4e6, core.PnLTrading) // a loss of 40% of capital
		m.Close(w)
		if got := m.Dealers[0].cap; math.Abs(got-c.want) > 1e-6 {
			t.Errorf("broker_capital %v: capacity %v, want %v", c.on, got, c.want)
		}
	}
}

// TestLayoffWaitsForOpen: a dealer lays inventory off only at the closes
// of an open market, one tick's share each, and the open does not catch up
// on the hours the market was shut: end investors cannot buy a closed
// market, and a catch-up would pass days of inventory on in one instant at
// the mark (ODD 7.3, 9.11). A dealer short 1000 EQ with a layoff half-life
// of 2 ticks lays off at the first close, then EQ is closed for 3 ticks and
// reopens: two open closes leave 1000·0.5^(2/2) = 500, not the 176.8 of
// five ticks of calendar time; units and cash are conserved throughout.
func TestLayoffWaitsForOpen(t *testing.T) {
	w, m, buyer, dh := layoffWorld(t, 0, 2)
	units0, cash0 := totals(w)
	w.Trading = make([]bool, len(w.Assets))
	for i := range w.Trading {
		w.Trading[i] = true
	}
	w.Submit(core.Order{Holder: buyer.Index, Asset: aEQ, Units: 1000})
	m.Clear(w)
	m.Close(w) // tick 0: open
	w.Trading[aEQ] = false
	for tick := 1; tick <= 3; tick++ {
		m.Open(w)
		m.Close(w)
		if u := dh.Accounts[0].Units[aEQ]; math.Abs(u+1000*math.Sqrt(0.5)) > 1e-6 {
			t.Errorf("tick %d, EQ closed: the dealer holds %.4g EQ, want %.4g (no layoff while closed)", tick, u, -1000*math.Sqrt(0.5))
		}
	}
	w.Trading[aEQ] = true
	m.Open(w)
	m.Close(w) // tick 4: the second open close since the purchase
	audit(t, w, units0, cash0, "layoff over a closure")
	if u := dh.Accounts[0].Units[aEQ]; math.Abs(u+500) > 1e-6 {
		t.Errorf("after a 3-tick closure the dealer holds %.4g EQ, want -500 (two open closes at half-life 2)", u)
	}
}

// twoDealers returns a world with a buyer holding $1e7 and two dealers
// with $1e7 of capital each (lev_limit 10, u* 0.5, floor 0.2), of shares 1
// and share2, in a market of linear impact with no price impact.
func twoDealers(t *testing.T, share2 float64) (w *core.World, m *Market, buyer, d1, d2 *core.Holder) {
	t.Helper()
	w = newWorld(t)
	buyer = fund(w, "buyer", core.HedgeFund, 1e7)
	d1 = fund(w, "d1", core.Dealer, 1e7)
	d2 = fund(w, "d2", core.Dealer, 1e7)
	dealers := []Dealer{
		{Holder: d1.Index, Share: 1, LevLimit: 10, UStar: 0.5, Floor: 0.2},
		{Holder: d2.Index, Share: share2, LevLimit: 10, UStar: 0.5, Floor: 0.2},
	}
	m = newMarket(t, w, liqs(linear(0, 1, 0)), Conventions{}, dealers, Funding{})
	return w, m, buyer, d1, d2
}

// layoffWorld returns a world with a buyer holding $1e7 and one dealer with
// $1e6 of capital (lev_limit 10, so capacity $1e7 and dust below $100; u*
// 0.5, floor 0.2) laying inventory off with the given half-life in ticks
// (0: never), in a market of linear impact lambda, all of it permanent.
func layoffWorld(t *testing.T, lambda, halfLife float64) (w *core.World, m *Market, buyer, dh *core.Holder) {
	t.Helper()
	w = newWorld(t)
	buyer = fund(w, "buyer", core.HedgeFund, 1e7)
	dh = fund(w, "dealer", core.Dealer, 1e6)
	m = newMarket(t, w, liqs(linear(lambda, 1, 0)), Conventions{}, []Dealer{{Holder: dh.Index, Share: 1, LevLimit: 10, UStar: 0.5, Floor: 0.2, LayoffHalfLife: halfLife}}, Funding{})
	return w, m, buyer, dh
}

// TestDealerSplitChannelOff: with the dealer_constraint channel off,
// utilization must not weight how the round's net flow is split among
// dealers: the split follows Share alone. Dealer 2 (share 3) holds $9e7 on
// $1e8 of capacity, u = 0.9, so g2 = 1 − 0.8·0.4/0.5 = 0.36.
func TestDealerSplitChannelOff(t *testing.T) {
	for _, c := range []struct {
		name   string
		on     bool
		w1, w2 float64 // dealers' shares of a buy of 100 EQ
	}{
		{"constraint on", true, 100 * 1 / (1 + 3*0.36), 100 * 3 * 0.36 / (1 + 3*0.36)}, // 48.08 / 51.92
		{"constraint off", false, 25, 75},
	} {
		t.Run(c.name, func(t *testing.T) {
			w, m, buyer, d1, d2 := twoDealers(t, 3)
			w.SetupTrade(d2, 0, aEQ, 9e5) // $9e7 of inventory
			w.Channels.DealerConstraint = c.on
			m.Close(w)
			if g := m.Dealers[1].G; math.Abs(g-0.36) > 1e-9 {
				t.Fatalf("g2 = %v, want 0.36", g)
			}
			before2 := d2.Accounts[0].Units[aEQ]
			w.Submit(core.Order{Holder: buyer.Index, Asset: aEQ, Units: 100})
			m.Clear(w)
			got1, got2 := -d1.Accounts[0].Units[aEQ], before2-d2.Accounts[0].Units[aEQ]
			if math.Abs(got1-c.w1) > 1e-9 || math.Abs(got2-c.w2) > 1e-9 {
				t.Errorf("dealers took %.4f and %.4f, want %.4f and %.4f", got1, got2, c.w1, c.w2)
			}
		})
	}
}
