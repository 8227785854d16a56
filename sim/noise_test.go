package sim

import (
	"math"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestFactor: the correlation's factor for a positive definite matrix, one
// only positive semi-definite (two assets perfectly correlated: the
// diagonal is raised by 1e-10 rounded up to a multiple of 2⁻⁴⁰, that is by
// 110·2⁻⁴⁰) and one that is not a correlation matrix.
func TestFactor(t *testing.T) {
	for _, c := range []struct {
		name    string
		c       []float64
		k       int
		shift   float64 // added to the diagonal
		wantErr string
	}{
		{"positive definite", []float64{1, 0.6, -0.3, 0.6, 1, 0.2, -0.3, 0.2, 1}, 3, 0, ""},
		{"perfectly correlated", []float64{1, 1, 0, 1, 1, 0, 0, 0, 1}, 3, 110 * 0x1p-40, ""},
		{"not positive semi-definite", []float64{1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1}, 3, 0, "not positive semi-definite"},
	} {
		l, err := factor(c.c, c.k)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: error %v, want one saying %q", c.name, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for i := 0; i < c.k; i++ {
			for j := 0; j < c.k; j++ {
				s := 0.0
				for m := 0; m < c.k; m++ {
					s += l[i*c.k+m] * l[j*c.k+m]
				}
				want := c.c[i*c.k+j]
				if i == j {
					want += c.shift
				}
				if math.Abs(s-want) > 1e-15 {
					t.Errorf("%s: (L·Lᵀ)[%d][%d] = %.17g, want %.17g", c.name, i, j, s, want)
				}
			}
		}
	}
}

// TestGarchMoments: with volatility clustering the noise is a constant
// conditional correlation GARCH(1,1) whose variance has mean 1, so each
// asset keeps its calm volatility, and whose moments have closed forms
// (Bollerslev 1986, normal shocks, ρ = α + β per tick): kurtosis
// 3(1 − ρ²)/(1 − ρ² − 2α²) and autocorrelation of squared returns at lag
// one α(1 − β² − αβ)/(1 − β² − 2αβ), falling by ρ a lag. Hourly ticks,
// α = 0.1 and a half-life of half a day give ρ = 0.5^(1/12) = 0.94387:
// excess kurtosis 0.673 and lag-one autocorrelation 0.171, lag five
// 0.171·ρ⁴ = 0.136. Without clustering all three are 0. Each is the mean
// over four streams of a million ticks (one stream's kurtosis has a
// standard deviation of about 0.05, its autocorrelations about 0.005). A
// future still moves as its underlying times beta.
func TestGarchMoments(t *testing.T) {
	w := &core.World{PerDay: 24, PerYear: 365 * 24}
	w.Assets = []core.Asset{
		{Kind: core.Bond, Vol: 0.08, Underlying: -1},
		{Kind: core.Equity, Vol: 0.2, Underlying: -1},
		{Kind: core.Future, Vol: 0.08, Underlying: 0, Beta: 1.5},
	}
	corr := [][]float64{{1, 0.5, 0}, {0.5, 1, 0}, {0, 0, 1}}
	const T, streams = 1_000_000, 4
	for _, c := range []struct {
		name             string
		garch            GarchSpec
		kurt, acf1, acf5 float64
	}{
		{"normal", GarchSpec{}, 0, 0, 0},
		{"garch", GarchSpec{Alpha: 0.1, HalfLifeDays: 0.5}, 0.6734, 0.1709, 0.1356},
	} {
		cfg := &Config{Noise: NoiseSpec{Garch: c.garch}}
		x := make([]float64, 3)
		sq := make([][]float64, 2)
		for a := range sq {
			sq[a] = make([]float64, T)
		}
		var vol, kurt, a1, a5 [2]float64
		for stream := range streams {
			nz, err := newNoise(w, cfg, corr, core.Stream(uint64(stream), "noise"))
			if err != nil {
				t.Fatal(err)
			}
			for tick := range T {
				nz.draw(x)
				if x[2] != 1.5*x[0] {
					t.Fatalf("%s: future's return %v, want 1.5 × %v", c.name, x[2], x[0])
				}
				for a := range sq {
					sq[a][tick] = x[a] * x[a]
				}
			}
			for a, s := range sq {
				m2, m4 := 0.0, 0.0
				for _, v := range s {
					m2 += v
					m4 += v * v
				}
				m2, m4 = m2/T, m4/T
				acf := func(lag int) float64 {
					num, den := 0.0, 0.0
					for i, v := range s {
						d := v - m2
						den += d * d
						if i >= lag {
							num += d * (s[i-lag] - m2)
						}
					}
					return num / den
				}
				vol[a] += math.Sqrt(m2*w.PerYear) / streams
				kurt[a] += (m4/(m2*m2) - 3) / streams
				a1[a] += acf(1) / streams
				a5[a] += acf(5) / streams
			}
		}
		for a, calm := range []float64{0.08, 0.2} {
			t.Logf("%s asset %d: volatility %.4f (calm %.2f), excess kurtosis %.3f (theory %.3f), r² autocorrelation lag 1 %.3f (%.3f), lag 5 %.3f (%.3f)",
				c.name, a, vol[a], calm, kurt[a], c.kurt, a1[a], c.acf1, a5[a], c.acf5)
			if math.Abs(vol[a]/calm-1) > 0.005 {
				t.Errorf("%s asset %d: realized volatility %.4f, want the calm %.2f (±0.5%%)", c.name, a, vol[a], calm)
			}
			if math.Abs(kurt[a]-c.kurt) > 0.08 || math.Abs(a1[a]-c.acf1) > 0.01 || math.Abs(a5[a]-c.acf5) > 0.01 {
				t.Errorf("%s asset %d: kurtosis %.3f, autocorrelations %.3f and %.3f; want %.3f, %.3f and %.3f", c.name, a, kurt[a], a1[a], a5[a], c.kurt, c.acf1, c.acf5)
			}
		}
	}
}

// TestGarchParams: the per-tick parameters from alpha and the half-life
// (hourly ticks: half a day is 12 ticks, ρ = 0.5^(1/12) = 0.943874), and
// the settings the model refuses when built directly, without the
// loader's validation: any nonzero setting is checked, so a negative
// alpha is an error, not clustering silently off.
func TestGarchParams(t *testing.T) {
	w := &core.World{PerDay: 24, PerYear: 365 * 24, Assets: []core.Asset{{Kind: core.Equity, Vol: 0.2, Underlying: -1}}}
	nz, err := newNoise(w, &Config{Noise: NoiseSpec{Garch: GarchSpec{Alpha: 0.1, HalfLifeDays: 0.5}}}, nil, core.Stream(1, "noise"))
	if err != nil {
		t.Fatal(err)
	}
	if rho := nz.gAlpha + nz.gBeta; math.Abs(rho-0.943874) > 1e-6 || nz.gAlpha != 0.1 || math.Abs(nz.gOmega+rho-1) > 1e-15 {
		t.Errorf("ω %v, α %v, β %v: want α 0.1, α+β 0.943874, ω 1−α−β", nz.gOmega, nz.gAlpha, nz.gBeta)
	}
	for _, c := range []struct {
		g    GarchSpec
		want string
	}{
		{GarchSpec{Alpha: -0.1}, "noise.garch.alpha: must be in [0, 1) (got -0.1)"},
		{GarchSpec{Alpha: 1, HalfLifeDays: 10}, "noise.garch.alpha: must be in [0, 1) (got 1)"},
		{GarchSpec{Alpha: 0.1}, "noise.garch.half_life_days: must be a finite value > 0 (got 0)"},
		{GarchSpec{Alpha: 0.9, HalfLifeDays: 0.1}, "noise.garch.alpha: 0.9 exceeds the persistence 0.7492 per tick that half_life_days 0.1 gives"},
	} {
		_, err := newNoise(w, &Config{Noise: NoiseSpec{Garch: c.g}}, nil, core.Stream(1, "noise"))
		if err == nil || err.Error() != c.want {
			t.Errorf("%+v: error %v, want %q", c.g, err, c.want)
		}
	}
}
