package sim_test

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
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
	sc, err := scenarios.Load(name, sets)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &sc.File.Config
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		t.Fatal(err)
	}
	c := sim.NewCollector()
	if err := m.Run(context.Background(), append([]sim.Observer{c}, obs...)...); err != nil {
		t.Fatal(err)
	}
	return m, c.S
}

// TestFundingSummary checks the funding and dealer series against the
// model and the summary against the series, on apr2025 (the Fed's
// facility on throughout): the dealers' utilizations weighted by their
// capacities are the sector's; each dealer's depth factor is g of its
// utilization; the repo spread sits at the facility's cap exactly when the
// frame says the cap binds, and below it otherwise; and the summary's
// funding and dealers sections are the series summed up.
func TestFundingSummary(t *testing.T) {
	p := &fundingProbe{}
	m, s := runWith(t, "apr2025", nil, p)
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
