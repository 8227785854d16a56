package output

import (
	"math"
	"strconv"
	"testing"
)

// TestScoreDecimals: a score table shows two decimals unless they would
// show a value onto, or across, a bound it is not on, or lose a given
// number's digits.
func TestScoreDecimals(t *testing.T) {
	for _, c := range []struct {
		x      float64
		bounds []float64
		want   string
	}{
		{-11.835521891480205, []float64{-16, -8}, "-11.84"},
		{1.071, []float64{1, 1.07}, "1.071"},   // outside the band, not onto its end
		{1.0704, []float64{1, 1.07}, "1.0704"}, // two and three decimals both show 1.07
		{1.07, []float64{1, 1.07}, "1.07"},     // on the bound: two suffice
		{1.0745, []float64{1.0741}, "1.075"},   // 1.07 would sit below 1.0741
		{0.7234, []float64{0.6}, "0.72"},       // far from its bound
		{1.035, nil, "1.035"},                  // a given number keeps its digits
		{-12.4, nil, "-12.40"},
		{1.0000001, nil, "1.000000"},           // at most six
		{1.00000004, []float64{1}, "1.000000"}, // at most six, even if they show it onto its bound
	} {
		if got := strconv.FormatFloat(c.x, 'f', ScoreDecimals(c.x, c.bounds...), 64); got != c.want {
			t.Errorf("%v against %v: %s, want %s", c.x, c.bounds, got, c.want)
		}
	}
}

// TestScoreValueNotFinite: a score table writes a value it has not as
// n/a, and a utilization with no capital left (+Inf) as inf, as
// timeseries.csv does (before: "+Inf").
func TestScoreValueNotFinite(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{{math.NaN(), "n/a"}, {math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {-0.001, "0"}, {20, "20"}} {
		if got := ScoreValue(c.x, 0.5); got != c.want {
			t.Errorf("%v: %q, want %q", c.x, got, c.want)
		}
	}
}
