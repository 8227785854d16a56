package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cascade-sim/cascade/core/dmath"
	"gonum.org/v1/gonum/stat/distuv"
)

// Dist is a probability distribution of one parameter, for populations
// (AgentSpec.Vary) and Monte Carlo sweeps.
//
//	kind: fixed       value
//	kind: list        values          (grid levels; sampled uniformly)
//	kind: choice      values, weights (weights optional)
//	kind: uniform     min, max
//	kind: normal      mean, sd        (optional min/max truncate by clamping)
//	kind: lognormal   mu, sigma       (of the logarithm)
//	kind: triangular  min, mode, max
//
// A population member draws with Draw, which keeps a normal or lognormal
// value within Range (its one-in-a-million quantiles, inside min and
// max), the values validation checks; a sweep's designs draw with
// Quantile, and a sweep's check covers the values its runs draw.
type Dist struct {
	// Kind is the distribution: fixed, list, choice, uniform, normal,
	// lognormal or triangular; each reads only its own parameters.
	Kind string `yaml:"kind" json:"kind"`
	// Value is the one value a fixed distribution gives.
	Value float64 `yaml:"value,omitempty" json:"value,omitempty"`
	// Values are the levels of a list (equally likely) or a choice
	// (weighted by weights), at least one; a sweep's grid takes each once.
	Values []float64 `yaml:"values,omitempty" json:"values,omitempty"`
	// Weights are a choice's relative weights, one per value, non-negative
	// and not all zero (default: equal).
	Weights []float64 `yaml:"weights,omitempty" json:"weights,omitempty"`
	// Min is the lower bound of a uniform or triangular distribution
	// (required), or where a normal or lognormal draw is clamped (optional).
	Min *float64 `yaml:"min,omitempty" json:"min,omitempty"`
	// Max is the upper bound of a uniform or triangular distribution
	// (required), or where a normal or lognormal draw is clamped (optional;
	// a min or max that would clamp every draw is refused: use fixed).
	Max *float64 `yaml:"max,omitempty" json:"max,omitempty"`
	// Mode is a triangular distribution's most likely value, between min
	// and max.
	Mode float64 `yaml:"mode,omitempty" json:"mode,omitempty"`
	// Mean is a normal distribution's mean.
	Mean float64 `yaml:"mean,omitempty" json:"mean,omitempty"`
	// SD is a normal distribution's standard deviation (> 0).
	SD float64 `yaml:"sd,omitempty" json:"sd,omitempty"`
	// Mu is the mean of a lognormal draw's logarithm.
	Mu float64 `yaml:"mu,omitempty" json:"mu,omitempty"`
	// Sigma is the standard deviation of a lognormal draw's logarithm (> 0).
	Sigma float64 `yaml:"sigma,omitempty" json:"sigma,omitempty"`
}

// DistKinds lists the distribution kinds.
var DistKinds = []string{"fixed", "list", "choice", "uniform", "normal", "lognormal", "triangular"}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// DistFields returns the parameters a distribution kind reads, as spelled
// in files (nil for an unknown kind). Loaders refuse the others: a fixed
// distribution given values, or a normal one given mu and sigma, would
// otherwise run on zeros.
func DistFields(kind string) []string {
	switch kind {
	case "fixed":
		return []string{"kind", "value"}
	case "list":
		return []string{"kind", "values"}
	case "choice":
		return []string{"kind", "values", "weights"}
	case "uniform":
		return []string{"kind", "min", "max"}
	case "normal":
		return []string{"kind", "mean", "sd", "min", "max"}
	case "lognormal":
		return []string{"kind", "mu", "sigma", "min", "max"}
	case "triangular":
		return []string{"kind", "min", "mode", "max"}
	}
	return nil
}

// Validate reports the first problem with the distribution's parameters,
// naming the parameter.
func (d *Dist) Validate() (field string, err error) {
	lo, hi := math.Inf(-1), math.Inf(1)
	if d.Min != nil {
		lo = *d.Min
		if !finite(lo) {
			return "min", fmt.Errorf("min must be finite")
		}
	}
	if d.Max != nil {
		hi = *d.Max
		if !finite(hi) {
			return "max", fmt.Errorf("max must be finite")
		}
	}
	switch d.Kind {
	case "fixed":
		if !finite(d.Value) {
			return "value", fmt.Errorf("value must be finite")
		}
	case "list", "choice":
		if len(d.Values) == 0 {
			return "values", fmt.Errorf("%s needs at least one value", d.Kind)
		}
		for _, v := range d.Values {
			if !finite(v) {
				return "values", fmt.Errorf("values must be finite")
			}
		}
		if len(d.Weights) > 0 {
			if len(d.Weights) != len(d.Values) {
				return "weights", fmt.Errorf("%d weights for %d values", len(d.Weights), len(d.Values))
			}
			sum := 0.0
			for _, w := range d.Weights {
				if !(w >= 0) || !finite(w) {
					return "weights", fmt.Errorf("weights must be finite and non-negative")
				}
				sum += w
			}
			if sum <= 0 {
				return "weights", fmt.Errorf("weights must not all be zero")
			}
		}
	case "uniform":
		if d.Min == nil || d.Max == nil {
			return "min", fmt.Errorf("uniform needs min and max")
		}
		if !(lo < hi) {
			return "max", fmt.Errorf("uniform needs min < max (got %v, %v)", lo, hi)
		}
	case "normal":
		if !finite(d.Mean) {
			return "mean", fmt.Errorf("mean must be finite")
		}
		if !(d.SD > 0) || !finite(d.SD) {
			return "sd", fmt.Errorf("normal needs sd > 0 (got %v)", d.SD)
		}
		if !(lo < hi) {
			return "max", fmt.Errorf("normal needs min < max")
		}
	case "lognormal":
		if !finite(d.Mu) {
			return "mu", fmt.Errorf("mu must be finite")
		}
		if !(d.Sigma > 0) || !finite(d.Sigma) {
			return "sigma", fmt.Errorf("lognormal needs sigma > 0 (got %v)", d.Sigma)
		}
		if !(lo < hi) {
			return "max", fmt.Errorf("lognormal needs min < max (got %v, %v)", lo, hi)
		}
		if !(hi > 0) { // a lognormal draw is positive: every one would be clamped to max
			return "max", fmt.Errorf("lognormal draws are positive: max must be above 0 (got %v)", hi)
		}
	case "triangular":
		if d.Min == nil || d.Max == nil {
			return "min", fmt.Errorf("triangular needs min, mode and max")
		}
		if !(lo < hi) || d.Mode < lo || d.Mode > hi {
			return "mode", fmt.Errorf("triangular needs min <= mode <= max and min < max (got %v, %v, %v)", lo, d.Mode, hi)
		}
	case "":
		return "kind", fmt.Errorf("missing distribution kind (want one of %v)", DistKinds)
	default:
		return "kind", fmt.Errorf("unknown distribution kind %q (want one of %v)", d.Kind, DistKinds)
	}
	if field, err := d.finiteDraws(); err != nil {
		return field, err
	}
	return d.notAllClamped()
}

// notAllClamped refuses a normal or lognormal distribution whose min or
// max clamps every draw (Range is one value): a lognormal with mu 800 and
// max 100 gave every member 100, which a fixed distribution says plainly.
func (d *Dist) notAllClamped() (field string, err error) {
	if d.Kind != "normal" && d.Kind != "lognormal" {
		return "", nil
	}
	if lo, hi := d.Range(); lo != hi {
		return "", nil
	}
	// The one-in-a-million draws at each end, unclamped: mean ∓ z·sd, or
	// e^(mu ∓ z·sigma).
	z := dmath.NormalQuantile(1 - RangeTail)
	field, centre, spreadName, spread, form := "mean", d.Mean, "sd", d.SD, "%s %s %.2f·%s = %.4g"
	if d.Kind == "lognormal" {
		field, centre, spreadName, spread, form = "mu", d.Mu, "sigma", d.Sigma, "e^(%s %s %.2f·%s) = e^%.4g"
	}
	tail := func(sign string, x float64) string { return fmt.Sprintf(form, field, sign, z, spreadName, x) }
	if d.Max != nil && d.Quantile(RangeTail) == *d.Max {
		return field, fmt.Errorf("%s %s %v (%s %v) clamps every draw to max %v: even the lowest draw in a million, %s, is above it; lower %s, or use kind: fixed with value %v",
			d.Kind, field, centre, spreadName, spread, *d.Max, tail("−", centre-float64(z*spread)), field, *d.Max)
	}
	return field, fmt.Errorf("%s %s %v (%s %v) clamps every draw to min %v: even the highest draw in a million, %s, is below it; raise %s, or use kind: fixed with value %v",
		d.Kind, field, centre, spreadName, spread, *d.Min, tail("+", centre+float64(z*spread)), field, *d.Min)
}

// maxLog is the logarithm of the largest float64: e^x overflows above it.
var maxLog = math.Log(math.MaxFloat64)

// topZ is the standard normal quantile of the largest u a draw takes (just
// below 1): a sweep's designs reach it, and a population's draw is kept
// within Range, below it.
var topZ = dmath.NormalQuantile(math.Nextafter(1, 0))

// finiteDraws reports a valid distribution whose draws overflow: a
// lognormal's e^(mu + sigma·z) beyond the largest number (mu: 800 made
// every draw +Inf, which validation then reported as "draws up to +Inf"
// or "got the text +Inf"), or, for parameters beyond any a file allows, a
// normal's, uniform's or triangular's arithmetic.
func (d *Dist) finiteDraws() (field string, err error) {
	if d.Kind == "lognormal" && d.Max == nil && d.Mu+float64(d.Sigma*topZ) > maxLog {
		if d.Sigma*topZ > maxLog {
			return "sigma", fmt.Errorf("lognormal sigma %v is too wide: its largest draws, e^(mu + %.2f·sigma), overflow (beyond %.3g, the largest number); with mu %v, sigma must be at most %.4g, or give the distribution a max",
				d.Sigma, topZ, math.MaxFloat64, d.Mu, (maxLog-d.Mu)/topZ)
		}
		return "mu", fmt.Errorf("lognormal mu %v is too large: mu is the logarithm of the median draw (e^%v), and the largest draws, e^(mu + %.2f·sigma), overflow (beyond %.3g, the largest number); with sigma %v, mu must be at most %.4g (e.g. 25.33 for a median of 1e11), or give the distribution a max",
			d.Mu, d.Mu, topZ, math.MaxFloat64, d.Sigma, maxLog-float64(d.Sigma*topZ))
	}
	for _, u := range []float64{0, 0.5, math.Nextafter(1, 0)} {
		if x := d.Quantile(u); !finite(x) {
			return "kind", fmt.Errorf("%s draws overflow (one is %v): its parameters are too large to draw from", d.Kind, x)
		}
	}
	return "", nil
}

// RangeTail is the probability Range leaves out at each end of an
// unbounded distribution: draws beyond are rarer than one in a million.
const RangeTail = 1e-6

// Range returns the range of values a valid distribution draws: the
// extremes of discrete and bounded kinds, and for normal and lognormal
// (clamped by min and max if given) the RangeTail and 1 − RangeTail
// quantiles. Validation checks a parameter's range at both ends.
func (d *Dist) Range() (lo, hi float64) {
	switch d.Kind {
	case "fixed":
		return d.Value, d.Value
	case "list", "choice":
		lo, hi = d.Values[0], d.Values[0]
		for _, v := range d.Values[1:] {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		return lo, hi
	case "normal", "lognormal":
		return d.Quantile(RangeTail), d.Quantile(1 - RangeTail)
	}
	return *d.Min, *d.Max // uniform, triangular
}

// Quantile returns the distribution's u-quantile, u in [0, 1): the inverse
// CDF that Latin hypercube and grid designs use. For discrete kinds it picks
// value ⌊u·n⌋ (weighted for choice).
func (d *Dist) Quantile(u float64) float64 {
	u = math.Min(math.Max(u, 0), math.Nextafter(1, 0))
	clamp := func(x float64) float64 {
		if d.Min != nil && x < *d.Min {
			x = *d.Min
		}
		if d.Max != nil && x > *d.Max {
			x = *d.Max
		}
		return x
	}
	switch d.Kind {
	case "fixed":
		return d.Value
	case "list":
		return d.Values[int(u*float64(len(d.Values)))]
	case "choice":
		if len(d.Weights) == 0 {
			return d.Values[int(u*float64(len(d.Values)))]
		}
		sum := 0.0
		for _, w := range d.Weights {
			sum += w
		}
		acc := 0.0
		for k, w := range d.Weights {
			acc += w / sum
			if u < acc {
				return d.Values[k]
			}
		}
		return d.Values[len(d.Values)-1]
	case "uniform":
		return *d.Min + float64(u*(*d.Max-*d.Min))
	case "normal":
		if u == 0 {
			u = math.SmallestNonzeroFloat64
		}
		return clamp(d.Mean + float64(d.SD*dmath.NormalQuantile(u)))
	case "lognormal":
		if u == 0 {
			u = math.SmallestNonzeroFloat64
		}
		return clamp(dmath.Exp(d.Mu + float64(d.Sigma*dmath.NormalQuantile(u))))
	case "triangular":
		return distuv.NewTriangle(*d.Min, *d.Max, d.Mode, nil).Quantile(u)
	}
	return math.NaN()
}

// Draw returns the value a population member draws from uniform u: the
// u-quantile, with a normal or lognormal draw kept within Range, where
// validation checks a parameter's range. Beyond Range lie two draws in a
// million (a u below RangeTail or above 1 − RangeTail, the far tails
// down to Quantile(0), 38 standard deviations below the mean); each is
// pinned to the nearer end of Range. Other kinds draw their quantile,
// which Range covers.
func (d *Dist) Draw(u float64) float64 {
	x := d.Quantile(u)
	if d.Kind == "normal" || d.Kind == "lognormal" {
		lo, hi := d.Range()
		x = math.Min(math.Max(x, lo), hi)
	}
	return x
}

// Sample draws one value, as a population member does (Draw).
func (d *Dist) Sample(r *rand.Rand) float64 { return d.Draw(r.Float64()) }
