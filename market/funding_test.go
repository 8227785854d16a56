package market

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestFundingUpdate: spreads widen and the cross-currency basis grows more
// negative linearly past UStar; a facility caps the repo spread (never
// below its calm value) and the basis at its value where repo meets the
// cap; with the funding-feedback channel off everything
// stays calm. Capped says whether the facility's cap cut the spread.
func TestFundingUpdate(t *testing.T) {
	f := Funding{RepoSpread0: 0.001, RepoSlope: 0.02, OtherSpread0: 0.002, OtherSlope: 0.01,
		Basis0: -0.003, BasisSlope: 0.02, UStar: 0.5, FacilityCap: 0.002}
	low := f
	low.FacilityCap = 0.0005
	flat := f
	flat.RepoSlope = 0
	flatLow := low
	flatLow.RepoSlope = 0
	for _, c := range []struct {
		name               string
		f                  Funding
		util               float64
		facility, off      bool
		repo, other, basis float64
		capped             bool
	}{
		{"calm", f, 0.3, false, false, 0.001, 0.002, -0.003, false},
		{"at u*", f, 0.5, false, false, 0.001, 0.002, -0.003, false},
		// x = 0.3: repo 0.001 + 0.006, other 0.002 + 0.003, basis −0.003 − 0.006.
		{"stressed", f, 0.8, false, false, 0.007, 0.005, -0.009, false},
		// Repo reaches its cap 0.002 at x = 0.05: the basis stops at −0.003 − 0.001.
		{"facility caps repo and basis", f, 0.8, true, false, 0.002, 0.005, -0.004, true},
		{"facility below cap", f, 0.52, true, false, 0.0014, 0.0022, -0.0034, false},
		{"facility cap below calm", low, 0.8, true, false, 0.001, 0.005, -0.003, true},
		// Repo that never widens: nothing to cap, and the basis widens.
		{"facility, flat repo", flat, 0.8, true, false, 0.001, 0.005, -0.009, false},
		// Flat repo above its cap: the facility holds the basis calm.
		{"facility, flat repo above cap", flatLow, 0.8, true, false, 0.001, 0.005, -0.003, true},
		{"infinite utilization", f, math.Inf(1), false, false, 0.021, 0.012, -0.023, false},
		// Stress saturates at x = 1: utilization 3 prices no more than an
		// insolvent sector (it priced x = 2.5, more, before the cap).
		{"saturated", f, 3, false, false, 0.021, 0.012, -0.023, false},
		{"just below saturation", f, 1.4, false, false, 0.019, 0.011, -0.021, false},
		{"unknown utilization", f, math.NaN(), false, false, 0.001, 0.002, -0.003, false},
		{"feedback off", f, 0.8, false, true, 0.001, 0.002, -0.003, false},
		// Off, the feedback prices no stress, so there is nothing to cap.
		{"feedback off, facility on", f, 0.8, true, true, 0.001, 0.002, -0.003, false},
	} {
		w := newWorld(t)
		w.DealerUtil, w.Facility = c.util, c.facility
		w.Channels.FundingFeedback = !c.off
		c.f.Update(w)
		if math.Abs(w.Spread[core.USD]-c.repo) > 1e-15 || math.Abs(w.Spread[1]-c.other) > 1e-15 || math.Abs(w.XCCYBasis-c.basis) > 1e-15 {
			t.Errorf("%s: repo %v other %v basis %v, want %v %v %v", c.name, w.Spread[core.USD], w.Spread[1], w.XCCYBasis, c.repo, c.other, c.basis)
		}
		if got := c.f.Capped(w); got != c.capped {
			t.Errorf("%s: capped %v, want %v", c.name, got, c.capped)
		}
	}
}

// TestCloseSetsFunding: Close writes the dealer sector's utilization into
// the world and sets funding from it.
func TestCloseSetsFunding(t *testing.T) {
	w := newWorld(t)
	d1 := fund(w, "d1", core.Dealer, 1e6)
	d2 := fund(w, "d2", core.Dealer, 3e6)
	w.SetupTrade(d1, 0, aEQ, 8e4) // $8e6 on $1e7 of capacity: 0.8
	w.SetupTrade(d2, 0, aEQ, 6e4) // $6e6 on $3e7: 0.2
	f := Funding{RepoSpread0: 0.001, RepoSlope: 0.02, UStar: 0.3}
	m := newMarket(t, w, liqs(linear(0, 1, 0)), Conventions{}, []Dealer{
		{Holder: d1.Index, Share: 1, LevLimit: 10, UStar: 0.5, Floor: 0.2},
		{Holder: d2.Index, Share: 1, LevLimit: 10, UStar: 0.5, Floor: 0.2},
	}, f)
	m.Close(w)
	// Capacity-weighted: (0.8·1e7 + 0.2·3e7)/4e7 = 0.35; repo 0.001 + 0.02·0.05.
	if math.Abs(w.DealerUtil-0.35) > 1e-12 || math.Abs(w.Spread[core.USD]-0.002) > 1e-12 {
		t.Errorf("utilization %v repo spread %v, want 0.35 and 0.002", w.DealerUtil, w.Spread[core.USD])
	}
}
