package dmath

import (
	"math"
	"math/rand/v2"
)

// Gamma returns a draw from the gamma distribution with shape alpha ≥ 1
// and rate beta, by G. Marsaglia and W. W. Tsang's method ("A simple
// method for generating gamma variables", ACM TOMS 26(3), 2000), drawing
// from r as gonum's distuv.Gamma does for such shapes, with Normal and
// Log from this package: the same bits everywhere. (A chi-squared draw
// with k degrees of freedom is Gamma(r, k/2, 1/2).) It panics on alpha < 1.
func Gamma(r *rand.Rand, alpha, beta float64) float64 {
	if !(alpha >= 1) {
		panic("dmath: Gamma needs shape ≥ 1")
	}
	d := alpha - 1.0/3
	c := 1 / (3 * math.Sqrt(d))
	for {
		x := Normal(r)
		v := 1 + float64(x*c)
		if v <= 0 {
			continue
		}
		v = float64(v * v * v)
		u := r.Float64()
		x2 := float64(x * x)
		if u < 1-float64(0.0331*x2*x2) {
			return d * v / beta
		}
		if Log(u) < float64(0.5*x*x)+float64(d*(1-v+Log(v))) {
			return d * v / beta
		}
	}
}
