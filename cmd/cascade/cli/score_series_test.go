package cli

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/internal/csvtest"
)

// TestScoreMarketSeries: cascade score measures an observed quantity of a
// market-state series (a future's basis to its cash bond, the funding
// spreads, the dealers' utilization and depth, a prime broker's
// utilization, haircuts, margin and equity, a bond's yield) on the
// column of timeseries.csv that names it, as the quantity says: each
// value equals what this test works out from the column of a cascade run
// of the same file, on apr2025, where the basis swings from -40 to +51bp,
// dealer utilization rises from 7% to 54%, the repo spread doubles to its
// facility's cap and the JPY funding spread and the cross-currency basis
// move with it.
func TestScoreMarketSeries(t *testing.T) {
	type obs struct {
		q, series, from, to string
	}
	cases := []obs{
		{"level", "TY_basis_bp", "", "2025-04-09"},
		{"level_change", "TY_basis_bp", "2025-04-02", "2025-04-09"},
		{"level_change", "TY_basis_bp", "", "2025-04-08"}, // from the close of 7 Apr
		{"peak", "TY_basis_bp", "2025-04-02", "2025-04-11"},
		{"trough", "TY_basis_bp", "", "2025-04-11"}, // from the start
		{"peak_rise", "TY_basis_bp", "2025-04-03", "2025-04-11"},
		{"level", "dealer_util", "", "2025-04-04"},
		{"level_change", "dealer_util", "", "2025-04-04"},
		{"peak", "dealer_util", "2025-04-02", "2025-04-11"},
		{"peak_rise", "repo_spread_bp", "2025-04-03", "2025-04-11"},
		{"peak", "repo_spread_bp", "", "2025-04-25"},
		{"level", "repo_spread_bp", "", "2025-04-07"},
		{"trough", "xccy_basis_bp", "2025-04-02", "2025-04-11"},
		{"level_change", "xccy_basis_bp", "2025-04-02", "2025-04-07"},
		{"peak", "funding_JPY_bp", "", "2025-04-11"},
		{"peak", "dealer_GS_util", "2025-04-02", "2025-04-11"},
		{"trough", "depth", "", "2025-04-11"},
		{"trough", "dealer_JPM_depth", "2025-04-03", "2025-04-10"},
		// A prime broker's columns, as a dealer's.
		{"peak", "broker_GS_util", "2025-04-02", "2025-04-11"},
		{"level_change", "broker_JPM_haircut_multiple", "2025-04-02", "2025-04-09"},
		{"level", "broker_MS_margin_req", "", "2025-04-07"},
		{"peak", "broker_GS_margin_call", "", "2025-04-11"},
		{"trough", "broker_JPM_equity", "2025-04-02", "2025-04-11"},
		{"level", "UST10Y_yield", "", "2025-04-09"},
		{"level_change", "vix", "2025-04-02", "2025-04-08"},
		{"level", "mean_corr", "", "2025-04-08"},
		{"level", "SPX", "", "2025-04-04"},
	}
	dir := t.TempDir()
	var entries []string
	for k, c := range cases {
		from := ""
		if c.from != "" {
			from = ", from: " + c.from
		}
		entries = append(entries, fmt.Sprintf("{name: q%d, quantity: %s, asset: %s%s, to: %s, observed: 0, tolerance: 1e15}", k, c.q, c.series, from, c.to))
	}
	file, scored := scoreEntries(t, dir, "apr2025", entries)
	out := filepath.Join(dir, "run")
	if _, errOut, code := cascade(t, "run", file, "-o", out, "--no-plots"); code != 0 {
		t.Fatalf("cascade run: exit %d: %s", code, errOut)
	}

	// The time series: a row is labelled with the start of its tick and
	// holds the state at its end.
	recs := csvtest.Read(t, filepath.Join(out, "timeseries.csv"))
	col := map[string]int{}
	for j, h := range recs[0] {
		col[h] = j
	}
	rows := recs[1:]
	at := make([]time.Time, len(rows))
	for i, r := range rows {
		var err error
		if at[i], err = time.Parse(time.RFC3339, r[col["time"]]); err != nil {
			t.Fatal(err)
		}
	}
	tick := at[1].Sub(at[0])
	for i := range at {
		at[i] = at[i].Add(tick)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	date := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	closing := func(s string) time.Time {
		d := date(s)
		return time.Date(d.Year(), d.Month(), d.Day(), 16, 0, 0, 0, ny)
	}
	// prevWeekday is the trading day before s, the default from.
	prevWeekday := func(s string) string {
		d := date(s)
		for {
			d = d.AddDate(0, 0, -1)
			if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
				return d.Format("2006-01-02")
			}
		}
	}

	for k, c := range cases {
		j, ok := col[c.series]
		if !ok {
			t.Fatalf("timeseries.csv has no column %s", c.series)
		}
		val := func(i int) float64 {
			x, err := strconv.ParseFloat(rows[i][j], 64)
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		// closeOf is the value of the last row that ends by the close of s.
		closeOf := func(s string) float64 {
			k := -1
			for i := range at {
				if !at[i].After(closing(s)) {
					k = i
				}
			}
			if k < 0 {
				t.Fatalf("no row ends by the close of %s", s)
			}
			return val(k)
		}
		var want float64
		switch c.q {
		case "level":
			want = closeOf(c.to)
		case "level_change":
			from := c.from
			if from == "" {
				from = prevWeekday(c.to)
			}
			want = closeOf(c.to) - closeOf(from)
		case "peak", "trough":
			lo := at[0]
			if c.from != "" {
				lo = date(c.from)
			}
			want = math.NaN()
			for i := range at {
				if at[i].Before(lo) || at[i].After(closing(c.to)) {
					continue
				}
				if v := val(i); math.IsNaN(want) || (c.q == "peak" && v > want) || (c.q == "trough" && v < want) {
					want = v
				}
			}
		case "peak_rise":
			sum, n, peak := 0.0, 0, math.Inf(-1)
			for i := range at {
				switch v := val(i); {
				case at[i].Before(date(c.from)):
					sum += v
					n++
				case !at[i].After(closing(c.to)):
					peak = max(peak, v)
				}
			}
			want = peak - sum/float64(n)
		}
		r := scored[k]
		if r.Name != fmt.Sprintf("q%d", k) || r.Quantity != c.q || r.Asset != c.series {
			t.Fatalf("row %d is %s (%s of %s), want q%d", k, r.Name, r.Quantity, r.Asset, k)
		}
		what := fmt.Sprintf("%s of %s (from %q to %s)", c.q, c.series, c.from, c.to)
		if r.Simulated == nil || math.IsNaN(want) {
			t.Errorf("%s: scored %v, from timeseries.csv %v", what, r.Simulated, want)
			continue
		}
		t.Logf("%s: %.6g", what, *r.Simulated)
		if *r.Simulated != want {
			t.Errorf("%s: scored %v, from timeseries.csv %v", what, *r.Simulated, want)
		}
	}
}
