package sim

import (
	"math"
	"testing"
)

// TestLognormalMinAboveMax: a distribution whose min is above its max is
// refused for every kind that takes both; a lognormal one was accepted,
// and then every draw was max whatever the draw. So is a lognormal max
// at or below 0, which every (positive) draw would be clamped to.
func TestLognormalMinAboveMax(t *testing.T) {
	d := Dist{Kind: "lognormal", Mu: 0, Sigma: 0.5, Min: f64(5), Max: f64(1)}
	if field, err := d.Validate(); err == nil {
		t.Errorf("lognormal with min 5 > max 1 accepted (draws: %v, %v, %v); field %q", d.Quantile(0.01), d.Quantile(0.5), d.Quantile(0.99), field)
	} else if field != "max" {
		t.Errorf("lognormal with min 5 > max 1: refused at %q, want max (%v)", field, err)
	}
	for _, d := range []Dist{
		{Kind: "lognormal", Mu: 0, Sigma: 0.5, Max: f64(-1)},
		{Kind: "lognormal", Mu: 0, Sigma: 0.5, Min: f64(1), Max: f64(1)},
	} {
		if _, err := d.Validate(); err == nil {
			t.Errorf("lognormal %+v accepted", d)
		}
	}
	for _, d := range []Dist{
		{Kind: "lognormal", Mu: 0, Sigma: 0.5},
		{Kind: "lognormal", Mu: 0, Sigma: 0.5, Min: f64(0.5), Max: f64(3)},
		{Kind: "lognormal", Mu: 0, Sigma: 0.5, Max: f64(3)},
	} {
		if _, err := d.Validate(); err != nil {
			t.Errorf("lognormal %+v refused: %v", d, err)
		}
	}
}

// TestDrawWithinRange: a population member's draw (Draw) is the quantile
// inside Range and, for normal and lognormal kinds, the nearer end of
// Range beyond it: u = 0 would otherwise give the quantile 38 standard
// deviations below the mean, and u = 1 − 2⁻⁵³ 8.2 above. Kinds whose
// quantiles Range already covers draw their quantile at every u.
func TestDrawWithinRange(t *testing.T) {
	top := math.Nextafter(1, 0)
	for _, c := range []struct {
		d     Dist
		u     float64
		want  string // "lo", "hi" or "q" (the quantile)
		value float64
	}{
		{Dist{Kind: "normal", Mean: 0.5, SD: 0.1}, 0, "lo", -3.35},
		{Dist{Kind: "normal", Mean: 0.5, SD: 0.1}, 1e-9, "lo", 0.5 - 0.6},
		{Dist{Kind: "normal", Mean: 0.5, SD: 0.1}, RangeTail, "lo", 0.5 - 0.475},
		{Dist{Kind: "normal", Mean: 0.5, SD: 0.1}, 0.3, "q", 0.4476},
		{Dist{Kind: "normal", Mean: 0.5, SD: 0.1}, 1 - 1e-7, "hi", 0.5 + 0.52},
		{Dist{Kind: "normal", Mean: 0.5, SD: 0.1}, top, "hi", 0.5 + 0.82},
		{Dist{Kind: "normal", Mean: 0.5, SD: 0.1, Min: f64(0.2)}, 1e-9, "lo", 0.2},
		{Dist{Kind: "lognormal", Mu: 0, Sigma: 0.5}, 0, "lo", 0},
		{Dist{Kind: "lognormal", Mu: 0, Sigma: 0.5}, top, "hi", 60.6},
		{Dist{Kind: "lognormal", Mu: 0, Sigma: 0.5, Max: f64(3)}, top, "hi", 3},
		{Dist{Kind: "uniform", Min: f64(1), Max: f64(2)}, 0, "q", 1},
		{Dist{Kind: "triangular", Min: f64(1), Mode: 1.5, Max: f64(2)}, top, "q", 2},
		{Dist{Kind: "list", Values: []float64{3, 1, 2}}, 0, "q", 3},
	} {
		lo, hi := c.d.Range()
		q := c.d.Quantile(c.u)
		want := map[string]float64{"lo": lo, "hi": hi, "q": q}[c.want]
		if got := c.d.Draw(c.u); got != want {
			t.Errorf("%s at u = %v: Draw %v, want %s = %v (quantile %v, range [%v, %v])", c.d.Kind, c.u, got, c.want, want, q, lo, hi)
		}
		// Each case tests what it says: the quantile lies where named.
		if tol := 0.01 * math.Max(1, math.Abs(c.value)); math.Abs(q-c.value) > tol {
			t.Errorf("%s at u = %v: quantile %v, the case assumes about %v", c.d.Kind, c.u, q, c.value)
		}
		if where := map[string]bool{"lo": q <= lo, "hi": q >= hi, "q": q >= lo && q <= hi}[c.want]; !where {
			t.Errorf("%s at u = %v: quantile %v is not at %s of [%v, %v]", c.d.Kind, c.u, q, c.want, lo, hi)
		}
	}
}

// TestDrawsOverflow: a distribution whose draws overflow is refused at the
// parameter to change, saying how far it may go; before, lognormal mu 800
// passed Validate and every draw was +Inf ("draws up to +Inf" in the
// scenario's message, "got the text \"+Inf\"" in a sweep's). A max that
// clamps the draws, or parameters just within the limit, pass; the largest
// draw (u just below 1) is then finite.
func TestDrawsOverflow(t *testing.T) {
	for _, c := range []struct {
		d           Dist
		field, want string // want: the message, "" for valid
	}{
		{Dist{Kind: "lognormal", Mu: 800, Sigma: 1}, "mu",
			"lognormal mu 800 is too large: mu is the logarithm of the median draw (e^800), and the largest draws, e^(mu + 8.21·sigma), overflow (beyond 1.8e+308, the largest number); with sigma 1, mu must be at most 701.6 (e.g. 25.33 for a median of 1e11), or give the distribution a max"},
		{Dist{Kind: "lognormal", Mu: 1, Sigma: 100}, "sigma",
			"lognormal sigma 100 is too wide: its largest draws, e^(mu + 8.21·sigma), overflow (beyond 1.8e+308, the largest number); with mu 1, sigma must be at most 86.34, or give the distribution a max"},
		{Dist{Kind: "lognormal", Mu: 701, Sigma: 1, Min: f64(1)}, "", ""},
		{Dist{Kind: "lognormal", Mu: 800, Sigma: 1, Max: f64(100)}, "mu",
			"lognormal mu 800 (sigma 1) clamps every draw to max 100: even the lowest draw in a million, e^(mu − 4.75·sigma) = e^795.2, is above it; lower mu, or use kind: fixed with value 100"},
		{Dist{Kind: "lognormal", Mu: 4, Sigma: 0.1, Max: f64(100)}, "", ""}, // most draws (median e^4 ≈ 54.6) below max
		{Dist{Kind: "lognormal", Mu: 5.2, Sigma: 0.1, Max: f64(100)}, "mu",
			"lognormal mu 5.2 (sigma 0.1) clamps every draw to max 100: even the lowest draw in a million, e^(mu − 4.75·sigma) = e^4.725, is above it; lower mu, or use kind: fixed with value 100"},
		{Dist{Kind: "lognormal", Mu: -5, Sigma: 0.5, Min: f64(1)}, "mu",
			"lognormal mu -5 (sigma 0.5) clamps every draw to min 1: even the highest draw in a million, e^(mu + 4.75·sigma) = e^-2.623, is below it; raise mu, or use kind: fixed with value 1"},
		{Dist{Kind: "normal", Mean: 50, SD: 1, Max: f64(10)}, "mean",
			"normal mean 50 (sd 1) clamps every draw to max 10: even the lowest draw in a million, mean − 4.75·sd = 45.25, is above it; lower mean, or use kind: fixed with value 10"},
		{Dist{Kind: "normal", Mean: 0, SD: 1, Min: f64(4)}, "", ""}, // clamped up to the one-in-a-million tail: the top still varies
		{Dist{Kind: "normal", Mean: 1, SD: 1e308}, "kind", "normal draws overflow (one is -Inf): its parameters are too large to draw from"},
		{Dist{Kind: "uniform", Min: f64(-1e308), Max: f64(1e308)}, "kind", "uniform draws overflow (one is NaN): its parameters are too large to draw from"},
		{Dist{Kind: "triangular", Min: f64(0), Mode: 1e200, Max: f64(1e200)}, "kind", "triangular draws overflow (one is +Inf): its parameters are too large to draw from"},
		{Dist{Kind: "normal", Mean: 1e15, SD: 1e15}, "", ""},
	} {
		field, err := c.d.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: refused at %s: %v", c.d, field, err)
		case c.want == "":
			if x := c.d.Quantile(math.Nextafter(1, 0)); math.IsInf(x, 0) || math.IsNaN(x) {
				t.Errorf("%+v: valid, but its largest draw is %v", c.d, x)
			}
		case err == nil:
			t.Errorf("%+v: valid; want %s: %s", c.d, c.field, c.want)
		case field != c.field || err.Error() != c.want:
			t.Errorf("%+v:\ngot  %s: %v\nwant %s: %s", c.d, field, err, c.field, c.want)
		}
	}
}
