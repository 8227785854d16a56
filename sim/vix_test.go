package sim

import (
	"context"
	"math"
	"testing"
	"time"
)

// vixSeries runs a calm world (every agent passive, so SPX moves by noise
// alone) for 60 days after a 10-day warm-up and returns the VIX proxy of
// every frame.
func vixSeries(t *testing.T, scale float64, news *float64) []float64 {
	t.Helper()
	cfg := testWorld(2)
	cfg.Ticks = 60 * 24
	cfg.Warmup = 10 * 24 * time.Hour
	cfg.Channels.Off = []string{"all"}
	cfg.Noise.Scale = scale
	cfg.Report.VIXNews = news
	var vix []float64
	run(t, cfg, func(_ *Model, f *Frame) { vix = append(vix, f.VIX) })
	return vix
}

// TestVIXNews: the VIX proxy prices the variance of news that a run at
// noise.scale < 1 leaves to its events. With SPX at 15% calm volatility and
// the default premium of 1.2, a calm run at scale 0.5 has a mean squared
// proxy of (100·1.2·0.15)² = 324 (realized 0.25 of the calm variance, news
// 0.75); with vix_news: 0 it is the realized part alone, 81. Both are
// checked within 12% (about three standard errors of a mean of 1,440
// squared hourly returns). At scale 1 the default adds nothing: the series
// is the one vix_news: 0 gives, bit for bit.
func TestVIXNews(t *testing.T) {
	meanSq := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x * x
		}
		return s / float64(len(v))
	}
	calm := 100 * 1.2 * 0.15
	for _, c := range []struct {
		name  string
		scale float64
		news  *float64
		want  float64 // mean squared proxy
	}{
		{"scale 0.5, default news", 0.5, nil, calm * calm},
		{"scale 0.5, no news", 0.5, f64(0), 0.25 * calm * calm},
		{"scale 0.5, news 0.25", 0.5, f64(0.25), 0.5 * calm * calm},
		{"scale 1", 1, nil, calm * calm},
	} {
		got := meanSq(vixSeries(t, c.scale, c.news))
		t.Logf("%s: mean squared VIX proxy %.1f (√ %.2f), want %.1f (√ %.2f)", c.name, got, math.Sqrt(got), c.want, math.Sqrt(c.want))
		if math.Abs(got/c.want-1) > 0.12 {
			t.Errorf("%s: mean squared VIX proxy %.1f, want %.1f ± 12%%", c.name, got, c.want)
		}
	}
	def, zero := vixSeries(t, 1, nil), vixSeries(t, 1, f64(0))
	for k := range def {
		if math.Float64bits(def[k]) != math.Float64bits(zero[k]) {
			t.Fatalf("scale 1: frame %d has VIX %v by default, %v with vix_news 0", k, def[k], zero[k])
		}
	}
}

// noEquityWorld is testWorld without its equities (SPX, NKY) and the agents
// that trade them: a world with no VIX asset, whose proxy is NaN throughout.
func noEquityWorld() *Config {
	cfg := testWorld(2)
	var keep []int
	var assets []AssetSpec
	for i, a := range cfg.Assets {
		if a.Kind != "equity" {
			keep = append(keep, i)
			assets = append(assets, a)
		}
	}
	corr := make([][]float64, len(keep))
	for r, i := range keep {
		for _, j := range keep {
			corr[r] = append(corr[r], cfg.Correlation[i][j])
		}
	}
	cfg.Assets, cfg.Correlation = assets, corr
	var ags []AgentSpec
	for _, a := range cfg.Agents {
		if a.Insurer != nil || (a.CentralBank != nil && a.CentralBank.Rule != "accommodation") {
			ags = append(ags, a)
		}
	}
	cfg.Agents = ags
	cfg.Trends = map[string]float64{"USDJPY": 1}
	cfg.Report = ReportSpec{CorrelationAssets: []string{"USDJPY", "UST10Y", "GOLD"}, Headline: "USDJPY", CorrelationWindow: 48}
	return cfg
}

// TestVIXPeakTick: the summary's vix.peak is the largest proxy of the run
// and vix.peak_tick the first tick at it; a world with no VIX asset has a
// NaN proxy every tick and so no peak: peak and start are NaN (null in
// summary.json) and peak_tick is -1, the convention correlation.peak_tick
// follows, not the last tick.
func TestVIXPeakTick(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  *Config
		none bool // no VIX asset
	}{
		{"testworld (SPX)", testWorld(2), false},
		{"no equity", noEquityWorld(), true},
	} {
		c.cfg.Ticks = 72
		peak, at := math.NaN(), -1
		obs := &probe{fn: func(_ *Model, f *Frame) {
			if f.VIX > peak || (peak != peak && f.VIX == f.VIX) {
				peak, at = f.VIX, f.Tick
			}
		}}
		s, err := RunSummary(context.Background(), c.cfg, 1, false, obs)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		v := s.VIX
		if c.none {
			if !math.IsNaN(float64(v.Peak)) || !math.IsNaN(float64(v.Start)) || v.PeakTick != -1 {
				t.Errorf("%s: vix start %v, peak %v at tick %d; want NaN, NaN at tick -1", c.name, v.Start, v.Peak, v.PeakTick)
			}
			continue
		}
		if at < 0 || float64(v.Peak) != peak || v.PeakTick != at {
			t.Errorf("%s: vix peak %v at tick %d; the frames' largest is %v at tick %d", c.name, v.Peak, v.PeakTick, peak, at)
		}
	}
}
