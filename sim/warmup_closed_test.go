package sim

import (
	"testing"
	"time"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
)

// TestWarmupClosedNews: a warm-up that ends while a market is shut (the
// S&P at 00:00 UTC on a Monday, shut since Friday's 20:00 close) leaves
// its volatility estimate at its calm value on average, as it does for a
// market that never shuts: the estimators read the news of the hours shut
// before the start as that market's return in the warm-up's last tick.
// When that news was dropped, the S&P's estimate (5-day half-life) was
// 0.76 of its calm variance on average, a weekend's 52 flat hours short
// (now 1.08; the always-open Bitcoin, the control, 1.00 either way), and
// in aug2024 the vol-control funds started on it at 1.14 times their
// equity rather than 0.86. The mean runs over 200 seeds.
func TestWarmupClosedNews(t *testing.T) {
	const seeds = 200
	sum := map[string]float64{}
	for k := 0; k < seeds; k++ {
		cfg := smallWorld("SPX", "BTC")
		cfg.Assets[0].Session = "new_york"
		cfg.Noise = NoiseSpec{}
		cfg.Warmup = 10 * 24 * time.Hour
		// A vol-control fund keeps the 5-day estimator the test reads.
		cfg.Brokers = []agents.PrimeBrokerSpec{testBroker("PB", 1e11, false)}
		cfg.Agents = []AgentSpec{{Kind: "vol_control", VolControl: &agents.VolControlSpec{ID: "vc", Equity: 1e9, Broker: "PB", Asset: "SPX"}}}
		m, err := Build(cfg, core.RunSeed(1, k))
		if err != nil {
			t.Fatal(err)
		}
		w := m.W
		e := w.Est.EWMA(5 * w.PerDay)
		for i, a := range w.Assets {
			sum[a.ID] += e.Var(i) / (w.Est.Calm(i) * w.Est.Calm(i)) / seeds
		}
	}
	// The last tick's weight, 1 − 0.5^(1/120), on 52 hours of news is a
	// little more than the weights of the 52 hours it stands for (0.30
	// against 0.26), and so is each open's in the warm-up.
	for _, c := range []struct {
		id       string
		min, max float64
	}{{"SPX", 0.95, 1.15}, {"BTC", 0.92, 1.08}} {
		if r := sum[c.id]; r < c.min || r > c.max {
			t.Errorf("%s: the warm-up leaves a volatility estimate of %.3f of its calm variance on average over %d seeds, want %.2f to %.2f", c.id, r, seeds, c.min, c.max)
		}
	}
}
