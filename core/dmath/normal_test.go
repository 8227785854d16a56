package dmath

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"
)

// TestNormalDraws: Normal draws the same numbers as math/rand/v2's
// NormFloat64 where that uses amd64's math (checked on amd64 only), uses
// the same amount of the stream, and its moments are those of N(0, 1).
func TestNormalDraws(t *testing.T) {
	const n = 2_000_000
	a, b := rand.New(rand.NewPCG(3, 4)), rand.New(rand.NewPCG(3, 4))
	var sum, sq, tail float64
	diff := 0
	for range n {
		x := Normal(a)
		if y := b.NormFloat64(); x != y {
			diff++
		}
		sum += x
		sq += x * x
		if math.Abs(x) > 3.442619855899 {
			tail++
		}
	}
	if a.Uint64() != b.Uint64() && diff == 0 {
		t.Errorf("the two samplers used different amounts of the stream")
	}
	if baseline && diff > 0 {
		t.Errorf("%d of %d draws differ from NormFloat64", diff, n)
	}
	mean, vr := sum/n, sq/n-(sum/n)*(sum/n)
	// 2·(1 − Φ(3.4426)) = 5.76e-4.
	if math.Abs(mean) > 5/math.Sqrt(n) || math.Abs(vr-1) > 0.005 || math.Abs(tail/n-5.76e-4) > 1e-4 {
		t.Errorf("mean %.5f, variance %.5f, tail share %.3g: want 0, 1, 5.76e-4", mean, vr, tail/n)
	}
}

// TestDrawsSameEverywhere: 200,000 normal draws and 20,000 chi-squared
// draws from a fixed stream hash to the values they have on amd64, where
// they equal math/rand/v2's and gonum's (TestNormalDraws, TestMatchesGonum).
func TestDrawsSameEverywhere(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	h := fnv.New64a()
	var b [8]byte
	put := func(x float64) {
		u := math.Float64bits(x)
		for i := range b {
			b[i] = byte(u >> (8 * i))
		}
		h.Write(b[:])
	}
	for range 200000 {
		put(Normal(r))
	}
	if got, want := h.Sum64(), uint64(0xb0400bdc71fb294); got != want {
		t.Errorf("normal draws hash to %#x, want %#x", got, want)
	}
	h.Reset()
	for range 20000 {
		put(Gamma(r, 2.5, 0.5))
	}
	if got, want := h.Sum64(), uint64(0xa4f4c7492df808a2); got != want {
		t.Errorf("chi-squared draws hash to %#x, want %#x", got, want)
	}
}
