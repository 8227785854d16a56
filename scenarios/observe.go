package scenarios

import "time"

// Observation is one thing markets did, with a tolerance, against which a
// replay is scored (cascade score). Quantities are measured on daily closes
// at the New York close, as market data are quoted.
type Observation struct {
	Name string `yaml:"name" json:"name"` // label in the score table
	// Quantity:
	//   close_change  percent change of Asset's close from the close of From
	//                 (default: the trading day before To) to the close of To
	//   yield_change  change of a bond's yield, bp, close to close
	//   peak, trough  highest or lowest value (intraday) of Asset, vix or
	//                 mean_corr between From and the close of To
	//   retrace       percent of the fall from the close of From to the
	//                 lowest close before To won back by the close of To
	//   peak_rise     peak between From and To less the mean before From
	//   unwound       percent of a trade kind (carry, basis, equity) unwound by To
	Quantity string    `yaml:"quantity" json:"quantity"`
	Asset    string    `yaml:"asset" json:"asset"` // asset ID, vix, mean_corr, or a trade kind for unwound
	From     time.Time `yaml:"from,omitempty" json:"from,omitempty"`
	To       time.Time `yaml:"to" json:"to"`
	// Observed is what markets did; the simulated value passes when it lies
	// within [Min, Max] (either may be omitted), or within Tolerance of
	// Observed when no bound is given.
	Observed  float64  `yaml:"observed" json:"observed"`
	Tolerance float64  `yaml:"tolerance,omitempty" json:"tolerance,omitempty"`
	Min       *float64 `yaml:"min,omitempty" json:"min,omitempty"`
	Max       *float64 `yaml:"max,omitempty" json:"max,omitempty"`
	Source    string   `yaml:"source,omitempty" json:"source,omitempty"`
}
