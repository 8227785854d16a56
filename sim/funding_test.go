package sim_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/scentest"
	"github.com/cascade-sim/cascade/sim"
)

// fundingProbe keeps each tick's funding rates, facility, dealers and the
// dealers' capacities.
type fundingProbe struct {
	repo, jpy, basis, util []float64
	facility, capped       []bool
	dealers                [][]sim.DealerStats
	caps                   [][]float64
}

func (p *fundingProbe) Begin(*sim.Model) error { return nil }
func (p *fundingProbe) End(*sim.Model) error   { return nil }
func (p *fundingProbe) Observe(f *sim.Frame) error {
	p.repo = append(p.repo, f.RepoSpread)
	p.jpy = append(p.jpy, f.Funding[1])
	p.basis = append(p.basis, f.XCCYBasis)
	p.util = append(p.util, f.DealerUtil)
	p.facility = append(p.facility, f.Facility)
	p.capped = append(p.capped, f.RepoCapped())
	p.dealers = append(p.dealers, append([]sim.DealerStats(nil), f.Dealers()...))
	var caps []float64
	for k := range f.Model.M.Dealers {
		caps = append(caps, f.Model.M.Dealers[k].Capacity())
	}
	p.caps = append(p.caps, caps)
	return nil
}

// runWith builds the built-in scenario name with the given overrides at its
// seed and runs it with the observers, a Collector first, whose summary
// it returns.
func runWith(t *testing.T, name string, sets []string, obs ...sim.Observer) (*sim.Model, *sim.Summary) {
	t.Helper()
	m := scentest.Build(t, name, sets...)
	c := sim.NewCollector()
	if err := m.Run(context.Background(), append([]sim.Observer{c}, obs...)...); err != nil {
		t.Fatal(err)
	}
	return m, c.S
}

// TestFundingSummary checks the funding and dealer series against the
// model and the summary against the series, on apr2025 with the Fed's
// facility on throughout but adding no capacity, so that its cap binds in
// part of the run (with the capacity it adds the repo spread peaks at
// 18.5bp, below the cap): the dealers' utilizations weighted by their
// capacities are the sector's; each dealer's depth factor is g of its
// utilization; the repo spread sits at the facility's cap exactly when the
// frame says the cap binds, and below it otherwise; and the summary's
// funding and dealers sections are the series summed up.
func TestFundingSummary(t *testing.T) {
	p := &fundingProbe{}
	m, s := runWith(t, "apr2025", []string{"funding.facility_capacity=0"}, p)
	const capBp, uStar, floor = 20, 0.5, 0.2 // apr2025's facility cap, and every dealer's u_star and floor
	ids := m.DealerIDs()
	if strings.Join(ids, " ") != "GS MS JPM dealers" {
		t.Fatalf("dealers %v, want the three brokers' arms and the standalone dealers", ids)
	}
	nCapped := 0
	for tick := range p.repo {
		num, den := 0.0, 0.0
		for k, d := range p.dealers[tick] {
			c := p.caps[tick][k]
			if !(c > 0) || d.ID != ids[k] {
				t.Fatalf("tick %d: dealer %d is %s with capacity %g", tick, k, d.ID, c)
			}
			num += d.Util * c
			den += c
			g := 1.0
			if d.Util > uStar {
				g = max(floor, 1-(1-floor)*(d.Util-uStar)/(1-uStar))
			}
			if math.Abs(d.Depth-g) > 1e-15 {
				t.Errorf("tick %d: %s at utilization %g has depth %g, want %g", tick, d.ID, d.Util, d.Depth, g)
			}
		}
		if u := num / den; math.Abs(u-p.util[tick]) > 1e-12*u {
			t.Errorf("tick %d: the dealers' utilization weighted by capacity is %.15g, the sector's %.15g", tick, u, p.util[tick])
		}
		if !p.facility[tick] {
			t.Errorf("tick %d: the facility is off", tick)
		}
		bp := 1e4 * p.repo[tick]
		switch {
		case p.capped[tick] && bp != capBp:
			t.Errorf("tick %d: capped, but the repo spread is %.15gbp, not the cap", tick, bp)
		case !p.capped[tick] && !(bp < capBp):
			t.Errorf("tick %d: not capped, with the repo spread at %.15gbp", tick, bp)
		}
		if p.capped[tick] {
			nCapped++
		}
	}
	ticks := len(p.repo)
	if nCapped == 0 || nCapped == ticks {
		t.Fatalf("the cap binds in %d of %d ticks: the test needs both states", nCapped, ticks)
	}

	f := s.Funding
	if f == nil {
		t.Fatal("no funding in the summary")
	}
	t.Logf("repo spread %.2fbp at the start, peak %.2fbp at tick %d; capped %d ticks from tick %d; dealer utilization %.3f, peak %.3f",
		f.RepoSpread.Start, f.RepoSpread.Peak, f.RepoSpread.PeakTick, f.CappedTicks, f.FirstCappedTick, f.DealerUtil.Start, f.DealerUtil.Peak)
	first := -1
	for tick, c := range p.capped {
		if c {
			first = tick
			break
		}
	}
	if f.FacilityCap != capBp || f.FacilityTicks != ticks || f.CappedTicks != nCapped || f.FirstCappedTick != first {
		t.Errorf("summary: cap %gbp on %d ticks, capped %d from %d; the series: %dbp on %d, capped %d from %d",
			f.FacilityCap, f.FacilityTicks, f.CappedTicks, f.FirstCappedTick, capBp, ticks, nCapped, first)
	}
	// peak returns a series' start, its extreme (the highest, or with
	// sign −1 the lowest) and its first tick, and its end, in bp times scale.
	peak := func(xs []float64, scale, sign float64) (start, ext float64, at int, end float64) {
		at = 0
		for tick, x := range xs {
			if sign*x > sign*xs[at] {
				at = tick
			}
		}
		return scale * xs[0], scale * xs[at], at, scale * xs[len(xs)-1]
	}
	b := f.XCCYBasis
	for _, c := range []struct {
		name        string
		got         sim.PeakSummary
		xs          []float64
		scale, sign float64
	}{
		{"repo spread", f.RepoSpread, p.repo, 1e4, 1},
		{"JPY funding", *f.OtherSpread["JPY"], p.jpy, 1e4, 1},
		{"cross-currency basis", sim.PeakSummary{Start: b.Start, Peak: b.Trough, PeakTick: b.TroughTick, End: b.End}, p.basis, 1e4, -1},
		{"dealer utilization", f.DealerUtil, p.util, 1, 1},
	} {
		start, ext, at, end := peak(c.xs, c.scale, c.sign)
		g := c.got
		if float64(g.Start) != start || float64(g.Peak) != ext || g.PeakTick != at || float64(g.End) != end {
			t.Errorf("%s: summary %g, %g at %d, %g; the series %g, %g at %d, %g", c.name, g.Start, g.Peak, g.PeakTick, g.End, start, ext, at, end)
		}
		if start == ext {
			t.Errorf("%s: it never moved from %g: the test needs a peak", c.name, start)
		}
	}
	if len(f.OtherSpread) != 1 {
		t.Errorf("funding spreads of %d currencies but USD, want JPY alone", len(f.OtherSpread))
	}
	for k, id := range ids {
		util, depth := make([]float64, ticks), make([]float64, ticks)
		for tick := range p.dealers {
			util[tick], depth[tick] = p.dealers[tick][k].Util, p.dealers[tick][k].Depth
		}
		d := s.Dealers[id]
		if d == nil {
			t.Fatalf("no summary of dealer %s", id)
		}
		us, up, ut, _ := peak(util, 1, 1)
		ds, dm, dt, _ := peak(depth, 1, -1)
		if float64(d.UtilStart) != us || float64(d.UtilPeak) != up || d.UtilPeakTick != ut ||
			float64(d.DepthStart) != ds || float64(d.DepthMin) != dm || d.DepthMinTick != dt {
			t.Errorf("dealer %s: summary %+v; the series: utilization %g, peak %g at %d, depth %g, lowest %g at %d", id, *d, us, up, ut, ds, dm, dt)
		}
	}
	if len(s.Dealers) != len(ids) {
		t.Errorf("%d dealers in the summary, want %d", len(s.Dealers), len(ids))
	}
}

// TestFundingSummaryLeftOut: summary.json has a funding section only when
// the scenario sets funding, and a dealers section only with dealers.
func TestFundingSummaryLeftOut(t *testing.T) {
	for _, c := range []struct {
		name             string
		sets             []string
		funding, dealers bool
	}{
		{"mini", nil, true, true},
		{"mini", []string{"funding.repo_spread=0", "funding.repo_slope=0", "funding.other_spread=0", "funding.other_slope=0",
			"funding.basis=0", "funding.basis_slope=0", "funding.u_star=0", "funding.facility_cap=0", "funding.facility_capacity=0"}, false, true},
		{"eba2018", nil, false, false},
	} {
		_, s := runWith(t, c.name, c.sets)
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		js := string(b)
		if got := s.Funding != nil; got != c.funding || strings.Contains(js, `"funding":`) != c.funding {
			t.Errorf("%s %v: funding section %v, want %v", c.name, c.sets, got, c.funding)
		}
		if got := s.Dealers != nil; got != c.dealers || strings.Contains(js, `"dealers":`) != c.dealers {
			t.Errorf("%s %v: dealers section %v, want %v", c.name, c.sets, got, c.dealers)
		}
	}
}

// calmProbe keeps each tick's repo spread, prices and dealers, and the
// first tick with a scenario event.
type calmProbe struct {
	repo    []float64
	prices  [][]float64
	dealers [][]sim.DealerStats
	first   int // the first tick an event applied in (-1: none yet)
}

func (p *calmProbe) Begin(*sim.Model) error { p.first = -1; return nil }
func (p *calmProbe) End(*sim.Model) error   { return nil }
func (p *calmProbe) Observe(f *sim.Frame) error {
	if p.first < 0 && len(f.Events) > 0 {
		p.first = f.Tick
	}
	p.repo = append(p.repo, f.RepoSpread)
	p.prices = append(p.prices, append([]float64(nil), f.Price...))
	p.dealers = append(p.dealers, append([]sim.DealerStats(nil), f.Dealers()...))
	return nil
}

// TestApr2025CalmFunding: apr2025's calm before the tariff announcement is
// calm in funding. The prime brokers' dealing arms start below a quarter of
// their capacity (all of it client financing); until the first event (2
// April, 20:00) no dealer reaches u_star and the repo spread stays at its
// calm 10bp, with the Fed's facility on and with it off, so the two runs
// are the same tick for tick until then (a facility-off what-if compares
// the same calm) and part only in the sell-off. The sell-off's Treasuries
// then take every arm past u_star. With the arms as they were (lev_limit
// 3, financing_weight 0.7) MS started at 100%, GS at 82% and JPM at 54%,
// and the repo spread reached the facility's cap on 1 April.
func TestApr2025CalmFunding(t *testing.T) {
	const startMax, uStar, calmBp = 0.25, 0.5, 10 // the target; every dealer's u_star; apr2025's repo_spread
	probes := map[bool]*calmProbe{}
	for _, on := range []bool{true, false} {
		p := &calmProbe{}
		runWith(t, "apr2025", []string{fmt.Sprintf("funding.facility_on=%v", on)}, p)
		probes[on] = p
		if p.first <= 0 {
			t.Fatalf("facility %v: the first event at tick %d", on, p.first)
		}
		for tick := 0; tick < p.first; tick++ {
			if bp := 1e4 * p.repo[tick]; math.Abs(bp-calmBp) > 1e-9 {
				t.Errorf("facility %v: tick %d, before the first event (tick %d): the repo spread is %.4gbp, not its calm %dbp", on, tick, p.first, bp, calmBp)
				break
			}
		}
		for k, d := range p.dealers[0] {
			peak, at := 0.0, 0
			for tick := 0; tick < p.first; tick++ {
				if u := p.dealers[tick][k].Util; u > peak {
					peak, at = u, tick
				}
			}
			t.Logf("facility %v: %s at %.3f of capacity at the start, at most %.3f (tick %d) before the first event", on, d.ID, d.Util, peak, at)
			if !(peak < uStar) {
				t.Errorf("facility %v: %s reaches %.3f of its capacity at tick %d, before the first event (tick %d): u_star is %g", on, d.ID, peak, at, p.first, uStar)
			}
			if on && d.ID != "dealers" && !(d.Util < startMax) {
				t.Errorf("%s's dealing arm starts at %.3f of its capacity, want below %g", d.ID, d.Util, startMax)
			}
		}
	}
	on, off := probes[true], probes[false]
	parted := -1
	for tick := range on.prices {
		same := on.repo[tick] == off.repo[tick]
		for i, x := range on.prices[tick] {
			same = same && x == off.prices[tick][i]
		}
		if !same {
			parted = tick
			break
		}
	}
	t.Logf("the facility-off run parts from the facility-on run at tick %d; the first event is at tick %d", parted, on.first)
	switch {
	case parted < 0:
		t.Error("the runs never part: the facility's capacity should matter in the sell-off")
	case parted < on.first:
		t.Errorf("with the facility off the prices or the repo spread differ at tick %d, before the first event (tick %d)", parted, on.first)
	}
	for k, d := range on.dealers[0] {
		peak := 0.0
		for tick := on.first; tick < len(on.dealers); tick++ {
			peak = max(peak, on.dealers[tick][k].Util)
		}
		if d.ID != "dealers" && !(peak > uStar) {
			t.Errorf("%s peaks at %.3f of its capacity in the sell-off: want past u_star %g", d.ID, peak, uStar)
		}
	}
}
