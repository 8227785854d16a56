package sim_test

import (
	"context"
	"math"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestPassiveTwinLean checks that the passive twin built without the agent
// population (PassiveMove) moves exactly as the twin built with every
// agent, passive (the full build), on every built-in scenario, two seeds
// each, and on aug2024 with a scripted default, which keeps the population.
func TestPassiveTwinLean(t *testing.T) {
	ctx := context.Background()
	check := func(t *testing.T, cfg *sim.Config, wantLean bool) {
		t.Helper()
		if lean := len(sim.LeanTwin(cfg).Agents) == 0; lean != wantLean {
			t.Fatalf("lean twin: %v, want %v", lean, wantLean)
		}
		for seed := uint64(1); seed <= 2; seed++ {
			lean, err := sim.PassiveMove(ctx, cfg, seed)
			if err != nil {
				t.Fatal(err)
			}
			full, err := sim.PassiveMoveFull(ctx, cfg, seed)
			if err != nil {
				t.Fatal(err)
			}
			if math.IsNaN(full) || !(full > 0) {
				t.Fatalf("seed %d: passive move %v, want a fall", seed, full)
			}
			if math.Float64bits(lean) != math.Float64bits(full) {
				t.Errorf("seed %d: lean twin %.17g, full twin %.17g", seed, lean, full)
			}
		}
	}
	for _, name := range scenarios.BuiltinNames() {
		t.Run(name, func(t *testing.T) {
			sc, err := scenarios.Load(name, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(sc.File.Config.Agents) == 0 {
				t.Fatal("no agent population to leave out")
			}
			check(t, &sc.File.Config, true)
		})
	}
	t.Run("scripted default", func(t *testing.T) {
		sc, err := scenarios.Load("aug2024", nil)
		if err != nil {
			t.Fatal(err)
		}
		cfg := sc.File.Config.Clone()
		cfg.Events = append(cfg.Events, sim.EventSpec{Kind: "default", Agent: "jp-retail-001", Tick: 30})
		check(t, cfg, false)
	})
}
