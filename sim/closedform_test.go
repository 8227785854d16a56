package sim

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/cascade-sim/cascade/agents"
)

// gltWorld is the Greenwood–Landier–Thesmar example: three banks with
// total assets a, equity e and portfolio weights M over three assets with
// linear impact ℓ (return per unit of value sold).
var (
	gltA = []float64{100, 60, 40}
	gltE = []float64{8, 5, 4}
	gltM = [][]float64{{0.5, 0.3, 0.2}, {0.2, 0.6, 0.2}, {0, 0.3, 0.7}}
	gltL = []float64{1e-3, 5e-4, 2e-3}
	gltF = []float64{-0.05, 0, 0}
)

// gltConfig builds the GLT world. With preShock the shock is a tick-0 event
// and banks sell in the same tick; otherwise the books open already marked
// to the shocked prices.
func gltConfig(preShock bool, execution string) *Config {
	cfg := &Config{Name: "glt", Ticks: 1, Noise: NoiseSpec{Off: true},
		Conventions: ConventionSpec{Execution: execution, Flow: "value", MaxRounds: 1}}
	for k := range gltL {
		p := 1.0
		if !preShock {
			p = 1 + gltF[k]
		}
		cfg.Assets = append(cfg.Assets, AssetSpec{ID: fmt.Sprintf("A%d", k+1), Kind: "equity", Currency: "USD", Price: p, ADV: 1,
			Impact: Impact{Function: "linear", Lambda: gltL[k], Permanent: 1}})
	}
	for i := range gltA {
		hold := map[string]float64{}
		weights := map[string]float64{}
		eq := gltE[i]
		for k := range gltL {
			v := gltA[i] * gltM[i][k]
			weights[fmt.Sprintf("A%d", k+1)] = gltM[i][k]
			if v == 0 {
				continue
			}
			if !preShock {
				v *= 1 + gltF[k]
				eq += gltA[i] * gltM[i][k] * gltF[k]
			}
			hold[fmt.Sprintf("A%d", k+1)] = v
		}
		cfg.Agents = append(cfg.Agents, AgentSpec{Kind: "bank", Bank: &agents.BankSpec{ID: fmt.Sprintf("bank%d", i+1),
			Equity: eq, Holdings: hold, Mode: "target", TargetLeverage: gltA[i] / gltE[i], Sales: "weights", Weights: weights}})
	}
	if preShock {
		cfg.Events = []EventSpec{{Tick: 0, Kind: "shock", Shocks: map[string]float64{"A1": gltF[0]}}}
	}
	return cfg
}

// gltLosses runs the GLT world and returns each bank's fire-sale loss (the
// change in equity net of the shock's direct loss on its holdings).
func gltLosses(t *testing.T, preShock bool, execution string, active []bool) []float64 {
	t.Helper()
	m, err := Build(gltConfig(preShock, execution), 1)
	if err != nil {
		t.Fatal(err)
	}
	NewAudit(m, 1e-12)
	banks := m.W.Holders[1:]
	for i, h := range banks {
		if active != nil && !active[i] {
			h.SetPassive(true)
		}
	}
	before := make([]float64, len(banks))
	for i, h := range banks {
		before[i] = m.W.NAV(h)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	loss := make([]float64, len(banks))
	for i, h := range banks {
		direct := 0.0
		if preShock {
			for k := range gltF {
				direct += gltA[i] * gltM[i][k] * gltF[k]
			}
		}
		loss[i] = m.W.NAV(h) - before[i] - direct
	}
	return loss
}

func sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// TestGLTOneRound pins the GLT aggregate vulnerability AV = 1'AMLM'BAMF/E,
// systemicness S and indirect vulnerability IV. Convention "GLT": leverage
// targeting on debt/equity, dollar sales split by the initial weights M,
// linear impact on the value sold, the shock and the fire sale in the same
// tick with returns adding on the tick's open price, and post-impact
// execution, so every unit held before the shock bears the full impact:
// losses are marked on pre-shock holdings. Convention "tick": the books
// open already marked to the shock and the banks sell at the pre-impact
// price, so only holdings left after the sale are marked down.
func TestGLTOneRound(t *testing.T) {
	E := sum(gltE)
	loss := gltLosses(t, true, "post", nil)
	if av := sum(loss) / E; math.Abs(av-(-0.136018)) > 5e-7 {
		t.Errorf("AV (pre-shock holdings) = %.7f, want -0.136018", av)
	}
	wantIV := []float64{-0.157041, -0.116910, -0.117858}
	for i := range loss {
		if iv := loss[i] / gltE[i]; math.Abs(iv-wantIV[i]) > 5e-7 {
			t.Errorf("IV[%d] = %.7f, want %.6f", i, iv, wantIV[i])
		}
	}
	// Systemicness: the losses caused by one bank's sales alone (exact for
	// linear impact).
	wantS := []float64{-0.112801, -0.023216, 0}
	for i := range gltA {
		active := make([]bool, len(gltA))
		active[i] = true
		if s := sum(gltLosses(t, true, "post", active)) / E; math.Abs(s-wantS[i]) > 5e-7 {
			t.Errorf("S[%d] = %.7f, want %.6f", i, s, wantS[i])
		}
	}
	if av := sum(gltLosses(t, false, "pre", nil)) / E; math.Abs(av-(-0.108127)) > 5e-7 {
		t.Errorf("AV (post-sale holdings, tick simulator) = %.7f, want -0.108127", av)
	}
}

// TestContSchaanning pins the two-bank threshold cascade of Cont and
// Schaanning: exponential impact Ψ(q) = (1 − B/S)(1 − e^(−q/δ)) on the
// cumulative value sold in the tick, δ = (1 − B/S0)·c·ADV·√τ/σ, midpoint
// execution, banks selling from the state at the start of each round.
func TestContSchaanning(t *testing.T) {
	depth := 0.4 * 50 * math.Sqrt(20) / 0.02
	delta := (1 - 0.5/1.0) * depth
	lim := 33.3
	cfg := &Config{Name: "cs", Ticks: 1, Noise: NoiseSpec{Off: true},
		Conventions: ConventionSpec{Execution: "mid", Flow: "value", MaxRounds: 50},
		Assets: []AssetSpec{
			{ID: "MKT", Kind: "equity", Currency: "USD", Price: 1, ADV: 50, Impact: Impact{Function: "exponential", Delta: delta, Floor: 0.5, Permanent: 1}},
			{ID: "ILL1", Kind: "illiquid", Currency: "USD", Price: 1},
			{ID: "ILL2", Kind: "illiquid", Currency: "USD", Price: 1},
		},
		Events: []EventSpec{{Tick: 0, Kind: "shock", Shocks: map[string]float64{"ILL1": -0.2}}},
	}
	for i, b := range []struct {
		id      string
		mkt, il float64
		eq      float64
	}{{"bank1", 90, 10, 4}, {"bank2", 70, 20, 4.5}} {
		cfg.Agents = append(cfg.Agents, AgentSpec{Kind: "bank", Bank: &agents.BankSpec{ID: b.id, Equity: b.eq,
			Holdings:    map[string]float64{"MKT": b.mkt, fmt.Sprintf("ILL%d", i+1): b.il},
			BufferRatio: 1 / lim, TargetRatio: 1 / (0.95 * lim)}})
	}
	m, err := Build(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	audit := NewAudit(m, 1e-12)
	type state struct{ c1, c2, p float64 }
	var got []state
	m.Audit = func(stage string) error {
		got = append(got, state{m.W.NAV(m.W.Holders[1]), m.W.NAV(m.W.Holders[2]), m.W.Price[0]})
		return audit.Check(m.W)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	// got: after the shock, after each round, and at the close (same as the last round).
	want := []state{{2, 4.5, 1}, {1.4403, 3.9606, 0.992294}, {1.2638, 3.6953, 0.988504}, {1.2222, 3.6122, 0.987317}}
	if len(got) != len(want)+1 {
		t.Fatalf("got %d audit points (%v), want %d: three rounds of sales, then stop", len(got), got, len(want)+1)
	}
	for k, wv := range want {
		g := got[k]
		if math.Abs(g.c1-wv.c1) > 5e-5 || math.Abs(g.c2-wv.c2) > 5e-5 || math.Abs(g.p-wv.p) > 5e-7 {
			t.Errorf("stage %d: capital [%.4f %.4f] price %.6f, want [%.4f %.4f] %.6f", k, g.c1, g.c2, g.p, wv.c1, wv.c2, wv.p)
		}
	}
	if m.M.Rounds != 3 {
		t.Errorf("%d clearing rounds, want 3", m.M.Rounds)
	}
}

// lossSpiral runs one leverage-targeting agent (100 units at price 1,
// assets/equity 10) through a shock eps with linear impact 0.0005 of price
// per unit (units flow) and returns the final drop of the price.
func lossSpiral(t *testing.T, eps float64, execution string) float64 {
	t.Helper()
	cfg := &Config{Name: "spiral", Ticks: 1, Noise: NoiseSpec{Off: true},
		Conventions: ConventionSpec{Execution: execution, Flow: "units", MaxRounds: 10000},
		Assets: []AssetSpec{{ID: "A", Kind: "equity", Currency: "USD", Price: 1, ADV: 1,
			Impact: Impact{Function: "linear", Lambda: 0.0005, Permanent: 1}}},
		Agents: []AgentSpec{{Kind: "bank", Bank: &agents.BankSpec{ID: "lev", Equity: 10,
			Holdings: map[string]float64{"A": 100}, Mode: "target", TargetLeverage: 10, Tolerance: 1e-15}}},
		Events: []EventSpec{{Tick: 0, Kind: "shock", Shocks: map[string]float64{"A": -eps}}},
	}
	m, err := Build(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	NewAudit(m, 1e-12)
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return 1 - m.W.Price[0]
}

// TestLossSpiral pins the loss-spiral multiplier: κ = λ(L − 1)A = 0.45, a
// 1% shock ends 1.8089% lower with post-impact execution and 1.7667% with
// pre-impact execution (impact on units, returns adding within the tick),
// and the drop tends to ε/(1 − κ) as ε → 0.
func TestLossSpiral(t *testing.T) {
	for _, c := range []struct {
		exec string
		want float64
	}{{"post", 0.018089}, {"pre", 0.017667}} {
		if got := lossSpiral(t, 0.01, c.exec); math.Abs(got-c.want) > 5e-7 {
			t.Errorf("%s-impact execution: drop %.6f%%, want %.4f%%", c.exec, 100*got, 100*c.want)
		}
	}
	mult := 1 / (1 - 0.45)
	prev := math.Inf(1)
	for _, eps := range []float64{1e-2, 1e-4, 1e-6} {
		for _, exec := range []string{"post", "pre"} {
			r := lossSpiral(t, eps, exec) / eps
			gap := math.Abs(r - mult)
			if gap > 20*eps*mult {
				t.Errorf("eps %g %s: multiplier %.8f, want %.8f within %g", eps, exec, r, mult, 20*eps*mult)
			}
			if exec == "post" {
				if gap >= prev {
					t.Errorf("eps %g: gap to 1/(1-κ) %.3g did not shrink (was %.3g)", eps, gap, prev)
				}
				prev = gap
			}
		}
	}
}
