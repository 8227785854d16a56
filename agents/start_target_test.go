package agents_test

import (
	"math"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/sim"
)

// TestBooksStartAtTarget: CTAs, risk-parity and vol-control funds start at
// their own targets under the estimates the warm-up leaves, so that their
// first rebalance, with nothing moved since the start, trades nothing.
// When their starting positions were sized on the estimators' calm seeds,
// before the warm-up moved them, that first rebalance traded the gap: in
// this world (seed 1, ten days of warm-up) the vol-control fund held 0.8
// of its equity where its warmed estimate of 15.9% wants 0.755 and sold
// 5.6% of its position; the CTA and the risk-parity fund traded 0.05% to
// 0.6% of theirs in each asset. In aug2024 the vol-control funds bought
// $29bn of the S&P before the BOJ's hike (TestAug2024QuietBeforeHike).
func TestBooksStartAtTarget(t *testing.T) {
	for _, c := range []struct {
		name string
		spec sim.AgentSpec
		// halfLife is the days of the book's volatility estimate.
		halfLife float64
	}{
		{"cta", sim.AgentSpec{Kind: "cta", CTA: &agents.CTASpec{ID: "cta", Equity: 1e9, Broker: "PB",
			Assets: []string{"SPX", "UST10Y", "GOLD"}, LookbackDays: []float64{30, 90}}},
			20},
		{"rp", sim.AgentSpec{Kind: "risk_parity", RiskParity: &agents.RiskParitySpec{ID: "rp", Equity: 1e9, Broker: "PB",
			Assets: []string{"SPX", "UST10Y", "GOLD"}}},
			10},
		{"vc", sim.AgentSpec{Kind: "vol_control", VolControl: &agents.VolControlSpec{ID: "vc", Equity: 1e9, Broker: "PB", Asset: "SPX"}},
			5},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := config("SPX", "UST10Y", "GOLD")
			cfg.Seed = 1
			cfg.Noise = sim.NoiseSpec{}
			cfg.Warmup = 10 * 24 * time.Hour
			cfg.Trends = map[string]float64{"SPX": 1.2, "UST10Y": -0.8, "GOLD": 1}
			cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
			cfg.Agents = []sim.AgentSpec{c.spec}
			m, _ := build(t, cfg)
			w := m.W
			h := holder(t, m, c.name)
			// The warm-up moved the book's estimates off their calm seeds: a
			// book sized on the seeds would be off its target.
			moved := 0.0
			for _, a := range []struct {
				id   string
				calm float64
			}{{"SPX", 0.15}, {"UST10Y", 0.065}, {"GOLD", 0.14}} {
				v := w.Est.EWMA(c.halfLife*w.PerDay).Vol(asset(t, m, a.id)) * math.Sqrt(w.PerYear)
				moved = math.Max(moved, math.Abs(v/a.calm-1))
			}
			if moved < 0.005 {
				t.Fatalf("the warm-up moved no volatility estimate by 0.5%% of its calm value (at most %.2g): the test cannot tell the two apart", moved)
			}
			gross := 0.0
			for _, e := range exposure(w, h, 1) {
				gross += math.Abs(e)
			}
			if c.name == "vc" {
				vol := w.Est.EWMA(5*w.PerDay).Vol(asset(t, m, "SPX")) * math.Sqrt(w.PerYear)
				if want := 1e9 * math.Min(1.5, 0.12/vol); !rel(gross, want, 1e-9) {
					t.Errorf("vc starts at %.6g, want %.6g: 0.12 over its warmed estimate %.4f", gross, want, vol)
				}
			}
			var a agents.Agent
			for _, x := range m.Agents {
				if x.Holder() == h {
					a = x
				}
			}
			w.Tick = 1000 // a rebalance is due; nothing has moved since the start
			for _, o := range decide(m, a) {
				t.Errorf("%s trades %.6g units of %s at its first rebalance (%.3g%% of its gross exposure)",
					c.name, o.Units, w.Assets[o.Asset].ID, 100*math.Abs(w.NotionalUSD(o.Asset, o.Units))/gross)
			}
		})
	}
}
