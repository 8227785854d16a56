package market

import (
	"math"
	"math/rand"
	"testing"

	"github.com/cascade-sim/cascade/core/dmath"
)

// TestPowShortcutExact checks pow, the square-root law's power, bit for bit
// against dmath.Pow: for exponents inside and at the edges of the ranges it
// shortcuts and outside them, at arguments spread over the whole range of
// doubles and at the ends of the shortcut's range, and through Phi against
// the law written with dmath.Pow.
func TestPowShortcutExact(t *testing.T) {
	up, down := func(v float64) float64 { return math.Nextafter(v, math.Inf(1)) }, func(v float64) float64 { return math.Nextafter(v, 0) }
	ys := []float64{
		1e-9, 0.01, 0.25, 1.0 / 3, down(0.5), // yi = 0
		up(0.5), 0.55, 0.6, 2.0 / 3, 0.75, 0.8, 0.9, down(1), // yi = 1, yf = y − 1
		up(1), 1.2, 1.25, down(1.5), 1.5, // yi = 1, yf = y − 1
		0, 0.5, 1, up(1.5), 1.6, 1.8, 2, // not shortcut
	}
	xs := []float64{
		0x1p-500, down(0x1p-500), up(0x1p-500), 0x1p500, down(0x1p500), up(0x1p500),
		1, down(1), up(1), 0.5, 2, 1e-15, 1e-300, 5e-324, math.MaxFloat64, 0,
	}
	rng := rand.New(rand.NewSource(3))
	for k := 0; k < 20000; k++ {
		xs = append(xs, math.Exp2(-560+1120*rng.Float64())*(1+rng.Float64())) // 2^±560
	}
	for k := 0; k < 20000; k++ {
		xs = append(xs, math.Exp2(-1075+2099*rng.Float64())) // every double, subnormals too
	}
	for k := 0; k < 20000; k++ {
		xs = append(xs, math.Exp2(-60+70*rng.Float64())*(1+rng.Float64())) // flows over volumes
	}
	bad := 0
	for _, y := range ys {
		for _, x := range xs {
			got, want := pow(x, y), dmath.Pow(x, y)
			if math.Float64bits(got) != math.Float64bits(want) {
				if bad++; bad <= 10 {
					t.Errorf("pow(%v, %v) = %v, dmath.Pow gives %v", x, y, got, want)
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d powers differ from dmath.Pow", bad, len(xs)*len(ys))
	}
	// Through Phi: the law as written before the shortcut.
	for _, y := range []float64{0.3, 0.6, 0.8, 1.2} {
		l := Liquidity{Impact: SquareRoot, Y: 0.9, DailyVol: 0.013, ADV: 3e10, Exponent: y}
		for k := 0; k < 2000; k++ {
			x := (rng.Float64() - 0.5) * math.Exp2(40*rng.Float64())
			g, vs := 0.2+0.8*rng.Float64(), 1+2*rng.Float64()
			s, a := 1.0, x
			if x < 0 {
				s, a = -1, -x
			}
			want := s * l.Y * l.DailyVol * vs * dmath.Pow(a/(l.ADV*g), y)
			if x == 0 {
				want = 0
			}
			if got := l.Phi(x, g, vs); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("exponent %v: Phi(%v, %v, %v) = %v, with dmath.Pow %v", y, x, g, vs, got, want)
			}
		}
	}
}
