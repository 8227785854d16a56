package scenarios

import "time"

// Observation is one thing markets did, with a tolerance, against which a
// replay is scored (cascade score). Quantities are measured on daily closes
// at the New York close, as market data are quoted.
type Observation struct {
	Name string `yaml:"name" json:"name"` // label in the score table
	// Quantity is what is measured: close_change (percent change of Asset's
	// close from the close of From, by default the trading day before To, to
	// the close of To); yield_change (change of a bond's yield, bp, close to
	// close); peak or trough (highest or lowest value, intraday, of Asset,
	// vix or mean_corr between From and the close of To: an asset's price,
	// which for a bond is its price, not its yield); yield_peak or
	// yield_trough (highest or lowest yield of a bond, percent, over the
	// same window); retrace (percent
	// of the fall from the close of From to the lowest close up to To won
	// back by the close of To); peak_rise (peak between From and To less the
	// mean before From); unwound (percent of a trade kind, carry, basis or
	// equity, unwound by To; equity is every directional long, whatever
	// asset it holds).
	Quantity string `yaml:"quantity" json:"quantity"`
	Asset    string `yaml:"asset" json:"asset"` // asset ID, vix, mean_corr, or a trade kind for unwound
	// From is the date the measurement starts from: the close it compares
	// with (default: the trading day before To), which the run must record
	// (a tick of the run ends at or before it); or where a peak, trough or
	// peak_rise window opens (peak and trough default to the start of the
	// run, and may open up to a day before it; peak_rise needs a tick of
	// the run to end before it, for the mean it compares with).
	From time.Time `yaml:"from,omitempty" json:"from,omitempty"`
	// To is the date whose New York close ends the measurement: the run
	// must reach that close (16:00 New York time), or the observation is
	// refused (a run that ends at midnight UTC records the close of the day
	// before its end date, not of that date).
	To time.Time `yaml:"to" json:"to"`
	// Observed is what markets did, in the quantity's units (percent, bp,
	// or the level of vix or mean_corr).
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
