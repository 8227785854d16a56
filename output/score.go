package output

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// ScoreRow is one line of a replay's score: what markets did, what the
// simulation did, and whether it is within tolerance.
type ScoreRow struct {
	Name      string  `json:"name"`
	Quantity  string  `json:"quantity"`
	Asset     string  `json:"asset"`
	Observed  float64 `json:"observed"`
	Simulated float64 `json:"simulated"`
	Tolerance string  `json:"tolerance"` // "±2", "[8, 16]", ">= 40"
	Pass      bool    `json:"pass"`
	Source    string  `json:"source,omitempty"`
	// bounds are the values the table's reader compares Simulated with
	// (Bounds): its digits are chosen against them.
	bounds []float64
}

// MarshalJSON writes the row with a missing simulated value (NaN: the run
// gives none) as null.
func (r ScoreRow) MarshalJSON() ([]byte, error) {
	type row ScoreRow
	return json.Marshal(struct {
		row
		Simulated sim.Num `json:"simulated"`
	}{row(r), sim.Num(r.Simulated)})
}

// nyClose returns the instant of the New York close (16:00 local) on day d,
// as validation checks it (scenarios.NYClose).
func nyClose(d time.Time) time.Time { return scenarios.NYClose(d) }

// series gives a replay's quantities on daily closes and intraday.
type series struct {
	times []time.Time // the instant each value holds at: the end of its tick
	vals  []float64
}

// covers reports whether the run reaches instant c: its last tick ends at
// or after it.
func (s *series) covers(c time.Time) bool {
	return len(s.times) > 0 && !c.After(s.times[len(s.times)-1])
}

// closeAt returns the value at the New York close of day d: the value of
// the last tick that ends at or before 16:00 New York time. A close before
// the first tick ends, or after the run, is not measured (the first or the
// last row would stand for it).
func (s *series) closeAt(d time.Time) (float64, bool) {
	c := nyClose(d)
	if !s.covers(c) {
		return math.NaN(), false
	}
	k := -1
	for i, t := range s.times {
		if t.After(c) {
			break
		}
		k = i
	}
	if k < 0 {
		return math.NaN(), false
	}
	return s.vals[k], true
}

// scoreColumn names the time-series column observation o is measured on:
// a bond's yield for the yield quantities, a trade kind's unwound share
// for unwound, else the column Asset names: an asset's price, vix,
// mean_corr or a market-state series (scenarios.ObservableSeries:
// TY_basis_bp, repo_spread_bp, dealer_util, ...).
func scoreColumn(o scenarios.Observation) string {
	switch o.Quantity {
	case "yield_change", "yield_peak", "yield_trough":
		return o.Asset + "_yield"
	case "unwound":
		return "unwound_" + o.Asset + "_pct"
	}
	return o.Asset
}

// ScoreColumns lists, once each and in the order of first use, the
// time-series columns (besides time) that Score reads for obs.
func ScoreColumns(obs []scenarios.Observation) []string {
	var cols []string
	for _, o := range obs {
		if c := scoreColumn(o); !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	return cols
}

// Score measures every observation on a run's time series.
func Score(obs []scenarios.Observation, ts *Table) ([]ScoreRow, error) {
	tc, ok := ts.Column("time")
	if !ok {
		return nil, fmt.Errorf("time series has no time column")
	}
	// A row is labelled with the start of its tick and holds the state at
	// its end (docs/outputs.md), so the instant a value holds at is the
	// label plus one tick: the New York close of a day is the row whose
	// tick ends at or before 16:00 there, not the row that starts at 16:00.
	at := make([]time.Time, len(tc.T))
	var tick time.Duration
	if len(tc.T) > 1 {
		tick = tc.T[1].Sub(tc.T[0])
	}
	for i, t := range tc.T {
		at[i] = t.Add(tick)
	}
	get := func(name string) (*series, error) {
		c, ok := ts.Column(name)
		if !ok {
			return nil, fmt.Errorf("no series %q in the time series", name)
		}
		return &series{times: at, vals: c.F}, nil
	}
	var rows []ScoreRow
	for _, o := range obs {
		row := ScoreRow{Name: o.Name, Quantity: o.Quantity, Asset: o.Asset, Observed: o.Observed, Source: o.Source, bounds: Bounds(o)}
		s, err := get(scoreColumn(o))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.Name, err)
		}
		sim, err := measure(o, s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.Name, err)
		}
		row.Simulated = sim
		row.Tolerance, row.Pass = Within(o, sim)
		rows = append(rows, row)
	}
	return rows, nil
}

// measure returns observation o's quantity on series s, or NaN where the
// run does not give it. A run that ends before the New York close of To
// gives none: a close would be read from the last row, a window cut short.
func measure(o scenarios.Observation, s *series) (float64, error) {
	from := o.From
	if from.IsZero() {
		from = scenarios.PrevTradingDay(o.To)
	}
	sim := math.NaN()
	if !slices.Contains(scenarios.Quantities(), o.Quantity) {
		return sim, fmt.Errorf("unknown quantity %q", o.Quantity)
	}
	if !s.covers(nyClose(o.To)) {
		return sim, nil // not measured: see above
	}
	switch o.Quantity {
	case "close_change":
		a, ok1 := s.closeAt(from)
		b, ok2 := s.closeAt(o.To)
		if ok1 && ok2 {
			sim = 100 * (b/a - 1)
		}
	case "yield_change":
		a, ok1 := s.closeAt(from)
		b, ok2 := s.closeAt(o.To)
		if ok1 && ok2 {
			sim = 100 * (b - a) // percent to bp
		}
	case "level_change":
		a, ok1 := s.closeAt(from)
		b, ok2 := s.closeAt(o.To)
		if ok1 && ok2 {
			sim = b - a // in the series' own units
		}
	case "unwound", "level":
		sim, _ = s.closeAt(o.To)
	case "peak", "trough", "yield_peak", "yield_trough":
		hiQ := o.Quantity == "peak" || o.Quantity == "yield_peak"
		lo, hi := o.From, nyClose(o.To)
		if lo.IsZero() {
			lo = s.times[0]
		}
		for i, t := range s.times {
			if t.Before(lo) || t.After(hi) || math.IsNaN(s.vals[i]) {
				continue
			}
			v := s.vals[i]
			if math.IsNaN(sim) || (hiQ && v > sim) || (!hiQ && v < sim) {
				sim = v
			}
		}
	case "retrace":
		// Share of the fall from the close of From to the lowest close
		// before To that the close of To has won back.
		ref, ok := s.closeAt(from)
		end, ok2 := s.closeAt(o.To)
		low := math.Inf(1)
		for d := from.AddDate(0, 0, 1); !d.After(o.To); d = d.AddDate(0, 0, 1) {
			if v, ok := s.closeAt(d); ok && v < low {
				low = v
			}
		}
		if ok && ok2 && ref > low {
			sim = 100 * (end - low) / (ref - low)
		}
	case "peak_rise":
		// Peak from From to To, less the mean before From.
		sum, n := 0.0, 0
		peak := math.NaN()
		for i, t := range s.times {
			v := s.vals[i]
			if math.IsNaN(v) {
				continue
			}
			if t.Before(o.From) {
				sum += v
				n++
			} else if !t.After(nyClose(o.To)) && (math.IsNaN(peak) || v > peak) {
				peak = v
			}
		}
		if n > 0 {
			sim = peak - sum/float64(n)
		}
	}
	return sim, nil
}

// Within reports whether a simulated value x of observation o is within
// its tolerance, and the tolerance as the score table prints it. NaN (a
// quantity the run could not measure) is never within.
func Within(o scenarios.Observation, x float64) (tolerance string, pass bool) {
	switch {
	case o.Min != nil && o.Max != nil:
		return fmt.Sprintf("[%g, %g]", *o.Min, *o.Max), x >= *o.Min && x <= *o.Max
	case o.Min != nil:
		return fmt.Sprintf(">= %g", *o.Min), x >= *o.Min
	case o.Max != nil:
		return fmt.Sprintf("<= %g", *o.Max), x <= *o.Max
	}
	return fmt.Sprintf("±%g", o.Tolerance), math.Abs(x-o.Observed) <= o.Tolerance
}

// Bounds are the values a simulated value of o is judged against: its
// tolerance's ends (min, max, or observed ± tolerance).
func Bounds(o scenarios.Observation) []float64 {
	switch {
	case o.Min != nil && o.Max != nil:
		return []float64{*o.Min, *o.Max}
	case o.Min != nil:
		return []float64{*o.Min}
	case o.Max != nil:
		return []float64{*o.Max}
	}
	return []float64{o.Observed - o.Tolerance, o.Observed + o.Tolerance}
}

// ScoreDecimals is how many decimals a score table shows x with: two,
// or more (up to six) where two would put the shown number onto, or on
// the other side of, one of bounds that x is not on (a median of 1.071
// against a band [1, 1.07] shows as 1.071, not 1.07). With no bounds, x is
// a given number (an observed value): as many as it needs, up to six
// (1.035, not 1.03).
func ScoreDecimals(x float64, bounds ...float64) int {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 2
	}
	for d := 2; d < 6; d++ {
		shown, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', d, 64), 64)
		ok := len(bounds) > 0 || shown == x
		for _, b := range bounds {
			ok = ok && cmp.Compare(shown, b) == cmp.Compare(x, b)
		}
		if ok {
			return d
		}
	}
	return 6
}

// ScoreValue shows a value in a score table: an observed value with no
// bounds, a simulated one (a run's, a median, a percentile) with the
// tolerance's ends (Bounds). Every table that prints observed or simulated
// values (cascade score, score --seeds, compare, channels, report.md, a
// sweep's calibration section) writes them this way: ScoreDecimals
// decimals less the trailing zeros, so 20 reads "20", never "20.00", and
// -12.4 "-12.4"; "n/a" where there is no value, "inf" for +Inf (a
// utilization with no capital left).
func ScoreValue(x float64, bounds ...float64) string {
	return trimD(x, ScoreDecimals(x, bounds...))
}

// PrintScore writes a score table and returns how many rows passed.
func PrintScore(w io.Writer, scenario string, rows []ScoreRow) int {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "quantity\tobserved\tsimulated\ttolerance\tresult\t")
	for _, r := range rows {
		res := "FAIL"
		if r.Pass {
			res = "pass"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", r.Name, ScoreValue(r.Observed), ScoreValue(r.Simulated, r.bounds...), r.Tolerance, res)
	}
	tw.Flush()
	pass := ScorePassed(rows)
	fmt.Fprintf(w, "%s: %d of %d within tolerance\n", scenario, pass, len(rows))
	return pass
}

// ScorePassed is the number of rows within tolerance.
func ScorePassed(rows []ScoreRow) int {
	pass := 0
	for _, r := range rows {
		if r.Pass {
			pass++
		}
	}
	return pass
}

// trim shows x with two decimals, less the trailing zeros.
func trim(x float64) string { return trimD(x, 2) }

// trimD shows x with d decimals, less the trailing zeros.
func trimD(x float64, d int) string {
	switch {
	case math.IsNaN(x):
		return "n/a"
	case math.IsInf(x, 1):
		return "inf" // as timeseries.csv writes it: a utilization with no capital left
	case math.IsInf(x, -1):
		return "-inf"
	}
	s := strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(x, 'f', d, 64), "0"), ".")
	if s == "-0" { // a small negative number shows as 0, not as a sign alone
		return "0"
	}
	return s
}
