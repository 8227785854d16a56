//go:build amd64 && !amd64.v3

package dmath

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// baseline: package math and math/rand/v2 are built as the simulator's
// reference results were made (amd64 at its baseline level).
const baseline = true

// TestMatchesMath: on amd64 (built for the baseline level, where package
// math's Go code is not fused) every function gives package math's bits,
// so the simulator's results there are those it had with package math.
// math.Exp takes its fused path on processors with FMA; on one without,
// it takes the other path, which expNoFMA copies, and the comparison of
// Exp is skipped.
func TestMatchesMath(t *testing.T) {
	fma := true
	for _, x := range inputs("exp", 2000) {
		if math.Exp(x) != Exp(x) && math.Exp(x) == expNoFMA(x) {
			fma = false
			break
		}
	}
	for _, f := range funcs {
		if f.std == nil {
			continue // compared in TestMatchesGonum
		}
		if f.name == "exp" && !fma {
			t.Log("exp: this processor has no FMA; math.Exp takes the other path")
			continue
		}
		bad := 0
		for _, x := range inputs(f.name, 200000) {
			if x != 0 && math.Abs(x) < 0x1p-1022 && (f.name == "log" || f.name == "pow") {
				continue // amd64's math.Log does not normalize subnormals: its result is wrong
			}
			a, b := f.ours(x), f.std(x)
			if math.Float64bits(a) != math.Float64bits(b) && !(a != a && b != b) {
				if bad++; bad <= 5 {
					t.Errorf("%s(%v) = %v, package math gives %v", f.name, x, a, b)
				}
			}
		}
		if bad > 5 {
			t.Errorf("%s: %d arguments differ in all", f.name, bad)
		}
	}
}

// expNoFMA is amd64's math.Exp on a processor without FMA: the same
// method with every product rounded, and a last addition of 1.
func expNoFMA(x float64) float64 {
	const (
		log2e = 1.4426950408889634073599246810018920
		ln2Hi = 0.69314718055966295651160180568695068359375
		ln2Lo = 0.28235290563031577122588448175013436025525412068e-12
	)
	if math.IsNaN(x) || math.IsInf(x, 0) || x > 7.09782712893384e+02 || x < -745 {
		return Exp(x)
	}
	k := math.RoundToEven(log2e * x)
	r := x - float64(k*ln2Hi)
	r = r - float64(k*ln2Lo)
	r *= 0.0625
	p := 2.4801587301587301587e-5
	for _, c := range []float64{1.9841269841269841270e-4, 1.3888888888888888889e-3, 8.3333333333333333333e-3,
		4.1666666666666666667e-2, 1.6666666666666666667e-1, 0.5, 1} {
		p = float64(p*r) + c
	}
	r *= p
	for range 4 {
		r *= r + 2
	}
	return math.Ldexp(r+1, int(k))
}

// TestMatchesGonum: NormalQuantile and Gamma give gonum's bits on amd64,
// where the sweeps' draws and Student-t noise were made with gonum.
func TestMatchesGonum(t *testing.T) {
	bad := 0
	for _, x := range inputs("quantile", 200000) {
		p := math.Abs(x) - math.Floor(math.Abs(x)) // in [0, 1)
		if math.IsNaN(p) || math.IsInf(x, 0) || p != 0 && p < 0x1p-1022 {
			continue // subnormal p: amd64's math.Log is wrong there (see Log)
		}
		if a, b := NormalQuantile(p), mathext.NormalQuantile(p); a != b {
			if bad++; bad <= 5 {
				t.Errorf("NormalQuantile(%v) = %v, gonum gives %v", p, a, b)
			}
		}
	}
	for _, k := range []float64{2.5, 3, 4, 5, 8, 30} {
		a, b := rand.New(rand.NewPCG(5, 6)), rand.New(rand.NewPCG(5, 6))
		chi := distuv.ChiSquared{K: k, Src: b}
		for i := range 20000 {
			if x, y := Gamma(a, k/2, 0.5), chi.Rand(); x != y {
				t.Fatalf("chi-squared(%v) draw %d: %v, gonum gives %v", k, i, x, y)
			}
		}
	}
}
