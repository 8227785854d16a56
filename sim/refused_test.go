package sim_test

import (
	"context"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestNoOrderRefused: every agent waits for a closed market's open instead
// of sending it orders, so no order is refused (core.World.Rejected) in the
// built-in replays, whose markets keep Tokyo's, New York's and the FX
// week's hours, nor in aug2024 with a Cont–Schaanning bank holding the
// Nikkei and the S&P, which falls through its buffer and sells while
// Tokyo or New York is shut.
func TestNoOrderRefused(t *testing.T) {
	bank := func(cfg *sim.Config) {
		cfg.Agents = append(cfg.Agents, sim.AgentSpec{Kind: "bank", Bank: &agents.BankSpec{
			ID: "bank", Equity: 4e9, Holdings: map[string]float64{"UST10Y": 4e10, "NKY": 1.5e10, "SPX": 1.5e10},
			MinRatio: 0.03, BufferRatio: 0.045, TargetRatio: 0.05,
		}})
	}
	for _, c := range []struct {
		name string
		edit func(*sim.Config)
	}{{"aug2024", nil}, {"apr2025", nil}, {"boj2026", nil}, {"mini", nil}, {"aug2024", bank}} {
		sc, err := scenarios.Load(c.name, nil)
		if err != nil {
			t.Fatal(err)
		}
		cfg := sc.File.Config.Clone()
		if c.edit != nil {
			c.edit(cfg)
		}
		m, err := sim.Build(cfg, cfg.Seed)
		if err != nil {
			t.Fatal(err)
		}
		nky := -1
		for i, a := range m.W.Assets {
			if a.ID == "NKY" {
				nky = i
			}
		}
		var h0 float64
		var bank *core.Holder
		for _, h := range m.W.Holders {
			if h.ID == "bank" {
				bank = h
				h0 = h.Accounts[0].Units[nky]
			}
		}
		if err := m.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if m.W.Rejected != 0 {
			t.Errorf("%s (bank %v): %d orders refused by closed markets", c.name, c.edit != nil, m.W.Rejected)
		}
		if c.edit != nil {
			if h := bank.Accounts[0].Units[nky]; !(h < 0.9*h0) {
				t.Errorf("the bank holds %v of its %v Nikkei units: its buffer never bound", h, h0)
			}
		}
	}
}
