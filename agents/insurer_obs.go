package agents

import (
	"math"

	"github.com/cascade-sim/cascade/core"
)

// Read-only views of an insurer's state for the outputs (the time series'
// insurer_ID_ columns, the summary and the report). None changes the
// insurer or the world: observers call them after a tick.

// HedgeNotional returns the USD the insurer owes on its hedge: the
// dollars borrowed and sold for home currency (HedgeRatio's numerator).
func (n *Insurer) HedgeNotional() float64 { return n.hedge }

// Pickup returns the hedged yield pickup of the foreign bond over the
// home bond (the home policy rate without one), annual decimal: the
// unhedged pickup less HedgeCost.
func (n *Insurer) Pickup(w *core.World) float64 { p, _ := n.pickups(w); return p }

// PickupUnhedged returns the unhedged yield pickup of the foreign bond
// over the home bond less the insurer's price of currency risk
// (fx_risk_premium), annual decimal. The allocation rule (sensitivity)
// follows the better of the two pickups.
func (n *Insurer) PickupUnhedged(w *core.World) float64 { _, p := n.pickups(w); return p }

// PickupsAt returns Pickup and PickupUnhedged read at yield, each asset's
// yield by index as an observer's frame holds them (sim.Frame.Yield, the
// yields at the tick's close): the same values, without the bonds' yields
// computed again from their prices (TestInsurerPickupsAt).
func (n *Insurer) PickupsAt(w *core.World, yield []float64) (hedged, unhedged float64) {
	yd := math.NaN()
	if n.dom >= 0 {
		yd = yield[n.dom]
	}
	return n.pickupsAt(w, yield[n.foreign], yd)
}

// ForeignUnits returns the units of the foreign bond the insurer holds.
func (n *Insurer) ForeignUnits() float64 { return n.h.Accounts[0].Units[n.foreign] }

// ForeignAsset returns the index of the foreign bond the insurer holds.
func (n *Insurer) ForeignAsset() int { return n.foreign }

// Pair returns the index of the exchange rate of the insurer's home
// currency against USD (USDJPY for a yen insurer).
func (n *Insurer) Pair() int { return n.pair }
