package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/sim"
)

// TestObservedSeriesNames: an observed entry may read a market-state series
// (a future's basis, a funding spread, a utilization) by its time-series
// name, with the quantities that fit it; a name it may not read is refused
// at its file:line:col, with the nearest name and every valid one listed:
// the assets, vix and mean_corr, and the series. Before, asset:
// TY_basis_bp got `unknown asset "TY_basis_bp" (did you mean "TY"?)`, and
// the list named the assets alone, not vix or mean_corr, which are valid.
func TestObservedSeriesNames(t *testing.T) {
	dir := t.TempDir()
	// mini's assets, and its series: the yield of UST10Y, TY's basis, the
	// funding spreads (JPY from USDJPY and NKY), each currency's policy
	// rate and expected rate (USD first), prime broker GS's series
	// but stressed, and two dealers, GS's arm and "dealers".
	const assets = "assets: NKY, SPX, TY, USDJPY, UST10Y"
	const state = "UST10Y_yield, TY_basis_bp, repo_spread_bp, xccy_basis_bp, funding_JPY_bp, policy_USD_bp, policy_USD_expected_bp, policy_JPY_bp, policy_JPY_expected_bp, dealer_util, depth, broker_GS_util, broker_GS_haircut_multiple, broker_GS_margin_req, broker_GS_margin_call, broker_GS_equity, dealer_GS_util, dealer_GS_depth, dealer_dealers_util, dealer_dealers_depth"
	for _, c := range []struct {
		base, entry string
		want        string // "" when valid; else the message after the position
	}{
		{"mini", "quantity: peak, asset: TY_basis_bp, to: 2024-08-01", ""},
		{"mini", "quantity: trough, asset: TY_basis_bp, from: 2024-07-31, to: 2024-08-01", ""},
		{"mini", "quantity: level, asset: TY_basis_bp, to: 2024-08-01", ""},
		{"mini", "quantity: level_change, asset: TY_basis_bp, to: 2024-08-01", ""},
		{"mini", "quantity: peak_rise, asset: dealer_util, from: 2024-07-31, to: 2024-08-01", ""},
		{"mini", "quantity: peak, asset: repo_spread_bp, to: 2024-08-01", ""},
		{"mini", "quantity: trough, asset: xccy_basis_bp, to: 2024-08-01", ""},
		{"mini", "quantity: peak, asset: funding_JPY_bp, to: 2024-08-01", ""},
		{"mini", "quantity: peak, asset: dealer_GS_util, to: 2024-08-01", ""},
		// Each currency's policy rate and the rate expected a year ahead.
		{"mini", "quantity: level, asset: policy_JPY_bp, to: 2024-08-01", ""},
		{"mini", "quantity: level_change, asset: policy_JPY_expected_bp, to: 2024-08-01", ""},
		{"mini", "quantity: level_change, asset: policy_USD_bp, from: 2024-07-30, to: 2024-08-01", ""},
		{"mini", "quantity: peak, asset: policy_USD_expected_bp, to: 2024-08-01", ""},
		{"mini", "quantity: close_change, asset: policy_JPY_bp, to: 2024-08-01", "observed[0].asset: policy_JPY_bp is a series of the run, not a price"},
		{"mini", "quantity: level, asset: policy_EUR_bp, to: 2024-08-01", `observed[0].asset: unknown asset or series "policy_EUR_bp" (did you mean "policy_JPY_bp"?`},
		{"mini", "quantity: trough, asset: dealer_dealers_depth, to: 2024-08-01", ""},
		// A prime broker's series, as the dealers' (broker_GS_util, its
		// balance sheet's use, was refused before); stressed, a switch of
		// the model's, is not.
		{"mini", "quantity: peak, asset: broker_GS_util, to: 2024-08-01", ""},
		{"mini", "quantity: level_change, asset: broker_GS_haircut_multiple, to: 2024-08-01", ""},
		{"mini", "quantity: level, asset: broker_GS_margin_req, to: 2024-08-01", ""},
		{"mini", "quantity: peak_rise, asset: broker_GS_margin_call, from: 2024-07-31, to: 2024-08-01", ""},
		{"mini", "quantity: trough, asset: broker_GS_equity, to: 2024-08-01", ""},
		{"mini", "quantity: peak, asset: broker_GS_stressed, to: 2024-08-01",
			"observed[0].asset: broker_GS_stressed is recorded but not scored: it is 1 while GS margins accounts gross, a switch of the model's margining that markets do not report; score GS's broker_GS_util, broker_GS_haircut_multiple, broker_GS_margin_req, broker_GS_margin_call, broker_GS_equity"},
		{"mini", "quantity: peak, asset: broker_MS_util, to: 2024-08-01", `observed[0].asset: unknown asset or series "broker_MS_util" (did you mean "broker_GS_util"?)`},
		{"mini", "quantity: close_change, asset: broker_GS_util, to: 2024-08-01", "observed[0].asset: broker_GS_util is a series of the run, not a price"},
		{"mini", "quantity: level, asset: UST10Y_yield, to: 2024-08-01", ""},
		{"mini", "quantity: level, asset: vix, to: 2024-08-01", ""},
		{"mini", "quantity: level_change, asset: mean_corr, from: 2024-07-30, to: 2024-08-01", ""},
		{"mini", "quantity: level, asset: SPX, to: 2024-08-01", ""},
		// A misspelt series: the nearest names, and every valid one.
		{"mini", "quantity: peak, asset: TY_basis, to: 2024-08-01",
			`observed[0].asset: unknown asset or series "TY_basis" (did you mean "TY" or "TY_basis_bp"?) (` + assets + "; series: vix, mean_corr, " + state + ")"},
		{"mini", "quantity: peak, asset: dealer_utilization, to: 2024-08-01",
			`observed[0].asset: unknown asset or series "dealer_utilization" (did you mean "dealer_util"?) (` + assets + "; series: vix, mean_corr, " + state + ")"},
		{"mini", "quantity: peak, asset: VIX, to: 2024-08-01", `observed[0].asset: unknown asset or series "VIX" (did you mean "vix"?)`},
		{"mini", "quantity: level, asset: '', to: 2024-08-01",
			"observed[0].asset: missing asset: an asset id or a series (" + assets + "; series: vix, mean_corr, " + state + ")"},
		// close_change and retrace read a price, vix or mean_corr: the
		// list says so, and names the series the other quantities read.
		{"mini", "quantity: close_change, asset: dealer_utl, to: 2024-08-01",
			`observed[0].asset: unknown asset or series "dealer_utl" (did you mean "dealer_util"?) (` + assets + "; series: vix, mean_corr; close_change reads no other series: level_change, level, peak, trough and peak_rise read " + state + ")"},
		// A missing or misspelt quantity (refused at quantity) reads none
		// of the series either: the list names the quantities that do,
		// with no stray "  reads" for a missing one.
		{"mini", "asset: dealer_utl, to: 2024-08-01",
			`observed[0].asset: unknown asset or series "dealer_utl" (did you mean "dealer_util"?) (` + assets + "; series: vix, mean_corr; level_change, level, peak, trough and peak_rise also read " + state + ")"},
		{"mini", "quantity: peek, asset: dealer_utl, to: 2024-08-01",
			`observed[0].asset: unknown asset or series "dealer_utl" (did you mean "dealer_util"?) (` + assets + "; series: vix, mean_corr; level_change, level, peak, trough and peak_rise also read " + state + ")"},
		{"mini", "quantity: close_change, asset: TY_basis_bp, to: 2024-08-01",
			"observed[0].asset: TY_basis_bp is a series of the run, not a price: close_change measures the percent change of an asset's price, vix or mean_corr; measure TY_basis_bp with level_change (its change, in its own units), level, peak, trough or peak_rise"},
		{"mini", "quantity: retrace, asset: repo_spread_bp, from: 2024-07-30, to: 2024-08-01", "observed[0].asset: repo_spread_bp is a series of the run, not a price: retrace measures"},
		{"mini", "quantity: peak, asset: unwound_basis_pct, to: 2024-08-01", "observed[0].asset: unwound_basis_pct is read by quantity: unwound, with asset: basis"},
		// A basis or a yield of an asset without one says which have one.
		{"mini", "quantity: peak, asset: SPX_basis_bp, to: 2024-08-01",
			`observed[0].asset: unknown asset or series "SPX_basis_bp": it would be a future's basis to its cash bond, and SPX is not a future (its kind is equity; futures: TY) (did you mean "TY_basis_bp"?) (` + assets + "; series: vix, mean_corr, " + state + ")"},
		{"mini", "quantity: level, asset: UST30Y_yield, to: 2024-08-01",
			`observed[0].asset: unknown asset or series "UST30Y_yield": it would be a bond's yield, and there is no bond "UST30Y" (bonds: UST10Y) (did you mean "UST10Y_yield"?) (`},
		{"eba2018", "quantity: peak, asset: TY_basis_bp, to: 2019-01-03",
			`observed[0].asset: unknown asset or series "TY_basis_bp": it would be a future's basis to its cash bond, and there is no future "TY" (futures: none) (assets: CORPB, GOVB, OTHER; series: vix, mean_corr, GOVB_yield, CORPB_yield, repo_spread_bp, xccy_basis_bp, policy_USD_bp, policy_USD_expected_bp)`},
		{"mini", "quantity: close_change, asset: UST10Y_yield, to: 2024-08-01",
			"observed[0].asset: UST10Y_yield is a series of the run, not a price: close_change measures the percent change of an asset's price, vix or mean_corr; measure UST10Y_yield with level_change (its change, in its own units) (or yield_change of UST10Y, its change in bp), level, peak, trough or peak_rise"},
		// Another world's names are not this one's: mini has no JPM.
		{"mini", "quantity: peak, asset: dealer_JPM_util, to: 2024-08-01", `observed[0].asset: unknown asset or series "dealer_JPM_util" (did you mean "dealer_GS_util"?)`},
		// A world without dealers: dealer_util is 0 throughout.
		{"eba2018", "quantity: peak, asset: dealer_util, to: 2019-01-03", "observed[0].asset: the scenario has no dealers: dealer_util is 0 throughout (add brokers' dealing arms or dealers)"},
		{"eba2018", "quantity: peak, asset: GOVB_yield, to: 2019-01-03", ""},
		// level takes no from; level_change's from must be recorded.
		{"mini", "quantity: level, asset: TY_basis_bp, from: 2024-07-30, to: 2024-08-01",
			"observed[0].from: level is the value at the close of to alone, and takes no from: give level_change for a change from the close of from"},
		{"mini", "quantity: level_change, asset: TY_basis_bp, to: 2024-07-30",
			"observed[0].to: the close to compare with, of 2024-07-29 (the trading day before to; give from to choose another), is before the run's first tick ends"},
		{"mini", "quantity: level, asset: TY_basis_bp, to: 2024-08-02", "observed[0].to: the run does not record the New York close of 2024-08-02"},
	} {
		line := "  - {name: x, observed: 0, tolerance: 1, " + c.entry + "}"
		path := write(t, dir, "obs.yaml", "extends: "+c.base+"\nobserved:\n"+line+"\n")
		got := loadProblem(t, path)
		if c.want == "" {
			if got != "" {
				t.Errorf("%s: refused: %s", c.entry, got)
			}
			continue
		}
		// The position is the field's value: asset's, from's or to's.
		field := strings.SplitN(strings.TrimPrefix(c.want, "observed[0]."), ":", 2)[0]
		col := strings.Index(line, field+": ") + len(field) + 3
		if want := fmt.Sprintf("%s:3:%d: %s", path, col, c.want); !strings.Contains(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", c.entry, got, want)
		}
	}
}

// TestObservableSeriesAreColumns: the series an observation may read
// (ObservableSeries, worked out from the scenario alone) are the time
// series' columns of those families, in their order, in every built-in:
// each bond's yield and future's basis, the funding spreads, each
// currency's policy rate and expected rate, with
// dealers dealer_util and depth, each prime broker's columns but
// stressed, and each dealer's utilization and depth.
func TestObservableSeriesAreColumns(t *testing.T) {
	for _, name := range BuiltinNames() {
		s, err := Load(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		m, err := sim.Build(&s.File.Config, 0)
		if err != nil {
			t.Fatal(err)
		}
		dealers := len(m.DealerIDs()) > 0
		var want []string
		for _, col := range sim.SeriesColumns(m) {
			n := col.Name
			switch {
			case col.Asset >= 0 && (strings.HasSuffix(n, "_yield") || strings.HasSuffix(n, "_basis_bp")),
				n == "repo_spread_bp", n == "xccy_basis_bp",
				strings.HasPrefix(n, "funding_") && strings.HasSuffix(n, "_bp"),
				strings.HasPrefix(n, "policy_") && strings.HasSuffix(n, "_bp"),
				dealers && (n == "dealer_util" || n == "depth"),
				strings.HasPrefix(n, "dealer_") && (strings.HasSuffix(n, "_util") || strings.HasSuffix(n, "_depth")) && n != "dealer_util",
				strings.HasPrefix(n, "broker_") && !strings.HasSuffix(n, "_stressed"):
				want = append(want, n)
			}
		}
		if got := ObservableSeries(&s.File.Config); !slices.Equal(got, want) {
			t.Errorf("%s: ObservableSeries\n %v\nthe time series' columns\n %v", name, got, want)
		}
	}
}
