package output

import (
	"context"
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/sim"
)

// TestFundingShown: report.md's Funding and dealers section gives the
// funding rates at the start, their peak (the basis's trough) with when,
// and at the end, the facility and the ticks it capped repo, and each
// dealer's utilization and depth factor, a series that never moved without
// a time and a dealer without capital as such; the printed summary has a
// funding line. A run without funding has only the dealers' table and no
// line; one with neither, no section.
func TestFundingShown(t *testing.T) {
	nan := sim.Num(math.NaN())
	start := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	times := []time.Time{start, start.Add(time.Hour), start.Add(2 * time.Hour), start.Add(3 * time.Hour)}
	base := func() *sim.Summary {
		return &sim.Summary{Scenario: "w", Tick: "1h", Ticks: 4, Start: start, Currency: "USD",
			VIX: sim.VIXSummary{Start: nan, Peak: nan, PeakTick: -1, End: nan}, Correlation: sim.CorrSummary{BaselineMean: nan, PeakMean: nan, PeakTick: -1},
			Amplification: nan, CompressionIndex: nan, VulnerabilityAV: nan}
	}
	dealers := map[string]*sim.DealerSummary{
		"MS":      {UtilStart: 0.998, UtilPeak: 1.0154, UtilPeakTick: 2, DepthStart: 0.203, DepthMin: 0.2, DepthMinTick: 1},
		"dealers": {UtilStart: 0, UtilPeak: sim.Num(math.Inf(1)), UtilPeakTick: 3, DepthStart: 1, DepthMin: 1, DepthMinTick: 0},
	}
	stressed := base()
	stressed.Funding = &sim.FundingSummary{
		RepoSpread:  sim.PeakSummary{Start: 12.42, Peak: 20, PeakTick: 1, End: 10},
		OtherSpread: map[string]*sim.PeakSummary{"JPY": {Start: 20.81, Peak: 27.94, PeakTick: 2, End: 20}},
		XCCYBasis:   sim.TroughSummary{Start: -31.61, Trough: -36.67, TroughTick: 1, End: -30},
		DealerUtil:  sim.PeakSummary{Start: 0.508, Peak: 0.579, PeakTick: 2, End: 0.4226},
		FacilityCap: 20, FacilityTicks: 4, CappedTicks: 2, FirstCappedTick: 1}
	stressed.Dealers = dealers
	calm := base()
	calm.Funding = &sim.FundingSummary{
		RepoSpread:  sim.PeakSummary{Start: 8, Peak: 8, PeakTick: 0, End: 8},
		XCCYBasis:   sim.TroughSummary{Start: -40, Trough: -40, TroughTick: 0, End: -40},
		DealerUtil:  sim.PeakSummary{Start: 0.06, Peak: 0.189, PeakTick: 3, End: 0.102},
		FacilityCap: 20, FirstCappedTick: -1}
	// Francs besides yen: one spread and one basis for both (ODD 7.4), one
	// row each, naming both currencies.
	two := base()
	two.Funding = &sim.FundingSummary{
		RepoSpread:  sim.PeakSummary{Start: 8, Peak: 9, PeakTick: 1, End: 8},
		OtherSpread: map[string]*sim.PeakSummary{"JPY": {Start: 20, Peak: 21, PeakTick: 1, End: 20}, "CHF": {Start: 20, Peak: 21, PeakTick: 1, End: 20}},
		XCCYBasis:   sim.TroughSummary{Start: -30, Trough: -31, TroughTick: 1, End: -30},
		DealerUtil:  sim.PeakSummary{Start: 0.5, Peak: 0.6, PeakTick: 1, End: 0.5},
		FacilityCap: 20, FirstCappedTick: -1}
	dealersOnly := base()
	dealersOnly.Dealers = dealers
	for _, c := range []struct {
		name      string
		s         *sim.Summary
		line      string
		want, not []string
	}{
		{"stressed", stressed, "funding: repo spread 12.4bp, peak 20.0bp (tick 1), at the facility's 20.0bp cap 2 ticks from tick 1; dealer utilization 50.8%, peak 57.9% (tick 2)\n",
			[]string{"## Funding and dealers\n", "A facility was on for 4 of 4 ticks and held the repo spread at its 20.0bp cap in 2, from 31 Mar 01:00.\n",
				"| | start | peak | when | end |\n|---|--:|--:|---|--:|\n" +
					"| USD repo spread | 12.4bp | 20.0bp | 31 Mar 01:00 | 10.0bp |\n" +
					"| JPY funding spread | 20.8bp | 27.9bp | 31 Mar 02:00 | 20.0bp |\n" +
					"| JPY-USD cross-currency basis (its trough) | -31.6bp | -36.7bp | 31 Mar 01:00 | -30.0bp |\n" +
					"| dealer sector's utilization | 50.8% | 57.9% | 31 Mar 02:00 | 42.3% |\n",
				"| dealer | utilization at start | peak | depth factor at start | lowest |\n|---|--:|--:|--:|--:|\n" +
					"| MS | 99.8% | 101.5% (31 Mar 02:00) | 0.20 | 0.20 (31 Mar 01:00) |\n" +
					"| dealers | 0.0% | no capital left (31 Mar 03:00) | 1.00 | 1.00 |\n"},
			[]string{"stayed at their starting values"}},
		{"calm", calm, "funding: repo spread 8.0bp throughout; dealer utilization 6.0%, peak 18.9% (tick 3)\n",
			[]string{"No central-bank facility was on. The spreads and the basis stayed at their starting values throughout.\n",
				"| USD repo spread | 8.0bp | 8.0bp |  | 8.0bp |\n| cross-currency basis (its trough) | -40.0bp | -40.0bp |  | -40.0bp |\n"},
			[]string{"| dealer |", "funding spread"}},
		{"two currencies", two, "funding: repo spread 8.0bp, peak 9.0bp (tick 1); dealer utilization 50.0%, peak 60.0% (tick 1)\n",
			[]string{"| funding spread (one for CHF, JPY) | 20.0bp | 21.0bp | 31 Mar 01:00 | 20.0bp |\n| cross-currency basis (one for CHF, JPY; its trough) | -30.0bp | -31.0bp | 31 Mar 01:00 | -30.0bp |\n"},
			[]string{"CHF funding spread", "JPY funding spread"}},
		{"dealers only", dealersOnly, "", []string{"## Funding and dealers\n\nDealers: utilization", "| MS | 99.8% |"}, []string{"repo spread"}},
		{"neither", base(), "", nil, []string{"Funding and dealers", "| dealer |"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := checkSection(t, &RunReport{Summary: c.s, Times: times, Plots: []string{"plots/funding.png"}}, "funding", c.line, c.want, c.not)
			if plot := strings.Contains(r, "![Funding and dealers](plots/funding.png)"); plot != (c.s.Funding != nil || c.s.Dealers != nil) {
				t.Errorf("report.md shows the funding plot: %v", plot)
			}
		})
	}
}

// TestFundingFigure: plots/funding draws, from a run's time series, the
// funding rates (the facility's cap as a dashed line, named in the legend,
// only while one was on: a facility switched on at tick 2 has none before), each
// future's basis, and the sector's and each dealer's utilization and depth;
// a world with no funding, futures or dealers gets no figure.
func TestFundingFigure(t *testing.T) {
	for _, c := range []struct {
		name   string
		sets   []string
		panels [][]string // each panel's series
		hlines []float64  // the rates panel's lines
	}{
		{"mini", nil, [][]string{{"USD repo spread", "JPY funding spread", "JPY-USD cross-currency basis"}, {"TY"},
			{"all dealers", "GS", "dealers"}, {"all dealers", "GS", "dealers"}}, []float64{0}},
		{"mini", []string{"funding.facility_on=true"}, [][]string{{"USD repo spread", "JPY funding spread", "JPY-USD cross-currency basis", "repo facility's cap (20 bp)"}, {"TY"},
			{"all dealers", "GS", "dealers"}, {"all dealers", "GS", "dealers"}}, []float64{0}},
		// A facility from tick 2: its cap only from there.
		{"mini", []string{"funding.facility_cap=0.0025", `events+=[{tick: 2, kind: facility, on: true}]`}, [][]string{{"USD repo spread", "JPY funding spread", "JPY-USD cross-currency basis", "repo facility's cap (25 bp)"}, {"TY"},
			{"all dealers", "GS", "dealers"}, {"all dealers", "GS", "dealers"}}, []float64{0}},
		// Francs besides yen: one spread and one basis for both, drawn once.
		{"mini", []string{`assets+=[{id: USDCHF, kind: fx, base: USD, currency: CHF, price: 0.88, vol: 0.07, adv: 1.0e+11, impact: {function: sqrt, y: 1, permanent: 0.5}}]`,
			"rates.CHF={policy: 0.0125}", "correlation=[]"},
			[][]string{{"USD repo spread", "funding spread (one for CHF, JPY)", "cross-currency basis (one for CHF, JPY)"}, {"TY"},
				{"all dealers", "GS", "dealers"}, {"all dealers", "GS", "dealers"}}, []float64{0}},
		{"eba2018", nil, nil, nil},
	} {
		m := buildScenario(t, c.name, c.sets...)
		rec, col := NewRecorder(false), sim.NewCollector()
		if err := m.Run(context.Background(), col, rec); err != nil {
			t.Fatal(err)
		}
		ts := rec.Timeseries()
		x, _, err := timeAxis(ts, rec.Meta().Tick)
		if err != nil {
			t.Fatal(err)
		}
		f := fundingFigure(ts, rec.Meta(), col.S, x, nil)
		if c.panels == nil {
			if f != nil {
				t.Errorf("%s: a funding figure of %d panels, want none", c.name, len(f.Panels))
			}
			continue
		}
		if f == nil {
			t.Fatalf("%s %v: no funding figure", c.name, c.sets)
		}
		var got [][]string
		for _, p := range f.Panels {
			var names []string
			for _, s := range p.Series {
				names = append(names, s.Name)
				if len(s.Y) != ts.Rows() {
					t.Errorf("%s: %s has %d points for %d ticks", c.name, s.Name, len(s.Y), ts.Rows())
				}
			}
			got = append(got, names)
		}
		if !slices.EqualFunc(got, c.panels, slices.Equal) {
			t.Errorf("%s %v: panels %q, want %q", c.name, c.sets, got, c.panels)
		}
		if ps := f.Panels[0].Series; strings.HasPrefix(ps[len(ps)-1].Name, "repo facility's cap") {
			cap := ps[len(ps)-1]
			on, _ := ts.Column("facility")
			for i, v := range cap.Y {
				if want := col.S.Funding.FacilityCap; (on.F[i] > 0) != (v == float64(want)) || (on.F[i] == 0) != math.IsNaN(v) {
					t.Errorf("%s %v: the cap at tick %d is %v with the facility %v, want %v while on", c.name, c.sets, i, v, on.F[i], want)
				}
			}
			if !cap.Dashed || cap.Color != color.Black {
				t.Errorf("%s %v: the cap is drawn %v, dashed %v; want black dashes", c.name, c.sets, cap.Color, cap.Dashed)
			}
		}
		if !slices.Equal(f.Panels[0].HLines, c.hlines) {
			t.Errorf("%s %v: lines %v on the rates panel, want %v", c.name, c.sets, f.Panels[0].HLines, c.hlines)
		}
	}
}
