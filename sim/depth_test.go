package sim

import (
	"context"
	"testing"

	"github.com/cascade-sim/cascade/agents"
)

// TestDepthScale: depth_scale k gives, bit for bit, the run of the same
// scenario with each impact law's depth written k times deeper (lambda/k,
// volume·k, delta·k), and a deeper market falls less. One leverage-targeting
// bank holds three assets, one per impact law, and a 1% shock sets it
// selling.
func TestDepthScale(t *testing.T) {
	cfg := func(k, written float64) *Config {
		imp := func(fn string) Impact {
			switch fn {
			case "linear":
				return Impact{Function: fn, Lambda: 2e-12 / written, Permanent: 1}
			case "sqrt":
				return Impact{Function: fn, Y: 1, Volume: 1e11 * written, Permanent: 0.5}
			}
			return Impact{Function: fn, Delta: 5e11 * written, Floor: 0.2, Permanent: 1}
		}
		return &Config{Name: "depth", Ticks: 3, Noise: NoiseSpec{Off: true}, DepthScale: k,
			Conventions: ConventionSpec{Flow: "value", MaxRounds: 20},
			Assets: []AssetSpec{
				{ID: "A", Kind: "equity", Currency: "USD", Price: 1, Vol: 0.2, ADV: 1e11, Impact: imp("linear")},
				{ID: "B", Kind: "equity", Currency: "USD", Price: 1, Vol: 0.2, ADV: 1e11, Impact: imp("sqrt")},
				{ID: "C", Kind: "equity", Currency: "USD", Price: 1, Vol: 0.2, ADV: 1e11, Impact: imp("exponential")},
			},
			Agents: []AgentSpec{{Kind: "bank", Bank: &agents.BankSpec{ID: "lev", Equity: 1e10, Mode: "target", TargetLeverage: 10,
				Holdings: map[string]float64{"A": 4e10, "B": 3e10, "C": 3e10}}}},
			Events: []EventSpec{{Tick: 1, Kind: "shock", Shocks: map[string]float64{"A": -0.01, "B": -0.01, "C": -0.01}}},
		}
	}
	prices := func(c *Config) []float64 {
		t.Helper()
		m, err := Build(c, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		return append([]float64(nil), m.W.Price...)
	}
	base := prices(cfg(0, 1))
	for _, k := range []float64{2, 0.5} {
		scaled, written := prices(cfg(k, 1)), prices(cfg(1, k))
		for i := range scaled {
			if scaled[i] != written[i] {
				t.Errorf("depth_scale %v, asset %d: price %v, want %v as with the depth written %v times deeper", k, i, scaled[i], written[i], k)
			}
			// Deeper (k > 1) falls less, shallower more; every price fell below the shock's 0.99.
			if fell := (scaled[i] - base[i]) * (k - 1); !(fell > 0) || base[i] >= 0.99 {
				t.Errorf("depth_scale %v, asset %d: price %v against %v at depth 1", k, i, scaled[i], base[i])
			}
		}
	}
	if _, err := Build(cfg(-1, 1), 1); err == nil {
		t.Error("depth_scale -1 was accepted")
	}
}
