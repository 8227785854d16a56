package market

import (
	"math"

	"github.com/cascade-sim/cascade/core"
)

// Funding sets funding spreads from dealer utilization (MODEL.md §2): the USD
// repo spread and the spread on other currencies' funding widen past UStar,
// s = s0 + s1·x with x = min(max(0, u − u*), MaxStress), and the JPY/USD
// cross-currency basis grows more negative, b = b0 − b1·x. The stress
// saturates at MaxStress, which is also what a sector with no capacity left
// (infinite utilization) prices, so spreads never narrow as utilization
// rises. A central-bank facility caps the repo spread at FacilityCap, caps
// the basis at its value at the stress where repo reaches that cap, and
// adds FacilityCapacity to dealer capacity.
type Funding struct {
	RepoSpread0, RepoSlope   float64 // USD repo spread over the policy rate
	OtherSpread0, OtherSlope float64 // spread over policy for other currencies' funding
	Basis0, BasisSlope       float64 // cross-currency basis (annual; negative: dollars dear)
	UStar                    float64
	FacilityCap              float64 // repo spread cap while a facility is on (the basis follows)
	FacilityCapacity         float64 // dealer capacity added while a facility is on (fraction)
}

// Update writes the spreads and the basis into the world from its current
// dealer utilization. With the funding-feedback channel off they stay at
// their calm values.
func (f *Funding) Update(w *core.World) {
	x, repo := f.uncapped(w)
	xb := x // the stress the dollar basis prices
	if w.Facility && repo > f.FacilityCap {
		repo = max(f.FacilityCap, f.RepoSpread0)
		xb = min(x, f.facilityStress())
	}
	w.Spread[core.USD] = repo
	for c := 1; c < w.NCur; c++ {
		w.Spread[c] = f.OtherSpread0 + float64(f.OtherSlope*x)
	}
	w.XCCYBasis = f.Basis0 - float64(f.BasisSlope*xb)
}

// uncapped returns the funding stress x that the world's dealer
// utilization prices and the USD repo spread at that stress before any
// facility's cap.
func (f *Funding) uncapped(w *core.World) (x, repo float64) {
	if w.Channels.FundingFeedback && !math.IsNaN(w.DealerUtil) {
		x = min(max(0, w.DealerUtil-f.UStar), MaxStress)
	}
	return x, f.RepoSpread0 + float64(f.RepoSlope*x)
}

// Capped reports whether a facility holds the USD repo spread at its cap:
// the facility is on and the spread the world's dealer utilization prices
// is above FacilityCap. Update caps the spread (and the basis) exactly
// then; read after it, Capped says whether it did.
func (f *Funding) Capped(w *core.World) bool {
	_, repo := f.uncapped(w)
	return w.Facility && repo > f.FacilityCap
}

// MaxStress is the most funding stress x that utilization can price: u − u*
// = 1, utilization a whole balance sheet past where spreads start to widen.
// An insolvent dealer sector (utilization infinite) prices this much; before
// the cap, any finite utilization beyond u* + 1 priced more than that.
const MaxStress = 1.0

// facilityStress is the funding stress x at which the repo spread reaches
// the facility's cap. A facility caps the repo spread and the dollar
// basis (MODEL.md §2): dollars are to be had at the cap, so the basis
// widens no further than it does at that stress.
func (f *Funding) facilityStress() float64 {
	if f.RepoSlope > 0 {
		return max(0, (f.FacilityCap-f.RepoSpread0)/f.RepoSlope)
	}
	return 0 // repo is flat and above its cap: the basis stays calm
}
