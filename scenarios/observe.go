package scenarios

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// Observation is one thing markets did, with a tolerance, against which a
// replay is scored (cascade score). Quantities are measured on daily closes
// at the New York close, as market data are quoted.
type Observation struct {
	Name string `yaml:"name" json:"name"` // label in the score table
	// Quantity is what is measured: close_change (percent change of Asset's
	// close from the close of From, by default the trading day before To, to
	// the close of To); yield_change (change of a bond's yield, bp, close to
	// close); level (Asset's value at the close of To, in its own units);
	// level_change (its value at the close of To less its value at the close
	// of From, by default the trading day before To, in its own units: bp
	// for a spread or a futures basis); peak or trough (highest or lowest
	// value, intraday, of Asset between From and the close of To: an
	// asset's price, which for a bond is its price, not its yield, or a
	// series: vix, mean_corr, a spread, a basis, a utilization); yield_peak
	// or yield_trough (highest or lowest yield of a bond, percent, over the
	// same window); retrace (percent of the fall from the close of From to
	// the lowest close up to To won back by the close of To); peak_rise
	// (peak between From and To less the mean before From); unwound
	// (percent of a trade kind, carry, basis or equity, unwound by To;
	// equity is every directional long, whatever asset it holds).
	Quantity string `yaml:"quantity" json:"quantity"`
	// Asset is what the quantity is measured on: an asset ID (its price;
	// a bond's yield for the yield quantities), vix, mean_corr, or, for
	// level, level_change, peak, trough and peak_rise, one of the run's
	// market-state series, named as its time-series column: a future's
	// basis to its cash bond ({ID}_basis_bp), repo_spread_bp,
	// xccy_basis_bp, funding_{CUR}_bp for each currency but USD,
	// policy_{CUR}_bp and policy_{CUR}_expected_bp for each currency (its
	// policy rate and the rate expected a year ahead, bp), dealer_util, depth, each prime broker's broker_{ID}_util,
	// broker_{ID}_haircut_multiple, broker_{ID}_margin_req,
	// broker_{ID}_margin_call and broker_{ID}_equity, and each dealer's
	// dealer_{ID}_util and dealer_{ID}_depth; or a trade kind (carry,
	// basis, equity) for unwound.
	Asset string `yaml:"asset" json:"asset"`
	// From is the date the measurement starts from: the close it compares
	// with (default: the trading day before To; level takes none), which
	// the run must record (a tick of the run ends at or before it); or
	// where a peak, trough or peak_rise window opens (peak and trough
	// default to the start of the run, and may open up to a day before it;
	// peak_rise needs a tick of the run to end before it, for the mean it
	// compares with).
	From time.Time `yaml:"from,omitempty" json:"from,omitempty"`
	// To is the date whose New York close ends the measurement: the run
	// must reach that close (16:00 New York time), or the observation is
	// refused (a run that ends at midnight UTC records the close of the day
	// before its end date, not of that date).
	To time.Time `yaml:"to" json:"to"`
	// Observed is what markets did, in the quantity's units (percent, bp,
	// or the level of vix, mean_corr or the series measured: a spread or
	// basis in bp, a utilization as a fraction of capacity).
	Observed float64 `yaml:"observed" json:"observed"`
	// Tolerance: the simulated value passes within this distance of
	// observed, when neither min nor max is given (it must then be
	// positive).
	Tolerance float64 `yaml:"tolerance,omitempty" json:"tolerance,omitempty"`
	// Min is the lowest simulated value that passes; with min or max given,
	// tolerance is not used (and refused).
	Min *float64 `yaml:"min,omitempty" json:"min,omitempty"`
	// Max is the highest simulated value that passes; with min or max
	// given, tolerance is not used (and refused).
	Max *float64 `yaml:"max,omitempty" json:"max,omitempty"`
	// Source says where the observed value comes from (for readers: the
	// score does not use it).
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// Quantities lists the quantities an observation measures.
func Quantities() []string { return append([]string(nil), quantities...) }

// NYClose is the instant of the New York close (16:00 local time) on the
// day of d, the close observations are measured at.
func NYClose(d time.Time) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day, 16, 0, 0, 0, nyLoc)
}

// PrevTradingDay is the weekday before d: the default from of an
// observation that compares two closes.
func PrevTradingDay(d time.Time) time.Time {
	for {
		d = d.AddDate(0, 0, -1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return d
		}
	}
}

var nyLoc = func() *time.Location {
	l, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	return l
}()

// quantities are the quantities an observation measures (Quantity).
var quantities = []string{"close_change", "yield_change", "peak", "trough", "yield_peak", "yield_trough", "retrace", "peak_rise", "unwound", "level", "level_change"}

// readsSeries reports whether quantity q may read one of the run's
// market-state series (ObservableSeries), not only an asset's price, vix
// or mean_corr: close_change and retrace are a price's percent change and
// recovery, which a spread or a basis, near or through zero, has not.
func readsSeries(q string) bool {
	switch q {
	case "level", "level_change", "peak", "trough", "peak_rise":
		return true
	}
	return false
}

// ObservableSeries lists, in the order of the time series' columns
// (sim.SeriesColumns), the market-state series of a run of c that an
// observation's level, level_change, peak, trough or peak_rise may read
// besides the assets' prices, vix and mean_corr: each bond's yield
// ({ID}_yield, percent) and each future's basis to its cash bond
// ({ID}_basis_bp); the funding spreads (repo_spread_bp, xccy_basis_bp,
// funding_{CUR}_bp for each currency but USD); each currency's policy
// rate and the rate expected a year ahead (policy_{CUR}_bp,
// policy_{CUR}_expected_bp, USD first); and, in a world with
// dealers, the dealer sector's utilization and depth (dealer_util, depth);
// each prime broker's balance-sheet utilization, haircut multiple, margin
// required and called, and equity (broker_{ID}_util, ..., in
// sim.BrokerObservable's order); and each dealer's (dealer_{ID}_util,
// dealer_{ID}_depth).
func ObservableSeries(c *sim.Config) []string {
	var names []string
	for _, a := range c.Assets {
		switch a.Kind {
		case "bond":
			names = append(names, a.ID+"_yield")
		case "future":
			names = append(names, a.ID+"_basis_bp")
		}
	}
	names = append(names, "repo_spread_bp", "xccy_basis_bp")
	curs := []string{"USD"} // as sim.Build lists them: USD first
	add := func(cur string) {
		if cur != "" && !slices.Contains(curs, cur) {
			curs = append(curs, cur)
		}
	}
	for _, a := range c.Assets {
		add(a.Currency)
		if a.Kind == "fx" {
			add(a.Base)
		}
	}
	for _, cur := range curs[1:] {
		names = append(names, "funding_"+cur+"_bp")
	}
	for _, cur := range curs {
		names = append(names, sim.PolicyColumn(cur, false), sim.PolicyColumn(cur, true))
	}
	dealers := dealerIDs(c)
	if len(dealers) > 0 {
		names = append(names, "dealer_util", "depth")
	}
	for _, b := range c.Brokers {
		names = append(names, brokerSeries(b.ID)...)
	}
	for _, id := range dealers {
		names = append(names, sim.DealerColumn(id, "util"), sim.DealerColumn(id, "depth"))
	}
	return names
}

// brokerSeries lists the series of prime broker id an observation may
// read (sim.BrokerObservable).
func brokerSeries(id string) []string {
	var names []string
	for _, f := range sim.BrokerObservable {
		names = append(names, sim.BrokerColumn(id, f))
	}
	return names
}

// dealerIDs lists the ids of c's dealers in the market's order
// (sim.Model.DealerIDs): the prime brokers' dealing arms, each named by
// its broker, then the standalone dealers.
func dealerIDs(c *sim.Config) []string {
	var ids []string
	for _, b := range c.Brokers {
		if b.Dealer != nil {
			ids = append(ids, b.ID)
		}
	}
	for _, d := range c.Dealers {
		ids = append(ids, d.ID)
	}
	return ids
}

// observedAsset checks what observation o, of a quantity that reads a
// price or a series (not a yield quantity, not unwound), is measured on:
// an asset, vix, mean_corr, or for the quantities that read them
// (readsSeries) a market-state series (ObservableSeries). An unknown name
// gets the nearest valid one and every valid name.
func (v *validator) observedAsset(path string, o *Observation) {
	if _, ok := v.assets[o.Asset]; ok || o.Asset == "vix" || o.Asset == "mean_corr" {
		return
	}
	c := &v.f.Config
	state := ObservableSeries(c)
	wide := readsSeries(o.Quantity)
	if slices.Contains(state, o.Asset) {
		if !wide {
			also := ""
			if id, ok := strings.CutSuffix(o.Asset, "_yield"); ok {
				also = fmt.Sprintf(" (or yield_change of %s, its change in bp)", id)
			}
			v.fail(path, "%s is a series of the run, not a price: %s measures the percent change of an asset's price, vix or mean_corr; measure %s with level_change (its change, in its own units)%s, level, peak, trough or peak_rise", o.Asset, o.Quantity, o.Asset, also)
		}
		return
	}
	for _, b := range c.Brokers {
		if o.Asset == sim.BrokerColumn(b.ID, "stressed") {
			v.fail(path, "%s is recorded but not scored: it is 1 while %s margins accounts gross, a switch of the model's margining that markets do not report; score %s's %s", o.Asset, b.ID, b.ID, strings.Join(brokerSeries(b.ID), ", "))
			return
		}
	}
	if (o.Asset == "dealer_util" || o.Asset == "depth") && len(dealerIDs(c)) == 0 {
		flat := map[string]string{"dealer_util": "0", "depth": "1"}[o.Asset]
		v.fail(path, "the scenario has no dealers: %s is %s throughout (add brokers' dealing arms or dealers)", o.Asset, flat)
		return
	}
	if k, ok := strings.CutPrefix(o.Asset, "unwound_"); ok {
		if kind, ok := strings.CutSuffix(k, "_pct"); ok {
			if _, err := core.ParseTradeKind(kind); err == nil {
				v.fail(path, "%s is read by quantity: unwound, with asset: %s", o.Asset, kind)
				return
			}
		}
	}
	assets := make([]string, 0, len(v.assets))
	for id := range v.assets {
		assets = append(assets, id)
	}
	sort.Strings(assets)
	series := []string{"vix", "mean_corr"}
	if wide {
		series = append(series, state...)
	}
	list := fmt.Sprintf("assets: %s; series: %s", strings.Join(assets, ", "), strings.Join(series, ", "))
	if !wide && len(state) > 0 {
		// A missing or unknown quantity (refused at its own field) reads
		// none of them either: name the quantities that do.
		if slices.Contains(quantities, o.Quantity) {
			list += fmt.Sprintf("; %s reads no other series: level_change, level, peak, trough and peak_rise read %s", o.Quantity, strings.Join(state, ", "))
		} else {
			list += fmt.Sprintf("; level_change, level, peak, trough and peak_rise also read %s", strings.Join(state, ", "))
		}
	}
	if o.Asset == "" {
		v.fail(path, "missing asset: an asset id or a series (%s)", list)
		return
	}
	// A basis or a yield of an asset that has none, or of no asset: say
	// which assets have one.
	why, suggest := "", true
	for _, f := range []struct{ suffix, kind, what string }{
		{"_basis_bp", "future", "a future's basis to its cash bond"},
		{"_yield", "bond", "a bond's yield"},
	} {
		id, ok := strings.CutSuffix(o.Asset, f.suffix)
		if !ok || id == "" {
			continue
		}
		var ids []string
		for _, a := range c.Assets {
			if a.Kind == f.kind {
				ids = append(ids, a.ID)
			}
		}
		have := strings.Join(ids, ", ")
		if have == "" {
			have, suggest = "none", false // the nearest name would be another's
		}
		if i, ok := v.assets[id]; ok {
			why = fmt.Sprintf(": it would be %s, and %s is not a %s (its kind is %s; %ss: %s)", f.what, id, f.kind, c.Assets[i].Kind, f.kind, have)
		} else {
			why = fmt.Sprintf(": it would be %s, and there is no %s %q (%ss: %s)", f.what, f.kind, id, f.kind, have)
		}
		break
	}
	// The nearest of every name, a series this quantity does not read
	// included: the list says which quantities read it.
	all := append(append(assets, "vix", "mean_corr"), state...)
	if suggest {
		why += nearestSeries(o.Asset, all)
	}
	v.fail(path, "unknown asset or series %q%s (%s)", o.Asset, why, list)
}

// nearestSeries suggests the name of names that s stands for (didYouMean),
// or else the longest that begins s, in any case: dealer_util for
// dealer_utilization, too far from it for an edit distance.
func nearestSeries(s string, names []string) string {
	if m := didYouMean(s, names); m != "" {
		return m
	}
	best := ""
	for _, n := range names {
		if len(n) > len(best) && len(n) < len(s) && strings.EqualFold(s[:len(n)], n) {
			best = n
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}
