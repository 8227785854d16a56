package dmath

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"
)

// inputs returns n arguments for f: a fixed stream of draws from the ranges
// the function is used over and beyond it, and the special values.
func inputs(f string, n int) []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 2, math.Inf(1), math.Inf(-1), math.NaN(),
		math.SmallestNonzeroFloat64, math.MaxFloat64, -math.MaxFloat64, 1e-300, 709.78, 709.79, -745.13, -745.14, -1e10}
	for range n {
		// Each draw is made from the bits of one Uint64 with rounded
		// products, so that the arguments are the same everywhere.
		u := float64(r.Uint64()>>11) * 0x1p-53 // uniform on [0, 1)
		var x float64
		switch r.IntN(4) {
		case 0: // near zero
			x = float64((u - 0.5) * 2e-3)
		case 1: // the usual range
			x = float64((u - 0.5) * 40)
		case 2: // the whole finite range of e**x
			x = float64(u*(709.78+745)) - 745
		default: // any positive number, by its bits
			x = math.Float64frombits(r.Uint64() >> 1)
		}
		xs = append(xs, x)
	}
	if f == "log" {
		xs = append(xs, 0.7071067811865476, 0.7071067811865475, 0.7071067811865476*8, 1.4142135623730951)
	}
	return xs
}

var funcs = []struct {
	name string
	ours func(float64) float64
	std  func(float64) float64
	hash uint64 // of the results' bits over inputs(name, 200000), on amd64
}{
	{"exp", Exp, math.Exp, 0x4ca3a5477bd60630},
	{"log", Log, math.Log, 0x60a91789802e5996},
	{"expm1", Expm1, math.Expm1, 0xe6cf1466b67e0a7d},
	{"quantile", func(x float64) float64 { return NormalQuantile(math.Abs(x) - math.Floor(math.Abs(x))) }, nil, 0x27b9fdb56d9857f3},
	{"pow", func(x float64) float64 { return Pow(math.Abs(x), 0.37) }, func(x float64) float64 { return math.Pow(math.Abs(x), 0.37) }, 0x6dc7aabfb58f4b43},
}

// TestSameBitsEverywhere: the results over a fixed set of 200,000
// arguments hash to the value they have on amd64, where they equal package
// math's (TestMatchesMath). On any other machine, GOAMD64 level or
// processor, a difference in any bit of any result fails it.
func TestSameBitsEverywhere(t *testing.T) {
	for _, f := range funcs {
		h := fnv.New64a()
		var b [8]byte
		for _, x := range inputs(f.name, 200000) {
			u := math.Float64bits(f.ours(x))
			if y := f.ours(x); y != y {
				u = 0x7ff8000000000001 // one NaN
			}
			for i := range b {
				b[i] = byte(u >> (8 * i))
			}
			h.Write(b[:])
		}
		if got := h.Sum64(); got != f.hash {
			t.Errorf("%s: results hash to %#x, want %#x", f.name, got, f.hash)
		}
	}
}

func TestSpecialCases(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, c := range []struct {
		name    string
		got     float64
		want    float64
		wantNaN bool
	}{
		{"Exp(0)", Exp(0), 1, false},
		{"Exp(1)", Exp(1), math.E, false},
		{"Exp(-Inf)", Exp(-inf), 0, false},
		{"Exp(Inf)", Exp(inf), inf, false},
		{"Exp(710)", Exp(710), inf, false},
		{"Exp(-746)", Exp(-746), 0, false},
		{"Exp(-1e10)", Exp(-1e10), 0, false},
		{"Exp(-745)", Exp(-745), 5e-324, false},
		{"Exp(NaN)", Exp(nan), 0, true},
		{"Log(1)", Log(1), 0, false},
		{"Log(e)", Log(math.E), 1, false},
		{"Log(0)", Log(0), -inf, false},
		{"Log(-1)", Log(-1), 0, true},
		{"Log(Inf)", Log(inf), inf, false},
		{"Log(2**-1074)", Log(5e-324), -744.4400719213812, false},
		{"Expm1(0)", Expm1(0), 0, false},
		{"Expm1(1e-20)", Expm1(1e-20), 1e-20, false},
		{"Expm1(-Inf)", Expm1(-inf), -1, false},
		{"Expm1(-50)", Expm1(-50), -1, false},
		{"Expm1(1000)", Expm1(1000), inf, false},
		{"Pow(2, 10)", Pow(2, 10), 1024, false},
		{"Pow(2, -2)", Pow(2, -2), 0.25, false},
		{"Pow(4, 0.5)", Pow(4, 0.5), 2, false},
		{"Pow(0.5, 1/24)", Pow(0.5, 1.0/24), 0.9715319411536059, false},
		{"Pow(-8, 1/3)", Pow(-8, 1.0/3), 0, true},
		{"Pow(10, 400)", Pow(10, 400), inf, false},
	} {
		if c.wantNaN {
			if !math.IsNaN(c.got) {
				t.Errorf("%s = %v, want NaN", c.name, c.got)
			}
		} else if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// ExamplePow: the decay factor of an estimator with a half-life of ten
// days of hourly ticks, and the functions at a few points.
func ExamplePow() {
	fmt.Printf("%.17g\n", Pow(0.5, 1.0/(10*24)))
	fmt.Println(Exp(1) == math.E, Log(math.E), Expm1(0))
	// Output:
	// 0.99711605333458919
	// true 1 0
}
