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

	Util float64 // utilization at the last update
	G    float64 // depth factor at the last update
	cap  float64 // capacity at the last update, USD

	inv  []float64 // FX inventory in base-currency units, per asset
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
	return math.Max(d.Floor, g)
}

// Exposure returns the dealer's gross exposure in USD: inventory at market
// plus weighted client financing.
func (d *Dealer) Exposure(w *core.World) float64 {
	h := w.Holders[d.Holder]
	e := 0.0
	acc := &h.Accounts[0]
	for _, i := range acc.Held {
		e += math.Abs(w.NotionalUSD(i, acc.Units[i]))
	}
	for i, u := range d.inv {
		if u != 0 {
			e += math.Abs(w.NotionalUSD(i, u))
		}
	}
	if d.FinancingWeight > 0 {
		for c := 0; c < w.NCur; c++ {
			if b := h.ClientBal[c]; b < 0 {
				e -= d.FinancingWeight * b * w.FXUSD[c]
			}
		}
	}
	return e
}

// update recomputes utilization and the depth factor; extra is the share of
// capacity a central-bank facility adds.
func (d *Dealer) update(w *core.World, extra float64) {
	capacity := math.Max(w.NAV(w.Holders[d.Holder]), 0) * d.LevLimit * (1 + extra)
	d.cap = capacity
	if capacity <= 0 {
		d.Util, d.G = math.Inf(1), d.Floor
		return
	}
	d.Util = d.Exposure(w) / capacity
	d.G = d.depth(d.Util)
}

// absorb puts q units of asset i (the market's side of the round: minus the
// net flow) on the dealers' balance sheets at price x, each dealer taking its
// share weighted by its current depth; with no dealers the outside sector
// takes it.
func (m *Market) absorb(w *core.World, i int, q, x, mark float64) {
	tot := 0.0
	for k := range m.Dealers {
		tot += m.Dealers[k].Share * m.Dealers[k].G
	}
	if tot <= 0 {
		w.Fill(w.Holders[0], 0, i, q, x, mark, m.oldFX)
		return
	}
	for k := range m.Dealers {
		d := &m.Dealers[k]
		s := d.Share * d.G / tot
		if s == 0 {
			continue
		}
		w.Fill(w.Holders[d.Holder], 0, i, q*s, x, mark, m.oldFX)
		if w.Assets[i].Kind == core.FX {
			d.inv[i] += q * s
		}
	}
}

// Utilization returns the capacity-weighted utilization of the dealer sector.
func (m *Market) Utilization(w *core.World) float64 {
	num, den := 0.0, 0.0
	for k := range m.Dealers {
		d := &m.Dealers[k]
		c := math.Max(w.NAV(w.Holders[d.Holder]), 0) * d.LevLimit
		if math.IsInf(d.Util, 1) {
			return math.Inf(1)
		}
		num += d.Util * c
		den += c
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// Close ends a tick: dealers pass part of their inventory to the outside
// sector at the market price (no impact: end investors absorb it slowly),
// utilization and depth are updated, and funding rates follow utilization.
func (m *Market) Close(w *core.World) {
	out := w.Holders[0]
	for k := range m.Dealers {
		d := &m.Dealers[k]
		if d.keep >= 1 {
			continue
		}
		h := w.Holders[d.Holder]
		f := 1 - d.keep
		for i := range w.Assets {
			a := &w.Assets[i]
			var q float64
			if a.Kind == core.FX {
				q = d.inv[i] * f
			} else {
				q = h.Accounts[0].Units[i] * f
			}
			if q == 0 || !a.Tradable() || math.Abs(w.NotionalUSD(i, q)) < 1e-5*d.cap {
				continue // dust: wait until there is enough to pass on
			}
			if a.Kind == core.FX {
				d.inv[i] -= q // only what is passed on leaves the inventory
			}
			// The dealer sells q at the mark; the outside sector buys it.
			w.Fill(h, 0, i, -q, w.Price[i], w.Price[i], w.FXUSD)
			w.Fill(out, 0, i, q, w.Price[i], w.Price[i], w.FXUSD)
		}
	}
	extra := 0.0
	if w.Facility {
		extra = m.Funding.FacilityCapacity
	}
	g, tot := 0.0, 0.0
	for k := range m.Dealers {
		d := &m.Dealers[k]
		d.update(w, extra)
		g += d.Share * d.G
		tot += d.Share
	}
	m.Depth = 1
	if w.Channels.DealerConstraint && tot > 0 {
		m.Depth = g / tot
	}
	w.DealerUtil = m.Utilization(w)
	m.Funding.Update(w)
}
