package sim

import "testing"

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
