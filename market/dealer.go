package market

import (
	"fmt"
	"math"

	"github.com/cascade-sim/cascade/core"
)

// Dealer is one dealer's role in the market: it takes a share of every
// round's net flow onto its own balance sheet (the holder named by Holder,
// which may also be a prime broker: one balance sheet, one capital). Its
// utilization is gross exposure over capacity, capacity being equity times
// LevLimit (the Basel III leverage constraint); past UStar its depth falls
// linearly to Floor at full utilization. Inventory passes to the outside
// sector (end investors) with a half-life, which frees capacity again.
type Dealer struct {
	Holder          int
	Share           float64 // share of net flow at full depth (normalized over dealers)
	LevLimit        float64 // capacity: gross exposure per unit of equity
	UStar           float64 // utilization where depth starts to shrink
	Floor           float64 // depth factor at and beyond full utilization
	LayoffHalfLife  float64 // ticks for half the inventory to pass to the outside sector (0: never)
	FinancingWeight float64 // weight of client financing (prime-broker loans) in exposure
	// Seized, for a prime broker's dealer arm, returns the USD currency
	// positions its liquidation has still to square (nil: none).
	Seized func(*core.World) float64

	Util      float64 // utilization at the last update
	G         float64 // depth factor at the last update
	cap       float64 // capacity at the last update, USD
	insolvent bool    // no capacity at the last update: it warehouses nothing

	inv  []float64 // FX inventory in base-currency units, per asset
	fx   []int     // the FX assets: the only ones inv can hold
	keep float64
}

func (d *Dealer) init(w *core.World) error {
	if d.Holder <= 0 || d.Holder >= len(w.Holders) {
		return fmt.Errorf("market: dealer holder %d out of range", d.Holder)
	}
	if !(d.LevLimit > 0) || !(d.UStar >= 0 && d.UStar < 1) || !(d.Floor > 0 && d.Floor <= 1) || !(d.Share >= 0) {
		return fmt.Errorf("market: dealer %s: need lev_limit > 0, 0 <= u_star < 1, 0 < floor <= 1, share >= 0", w.Holders[d.Holder].ID)
	}
	d.inv = make([]float64, len(w.Assets))
	d.fx = d.fx[:0]
	for i := range w.Assets {
		if w.Assets[i].Kind == core.FX {
			d.fx = append(d.fx, i)
		}
	}
	d.keep = decay(d.LayoffHalfLife)
	if d.LayoffHalfLife == 0 {
		d.keep = 1
	}
	d.G = 1
	return nil
}

// depth returns g(u).
func (d *Dealer) depth(u float64) float64 {
	if u <= d.UStar {
		return 1
	}
	g := 1 - (1-d.Floor)*(u-d.UStar)/(1-d.UStar)
	return max(d.Floor, g)
}

// Exposure returns the dealer's gross exposure in USD: everything it holds
// outright at market (dealing inventory and, for a prime broker, seized
// collateral awaiting sale and the seized currency awaiting squaring) plus
// weighted client financing.
func (d *Dealer) Exposure(w *core.World) float64 {
	h := w.Holders[d.Holder]
	e := 0.0
	// The world's slices in locals, read once: NotionalUSD's products, in
	// its order, without reloading them for every position.
	// The units and prices are cut to the assets' length, so that the
	// asset's bounds check covers all three.
	assets, fx := w.Assets, &w.FXUSD
	n := len(assets)
	price := w.Price[:n]
	for k := range h.Accounts {
		acc := &h.Accounts[k]
		if acc.Lender != core.Custody {
			continue
		}
		units := acc.Units[:n]
		for _, i := range acc.Held {
			a := &assets[i]
			if a.Kind == core.FX {
				e += math.Abs(units[i] * fx[a.Base])
			} else {
				e += math.Abs(units[i] * price[i] * fx[a.Currency])
			}
		}
	}
	for _, i := range d.fx { // in asset order, like a pass over inv
		if u := d.inv[i]; u != 0 {
			e += math.Abs(w.NotionalUSD(i, u))
		}
	}
	if d.FinancingWeight > 0 {
		e += float64(d.FinancingWeight * w.ClientDebitsUSD(h))
	}
	if d.Seized != nil {
		e += d.Seized(w)
	}
	return e
}

// equity is the capital the dealer's capacity rests on: its equity now, or
// with the broker_capital channel off its starting capital (losses do not
// shrink what it can warehouse).
func (d *Dealer) equity(w *core.World) float64 {
	h := w.Holders[d.Holder]
	if !w.Channels.BrokerCapital {
		return max(h.Book0, 0)
	}
	return max(w.NAV(h), 0)
}

// Capacity returns the balance sheet the dealer could use at the last
// close, USD: its capital (its starting capital with the broker_capital
// channel off) times its leverage limit, plus what a central-bank facility
// adds while it is on.
func (d *Dealer) Capacity() float64 { return d.cap }

// update recomputes utilization and the depth factor; extra is the share of
// capacity a central-bank facility adds.
func (d *Dealer) update(w *core.World, extra float64) {
	capacity := d.equity(w) * d.LevLimit * (1 + extra)
	d.cap = capacity
	d.insolvent = capacity <= 0
	if d.insolvent {
		d.Util, d.G = math.Inf(1), d.Floor
		return
	}
	d.Util = d.Exposure(w) / capacity
	d.G = d.depth(d.Util)
}

// absorb puts q units of asset i (the market's side of the round: minus the
// net flow) on the dealers' balance sheets at price x, each dealer taking its
// share weighted by its current depth (m.take, whose sum is tot: see takes);
// with no dealers the outside sector takes it.
func (m *Market) absorb(w *core.World, i int, q, x, mark, tot float64) {
	if tot <= 0 {
		w.Fill(w.Holders[0], 0, i, q, x, mark, &m.oldFX)
		return
	}
	fx := w.Assets[i].Kind == core.FX
	for k, t := range m.take {
		s := t / tot
		if s == 0 {
			continue
		}
		d := &m.Dealers[k]
		w.Fill(w.Holders[d.Holder], 0, i, q*s, x, mark, &m.oldFX)
		if fx {
			d.inv[i] += float64(q * s)
		}
	}
}

// absorbEach is absorb for every asset of m.absorbed with dealers to take
// the flow (tot > 0) on balance sheets of their own (m.apart): dealer by
// dealer rather than asset by asset. Each dealer's fills are its own (no
// other dealer's fill reads or writes its balance sheet or inventory), and
// each dealer gets the same fills in the same order, so everything ends as
// absorb leaves it (TestAbsorbEachExact); core.World.FillEach makes a
// dealer's fills in one call.
func (m *Market) absorbEach(w *core.World, tot float64) {
	n := m.n
	net, has := m.net[:n], m.has[:n]
	for k, t := range m.take {
		s := t / tot
		if s == 0 {
			continue
		}
		d := &m.Dealers[k]
		// The market's side of asset i is −net[i] (m.qd); the dealer takes
		// −net[i]·s of it, as absorb has it.
		w.FillEach(w.Holders[d.Holder], 0, m.absorbed, m.qd, s, m.exec, m.pre, &m.oldFX)
		inv := d.inv[:n]
		for _, i := range d.fx {
			if q := net[i]; has[i] && q != 0 {
				inv[i] += float64(-q * s)
			}
		}
	}
}

// takes fills m.take with each dealer's weight in absorbing flow and
// returns their sum. Weights change only at the close and with the
// holders' Passive flags, so one call serves a whole clearing round.
func (m *Market) takes(w *core.World) float64 {
	if len(m.take) != len(m.Dealers) {
		m.take = make([]float64, len(m.Dealers))
	}
	tot := 0.0
	for k := range m.Dealers {
		t := m.Dealers[k].take(w)
		m.take[k] = t
		tot += t
	}
	return tot
}

// take is the dealer's weight in absorbing flow: its share at its current
// depth (its share alone with the dealer_constraint channel off, so that
// utilization does not steer the split), or nothing when its kind is
// switched off (its holder is passive: it holds what it has and
// warehouses nothing more) or when it was insolvent at the last close (no
// capital, so no balance sheet to put anything on; it still counts in
// Depth at its floor).
func (d *Dealer) take(w *core.World) float64 {
	if w.Holders[d.Holder].Passive || d.insolvent {
		return 0
	}
	if !w.Channels.DealerConstraint {
		return d.Share
	}
	return d.Share * d.G
}

// Utilization returns the utilization of the dealer sector: its gross
// exposure over its capacity, as of the dealers' last update. An insolvent
// dealer adds exposure and no capacity; +Inf only when every dealer with
// exposure is insolvent.
func (m *Market) Utilization(w *core.World) float64 {
	num, den := 0.0, 0.0
	for k := range m.Dealers {
		d := &m.Dealers[k]
		if d.cap > 0 {
			num += float64(d.Util * d.cap)
			den += d.cap
		} else {
			num += d.Exposure(w)
		}
	}
	switch {
	case den > 0:
		return num / den
	case num > 0:
		return math.Inf(1)
	}
	return 0
}

// Close ends a tick: dealers pass part of their inventory to the outside
// sector at the market price (no impact: end investors absorb it slowly),
// utilization and depth are updated, and funding rates follow utilization.
func (m *Market) Close(w *core.World) {
	out := w.Holders[0]
	// Locals of one length, read once: passing at the mark moves no price
	// or exchange rate, and changes only holders' units and cash.
	assets, trading := w.Assets, w.Trading
	price, fxUSD := w.Price[:len(assets)], &w.FXUSD
	for k := range m.Dealers {
		d := &m.Dealers[k]
		h := w.Holders[d.Holder]
		if d.keep >= 1 || h.Passive {
			continue
		}
		f := 1 - d.keep
		dust := 1e-5 * d.cap
		units := h.Accounts[0].Units[:len(assets)] // passing changes only units and cash: each pass reads units[i] as it stood
		fxInv := d.inv[:len(assets)]
		lay := m.lay[:len(assets)] // what passes of each asset (0: none), passed at once below
		pass := false
		for i := range assets {
			lay[i] = 0
			a := &assets[i]
			fx := a.Kind == core.FX
			inv := units[i]
			if fx {
				inv = fxInv[i]
			}
			q := float64(inv * f)
			if q == 0 || !a.Tradable() {
				continue
			}
			// The inventory's value, USD: w.NotionalUSD(i, inv), from the locals.
			v := 0.0
			if fx {
				v = inv * fxUSD[a.Base]
			} else {
				v = inv * price[i] * fxUSD[a.Currency]
			}
			if math.Abs(v) < dust {
				continue // dust: a remnant this small stays with the dealer
			}
			if trading != nil && !trading[i] {
				// Its market is closed: end investors cannot buy, so the
				// inventory waits for the open, and the open does not catch
				// up on the closed hours (ODD 7.3).
				continue
			}
			if fx {
				fxInv[i] -= q // only what is passed on leaves the inventory
			}
			lay[i] = q
			pass = true
		}
		if pass {
			// The dealer sells at the mark; the outside sector buys.
			// Passing moves no price: both stay settled for all of it.
			w.Settle(h)
			w.Settle(out)
			w.PassAllSettledAtMark(h, out, lay)
		}
	}
	m.Refresh(w)
}

// Refresh updates dealers' utilization and depth, the market's depth, the
// sector's utilization and funding rates from the balance sheets as they
// stand: the end of Close, and what a change of channels needs.
func (m *Market) Refresh(w *core.World) {
	extra := 0.0
	if w.Facility {
		extra = m.Funding.FacilityCapacity
	}
	g, tot := 0.0, 0.0
	for k := range m.Dealers {
		d := &m.Dealers[k]
		d.update(w, extra)
		if !w.Holders[d.Holder].Passive {
			g += float64(d.Share * d.G)
			tot += d.Share
		}
	}
	m.Depth = 1
	if w.Channels.DealerConstraint && tot > 0 {
		m.Depth = g / tot
	}
	w.DealerUtil = m.Utilization(w)
	m.Funding.Update(w)
}
