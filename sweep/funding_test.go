package sweep

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/scentest"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/sim"
)

// TestFundingMetrics: the summary's funding and dealers sections are sweep
// metrics (funding.repo_spread_bp.peak, dealers.MS.util_peak, ...), each
// run's value that of the summary of the run its configuration makes; a
// dealer, currency or field the base run lacks is refused with what it
// has, and funding in a world that sets none is refused as not reported.
func TestFundingMetrics(t *testing.T) {
	paths := []string{"funding.repo_spread_bp.peak", "funding.repo_spread_bp.start", "funding.capped_ticks", "funding.first_capped_tick",
		"funding.xccy_basis_bp.trough", "funding.other_spread_bp.JPY.peak", "funding.dealer_util.peak", "dealers.MS.util_start",
		"dealers.dealers.util_peak", "dealers.GS.depth_min"}
	// read is each path's field of a summary, read without the metric's getter.
	read := func(s *sim.Summary) []float64 {
		f, d := s.Funding, s.Dealers
		return []float64{float64(f.RepoSpread.Peak), float64(f.RepoSpread.Start), float64(f.CappedTicks), float64(f.FirstCappedTick),
			float64(f.XCCYBasis.Trough), float64(f.OtherSpread["JPY"].Peak), float64(f.DealerUtil.Peak), float64(d["MS"].UtilStart),
			float64(d["dealers"].UtilPeak), float64(d["GS"].DepthMin)}
	}
	// With the capacity it adds, the facility keeps apr2025's repo spread
	// under most of these caps (18.5bp at its peak on the replay's seed);
	// adding none, it binds in every run.
	src := "base: apr2025\nset: [funding.facility_capacity=0]\nseed: 3\nruns: 4\nparameters:\n  - {path: funding.facility_cap, dist: {kind: uniform, min: 0.0015, max: 0.003}}\nmetrics: [" +
		strings.Join(paths, ", ") + "]\nseries: [TY_basis_bp, dealer_MS_util]\n"
	sw, err := Parse(filepath.Join(t.TempDir(), "funding.yaml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	np := len(sw.Params)
	peaks := map[float64]bool{}
	for i := 0; i < sw.Runs; i++ {
		r, _, err := sw.runOne(context.Background(), i)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := sw.runConfig(r.values[:np])
		if err != nil {
			t.Fatal(err)
		}
		sum, err := sim.RunSummary(context.Background(), cfg, r.seed, false)
		if err != nil {
			t.Fatal(err)
		}
		want := read(sum)
		for m, p := range paths {
			if got := r.values[np+m]; got != want[m] {
				t.Errorf("run %d: %s = %v, its summary says %v", i, p, got, want[m])
			}
		}
		peaks[r.values[np]] = true
		// The cap binds in every run: the repo spread peaks at it.
		if c := 1e4 * r.values[0]; math.Abs(r.values[np]-max(c, 10)) > 1e-9 {
			t.Errorf("run %d: facility cap %gbp, repo spread peak %gbp", i, c, r.values[np])
		}
	}
	if len(peaks) < 2 {
		t.Errorf("the repo spread peaked at %v in every run: the test needs it to vary", peaks)
	}

	apr, aprNames := baseRun(t, "apr2025")
	eba, ebaNames := baseRun(t, "eba2018")
	for _, c := range []struct {
		path string
		sum  *sim.Summary
		n    baseNames
		err  string
	}{
		{"dealers.XX.util_peak", apr, aprNames, `(the base run has GS, JPM, MS, dealers)`},
		{"dealers.SPX.util_peak", apr, aprNames, `no "SPX" in dealers`},
		{"brokers.dealers.util_peak", apr, aprNames, `no "dealers" in brokers (the base run has GS, JPM, MS)`},
		{"funding.other_spread_bp.EUR.peak", apr, aprNames, `no "EUR" in funding.other_spread_bp (the base run has JPY)`},
		{"funding.repo_spread_bp", apr, aprNames, `metric "funding.repo_spread_bp" is a group: pick one of funding.repo_spread_bp.{start,peak,peak_tick,end}`},
		{"funding.xccy_basis_bp.peak", apr, aprNames, `no "peak" in funding.xccy_basis_bp (have start, trough, trough_tick, end)`},
		{"dealers.MS.util_peek", apr, aprNames, `no "util_peek" in dealers.MS (did you mean "util_peak"?)`},
		{"funding.repo_spread_bp.peak", eba, ebaNames, "funding is not reported for this scenario"},
	} {
		if _, err := resolveMetric(c.sum, c.path, c.n); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: error %v, want one containing %q", c.path, err, c.err)
		}
	}
}

// TestSeriesAreColumns: a sweep's series are the columns of a run's
// timeseries.csv, in its order, with its values: every column of mini and
// apr2025 (prices, futures' basis, funding, brokers, dealers) recorded by
// a sweep's observer equals the time series' column, tick by tick.
func TestSeriesAreColumns(t *testing.T) {
	for _, name := range []string{"mini", "apr2025"} {
		m := buildBase(t, name)
		cols := sim.SeriesColumns(m)[2:] // not tick and time
		var names []string
		for _, c := range cols {
			names = append(names, c.Name)
		}
		defs := seriesDefs(m)
		if len(defs) != len(names) {
			t.Errorf("%s: %d series, %d columns", name, len(defs), len(names))
		}
		for k := range min(len(defs), len(names)) {
			if defs[k].name != names[k] {
				t.Errorf("%s: series %d is %s, column %s", name, k, defs[k].name, names[k])
				break
			}
		}
		obs := newSeriesObserver(names, m.Cfg.Ticks, false)
		rec := output.NewRecorder(false)
		if err := m.Run(context.Background(), obs, rec); err != nil {
			t.Fatal(err)
		}
		ts := rec.Timeseries()
		for k, n := range names {
			c, _ := ts.Column(n)
			for tick, v := range obs.vals[k] {
				if w := c.F[tick]; v != w && !(math.IsNaN(v) && math.IsNaN(w)) {
					t.Errorf("%s: %s at tick %d: series %v, column %v", name, n, tick, v, w)
					break
				}
			}
		}
	}
}

// buildBase builds the built-in scenario name at its seed.
func buildBase(t *testing.T, name string) *sim.Model {
	t.Helper()
	return scentest.Build(t, name)
}
