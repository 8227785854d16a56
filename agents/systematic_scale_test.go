package agents_test

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/sim"
)

// TestLeverageScaleSystematic: leverage_scale multiplies a CTA's, a
// risk-parity fund's and a vol-control fund's starting gross exposure,
// whether or not its cap binds, because it scales target_vol and
// max_leverage together (Applied reports both). When it scaled the cap
// alone, a fund below its cap started at the same exposure at any scale
// it stayed below it (vc held 0.8 of its equity at 1 and at 2), and a
// scale that brought the cap below the position cut it to the cap (vc at
// 0.5: 0.75, not 0.4).
func TestLeverageScaleSystematic(t *testing.T) {
	for _, c := range []struct {
		name string
		spec sim.AgentSpec
		// gross is the fund's gross exposure per unit of equity at scale 1;
		// tv and lev its target_vol and max_leverage as written or defaulted.
		gross, tv, lev float64
	}{
		// Signals from the trends: mean of clip(z/2) over two lookbacks,
		// SPX 0.6, UST10Y -0.4, GOLD 0.5, each sized 0.10/(σ·√3).
		{"cta", sim.AgentSpec{Kind: "cta", CTA: &agents.CTASpec{ID: "cta", Equity: 1e9, Broker: "PB",
			Assets: []string{"SPX", "UST10Y", "GOLD"}, LookbackDays: []float64{30, 90}}},
			0.10 / math.Sqrt(3) * (0.6/0.15 + 0.4/0.065 + 0.5/0.14), 0.10, 4},
		// Inverse-volatility sleeves, uncorrelated: σ_p = √3/Σ(1/σ), L = 0.10/σ_p.
		{"rp", sim.AgentSpec{Kind: "risk_parity", RiskParity: &agents.RiskParitySpec{ID: "rp", Equity: 1e9, Broker: "PB",
			Assets: []string{"SPX", "UST10Y", "GOLD"}}},
			0.10 * (1/0.15 + 1/0.065 + 1/0.14) / math.Sqrt(3), 0.10, 4},
		{"vc", sim.AgentSpec{Kind: "vol_control", VolControl: &agents.VolControlSpec{ID: "vc", Equity: 1e9, Broker: "PB", Asset: "SPX"}},
			0.12 / 0.15, 0.12, 1.5},
		// Capped: 0.12/0.15 = 0.8 is above max_leverage 0.5.
		{"vc-capped", sim.AgentSpec{Kind: "vol_control", VolControl: &agents.VolControlSpec{ID: "vc-capped", Equity: 1e9, Broker: "PB",
			Asset: "SPX", MaxLeverage: 0.5}},
			0.5, 0.12, 0.5},
	} {
		for _, scale := range []float64{0.5, 1, 2} {
			cfg := config("SPX", "UST10Y", "GOLD")
			cfg.LeverageScale = scale
			cfg.Trends = map[string]float64{"SPX": 1.2, "UST10Y": -0.8, "GOLD": 1}
			cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
			cfg.Agents = []sim.AgentSpec{c.spec}
			m, _ := build(t, cfg)
			h := holder(t, m, c.name)
			gross := 0.0
			for _, e := range exposure(m.W, h, 1) {
				gross += math.Abs(e)
			}
			if want := scale * c.gross * 1e9; !rel(gross, want, 1e-6) {
				t.Errorf("%s at leverage_scale %v: gross exposure %.6g, want %.6g (%v times %.6g)", c.name, scale, gross, want, scale, c.gross*1e9)
			}
			var a agents.Agent
			for _, x := range m.Agents {
				if x.Holder() == h {
					a = x
				}
			}
			ap, ok := a.(agents.Applier)
			if !ok {
				t.Fatalf("%s: %T reports no applied values", c.name, a)
			}
			for _, f := range []struct {
				field string
				want  float64
			}{{"target_vol", scale * c.tv}, {"max_leverage", scale * c.lev}} {
				if got, ok := ap.Applied(f.field); !ok || !rel(got, f.want, 1e-12) {
					t.Errorf("%s at leverage_scale %v: applied %s %v (%v), want %v", c.name, scale, f.field, got, ok, f.want)
				}
			}
		}
	}
}
