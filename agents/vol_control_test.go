package agents_test

import (
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/sim"
)

// TestVolControl: exposure = equity × target vol / estimated vol, at most
// MaxLeverage × equity; when volatility doubles the fund halves its
// exposure at once (speed 1).
func TestVolControl(t *testing.T) {
	for _, c := range []struct {
		target, expo float64
	}{
		{0.12, 0.8e9},  // 0.12 / 0.15
		{0.06, 0.4e9},  // 0.06 / 0.15
		{0.30, 1.5e9},  // 2, capped at 1.5
		{0.225, 1.5e9}, // exactly the cap
	} {
		cfg := config("SPX")
		cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
		cfg.Agents = []sim.AgentSpec{{Kind: "vol_control", VolControl: &agents.VolControlSpec{ID: "vc", Equity: 1e9, Broker: "PB", Asset: "SPX", TargetVol: c.target}}}
		m, _ := build(t, cfg)
		vc := agentOf[*agents.VolControl](t, m, "vc")
		if e := exposure(m.W, vc.Holder(), 1)[0]; !rel(e, c.expo, 1e-9) {
			t.Errorf("target %v: exposure %v, want %v", c.target, e, c.expo)
		}
		if c.target != 0.12 {
			continue
		}
		m.W.Est.EWMA(5*24).Reset([]float64{2 * m.W.Est.Calm(0)}, nil)
		m.W.Tick = 1000
		o := decide(m, vc)
		if u := unitsOf(o, 0) * 5400; !rel(u, -0.4e9, 1e-9) {
			t.Errorf("at twice calm volatility traded $%v, want −4e8", u)
		}
	}
}
