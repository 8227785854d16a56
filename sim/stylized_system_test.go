package sim_test

import (
	"context"
	"math"
	"sort"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestStylizedFacts (MODEL.md §7, ODD pattern P8): under noise, fat tails
// and volatility clustering grow with leverage. The built-in calm world
// (boj2026's population, eight weeks of noise and no news) runs on seeds
// 1–8 with every agent passive and at 1, 1.5 and 2 times its leverage; over
// every asset and seed, the median excess kurtosis of tick returns and the
// median autocorrelation of absolute returns at lag one rise with each
// step. The noise is normal, so with the agents passive both are about 0.
// At twice the leverage the kurtosis is 32.0 and the autocorrelation
// 0.293: every seed ends in a crash of its own. They were 5.3 and 0.078
// while leverage_scale scaled the systematic funds' caps but not their
// positions, and before that 11.2 and 0.29 until ODD N12 was fixed: pricing every calm
// open's impact at the gap read as an hour's volatility carried much of
// the clustering (with conventions.impact_vol: tick, 18.7 and 0.25 at
// the depths of commit 155e6df, before Tokyo's 15:30 close).
func TestStylizedFacts(t *testing.T) {
	sc, err := scenarios.Load("calm", nil)
	if err != nil {
		t.Fatal(err)
	}
	var kurt, acf []float64 // medians per rung
	for _, scale := range []float64{0, 1, 1.5, 2} {
		k, a := calmStats(t, &sc.File.Config, scale, sim.GarchSpec{})
		kurt, acf = append(kurt, k), append(acf, a)
		t.Logf("leverage ×%v (0: passive): median excess kurtosis %.3f, median |r| autocorrelation at lag 1 %.3f", scale, k, a)
	}
	if math.Abs(kurt[0]) > 0.1 || math.Abs(acf[0]) > 0.03 {
		t.Errorf("passive agents under normal noise: kurtosis %.3f, autocorrelation %.3f, want both about 0", kurt[0], acf[0])
	}
	for k := 1; k < len(kurt); k++ {
		if !(kurt[k] > kurt[k-1]) || !(acf[k] > acf[k-1]) {
			t.Errorf("rung %d: kurtosis %.3f after %.3f, autocorrelation %.3f after %.3f: want both to grow with leverage", k, kurt[k], kurt[k-1], acf[k], acf[k-1])
		}
	}
	if kurt[3] < 3 || acf[3] < 0.05 {
		t.Errorf("at twice the leverage: kurtosis %.3f, autocorrelation %.3f, want fat tails (> 3) and clustering (> 0.05)", kurt[3], acf[3])
	}
}

// calmStats runs the calm world on seeds 1–8 at leverage scale (0: every
// agent passive) with noise clustering g, and returns the median, over
// the 64 pairs of asset and seed, of the excess kurtosis of tick returns and of the
// autocorrelation of absolute returns at lag one.
func calmStats(t *testing.T, calm *sim.Config, scale float64, g sim.GarchSpec) (kurt, acf float64) {
	t.Helper()
	median := func(x []float64) float64 {
		sort.Float64s(x)
		n := len(x)
		return (x[(n-1)/2] + x[n/2]) / 2
	}
	var ks, as []float64
	for seed := uint64(1); seed <= 8; seed++ {
		cfg := calm.Clone()
		if scale > 0 {
			cfg.LeverageScale = scale
		}
		cfg.Noise.Garch = g
		m, err := sim.Build(cfg, seed)
		if err != nil {
			t.Fatal(err)
		}
		if scale == 0 {
			m.SetChannels(core.AllOff())
		}
		c := sim.NewCollector()
		if err := m.Run(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		// Counted: the trading ticks that are not an opening. The run
		// starts on Monday 19 January 2026 at 00:00 UTC, Tokyo's open,
		// and lasts 40 weekdays: Tokyo's 9:00–15:30 (its hours since
		// November 2024) touches 7 hourly ticks a day, 6 after the open,
		// plus the first tick of the run; New York's 9:30–16:00 touches
		// 7 ticks, 6 after the open.
		if n := c.S.Assets["NKY"].Returns.N; n != 40*6+1 {
			t.Errorf("scale %v seed %d: %d Nikkei returns counted, want 241", scale, seed, n)
		}
		if n := c.S.Assets["SPX"].Returns.N; n != 40*6 {
			t.Errorf("scale %v seed %d: %d S&P returns counted, want 240", scale, seed, n)
		}
		for _, a := range c.S.Assets {
			ks = append(ks, float64(a.Returns.ExcessKurtosis))
			as = append(as, float64(a.Returns.AbsACF1))
		}
	}
	return median(ks), median(as)
}

// TestGarchCalm: with volatility clustering in the noise (noise.garch,
// α = 0.03 a tick, a variance shock halving in 10 days), the calm world's
// returns cluster and have fat tails with every agent passive, which normal
// i.i.d. noise does not give (TestStylizedFacts: about 0 for both); at the
// world's own leverage the agents add to the tails.
func TestGarchCalm(t *testing.T) {
	sc, err := scenarios.Load("calm", nil)
	if err != nil {
		t.Fatal(err)
	}
	g := sim.GarchSpec{Alpha: 0.03, HalfLifeDays: 10}
	k0, a0 := calmStats(t, &sc.File.Config, 0, sim.GarchSpec{})
	kp, ap := calmStats(t, &sc.File.Config, 0, g)
	k1, a1 := calmStats(t, &sc.File.Config, 1, g)
	t.Logf("passive, normal noise: excess kurtosis %.3f, |r| autocorrelation at lag 1 %.3f", k0, a0)
	t.Logf("passive, clustered noise: %.3f, %.3f", kp, ap)
	t.Logf("agents at ×1, clustered noise: %.3f, %.3f", k1, a1)
	if !(ap-a0 > 0.05) || !(kp-k0 > 0.2) {
		t.Errorf("clustering moved the passive world's autocorrelation by %.3f and kurtosis by %.3f, want more than 0.05 and 0.2", ap-a0, kp-k0)
	}
	if !(k1 > kp) {
		t.Errorf("agents at ×1: kurtosis %.3f, want above the passive world's %.3f", k1, kp)
	}
}
