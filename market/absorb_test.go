package market

import (
	"math"
	"slices"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestAbsorbEachExact runs the same ticks twice, the market's side of each
// round absorbed dealer by dealer (absorbEach, the way a market of dealers
// with balance sheets of their own clears) and asset by asset (absorb, the
// full computation), and compares every holder and every dealer's
// inventory bit for bit after each round and close: three dealers of
// different shares and depths, one of them passive for a while, buys and
// sells of every kind of asset, an asset whose orders net to zero and
// assets without orders, over ticks that lay inventory off. A market with
// two dealers on one balance sheet never absorbs dealer by dealer.
func TestAbsorbEachExact(t *testing.T) {
	build := func() (*core.World, *Market, []*core.Holder) {
		w := newWorld(t)
		var traders []*core.Holder
		for _, id := range []string{"a", "b", "c"} {
			traders = append(traders, fund(w, id, core.HedgeFund, 1e9))
		}
		var dealers []Dealer
		for k, share := range []float64{1, 0.7, 1.9} {
			h := fund(w, "dealer", core.Dealer, 3e8)
			w.SetupTrade(h, 0, aEQ, 1e4*float64(k+1))
			w.SetupTrade(h, 0, aNKY, -50*float64(k+1))
			dealers = append(dealers, Dealer{Holder: h.Index, Share: share, LevLimit: 10, UStar: 0.01, Floor: 0.2, LayoffHalfLife: 5 + float64(k)})
		}
		liq := []Liquidity{
			{Impact: SquareRoot, Y: 1, DailyVol: 0.006, ADV: 4e11, Permanent: 0.5, HalfLife: 12, FlowHalfLife: 12},
			{Impact: SquareRoot, Y: 1, DailyVol: 0.01, ADV: 1e9, Exponent: 0.8, Permanent: 0.5, HalfLife: 12, FlowHalfLife: 12},
			linear(1e-9, 0.5, 6), linear(2e-9, 0.5, 6),
			{Impact: Exponential, Delta: 5e6, Floor: 0.1, Permanent: 0.3, HalfLife: 3},
		}
		m := newMarket(t, w, liq, Conventions{}, dealers, Funding{})
		m.Refresh(w) // depths below 1: the dealers' weights differ from their shares
		return w, m, traders
	}
	w0, m0, tr0 := build()
	w1, m1, tr1 := build()
	if !m0.apart {
		t.Fatal("three dealers of their own: apart is false")
	}
	m1.apart = false // the full computation: absorb, asset by asset
	orders := func(tick, round int) []core.Order {
		s := float64(1 + tick%3 - round)
		return []core.Order{
			{Holder: 1, Asset: aUSDJPY, Units: 3e6 * s},
			{Holder: 2, Asset: aEQ, Units: -2e4 * s},
			{Holder: 3, Asset: aEQ, Units: 7e3},
			{Holder: 1, Asset: aTY, Units: 400 * s},
			{Holder: 2, Asset: aUST, Units: 250}, {Holder: 3, Asset: aUST, Units: -250}, // nets to zero
			{Holder: 3, Asset: aNKY, Units: -30 * s},
		}
	}
	same := func(stage string) {
		t.Helper()
		for k := range w0.Holders {
			a, b := w0.Holders[k], w1.Holders[k]
			eq := a.Cash == b.Cash && sameBits(a.Book, b.Book) && a.PnL == b.PnL
			for j := range a.Accounts {
				aa, ba := &a.Accounts[j], &b.Accounts[j]
				eq = eq && slices.Equal(aa.Held, ba.Held) && aa.Dirty == ba.Dirty && aa.Stale == ba.Stale
				for i := range aa.Units {
					eq = eq && sameBits(aa.Units[i], ba.Units[i])
				}
			}
			if !eq {
				t.Fatalf("%s: %s: units %v cash %v book %v; asset by asset: units %v cash %v book %v",
					stage, a.ID, a.Accounts[0].Units, a.Cash, a.Book, b.Accounts[0].Units, b.Cash, b.Book)
			}
		}
		for k := range m0.Dealers {
			if !slices.EqualFunc(m0.Dealers[k].inv, m1.Dealers[k].inv, sameBits) {
				t.Fatalf("%s: dealer %d inventory %v, asset by asset %v", stage, k, m0.Dealers[k].inv, m1.Dealers[k].inv)
			}
		}
		for i := range w0.Price {
			if !sameBits(w0.Price[i], w1.Price[i]) {
				t.Fatalf("%s: price of %s %v, asset by asset %v", stage, w0.Assets[i].ID, w0.Price[i], w1.Price[i])
			}
		}
	}
	absorbed := 0
	for tick := 0; tick < 6; tick++ {
		for _, w := range []*core.World{w0, w1} {
			w.Holders[m0.Dealers[1].Holder].Passive = tick == 3 // takes nothing that tick
		}
		for round := 0; round < 2; round++ {
			for _, c := range []struct {
				w  *core.World
				m  *Market
				tr []*core.Holder
			}{{w0, m0, tr0}, {w1, m1, tr1}} {
				for _, h := range c.w.Holders { // as a broker clears them: a fill raises them again
					for j := range h.Accounts {
						h.Accounts[j].Dirty, h.Accounts[j].Stale = false, false
					}
				}
				c.w.ResetOrders()
				for _, o := range orders(tick, round) {
					o.Holder = c.tr[o.Holder-1].Index
					c.w.Submit(o)
				}
				c.m.Clear(c.w)
			}
			absorbed += len(m0.absorbed)
			same("tick " + string(rune('0'+tick)) + " round " + string(rune('0'+round)))
		}
		m0.Close(w0)
		m1.Close(w1)
		same("close " + string(rune('0'+tick)))
		m0.Open(w0)
		m1.Open(w1)
	}
	if absorbed == 0 || math.IsNaN(w0.Price[aEQ]) {
		t.Fatal("nothing absorbed")
	}
	// Two dealers on one balance sheet: asset by asset, always.
	w := newWorld(t)
	h := fund(w, "dealer", core.Dealer, 1e8)
	m := newMarket(t, w, liqs(linear(0, 1, 0)), Conventions{}, []Dealer{{Holder: h.Index, Share: 1, LevLimit: 10, UStar: 0.5, Floor: 0.2}, {Holder: h.Index, Share: 1, LevLimit: 10, UStar: 0.5, Floor: 0.2}}, Funding{})
	if m.apart {
		t.Error("two dealers on one balance sheet: apart is true")
	}
}

// sameBits reports whether a and b are the same float64, bit for bit.
func sameBits(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
