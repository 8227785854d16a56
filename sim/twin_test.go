package sim_test

import (
	"context"
	"math"
	"testing"

	"github.com/cascade-sim/cascade/core"
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

// TestTwinKeepsLinks: the passive twin keeps the run's valuation-link
// switch. In aug2024 a run with every channel and agent kind off but the
// links is its own twin (amplification exactly 1), and its move is larger
// than the twin of a run with the links off, which carries only each
// market's own scripted news: the links spread the yen's repricing to the
// Nikkei without any agent trading.
func TestTwinKeepsLinks(t *testing.T) {
	ctx := context.Background()
	sc, err := scenarios.Load("aug2024", nil)
	if err != nil {
		t.Fatal(err)
	}
	summary := func(off []string) *sim.Summary {
		t.Helper()
		cfg := sc.File.Config.Clone()
		cfg.Channels.Off = off
		s, err := sim.RunSummary(ctx, cfg, cfg.Seed, true)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	var linksOnly []string
	for _, c := range sim.ChannelNames {
		if c != "valuation_links" {
			linksOnly = append(linksOnly, c)
		}
	}
	for k := core.AgentKind(1); k < core.NumAgentKinds; k++ { // every kind but the outside sector
		linksOnly = append(linksOnly, k.String())
	}
	only := summary(linksOnly)
	noLinks := summary([]string{"valuation_links"})
	full := summary(nil)
	t.Logf("NKY fall: links only %.2f%% (twin %.2f%%); links off %.2f%% (twin %.2f%%); full %.2f%% (twin %.2f%%)",
		only.HeadlineMove, only.PassiveMove, noLinks.HeadlineMove, noLinks.PassiveMove, full.HeadlineMove, full.PassiveMove)
	if only.Amplification != 1 || only.ForcedSales.Total != 0 {
		t.Errorf("links only: amplification %v with %v of sales, want exactly 1 with none", only.Amplification, only.ForcedSales.Total)
	}
	if full.PassiveMove != only.HeadlineMove {
		t.Errorf("twin of the full run moves %v, want the links-only run's %v", full.PassiveMove, only.HeadlineMove)
	}
	if !(noLinks.PassiveMove < only.PassiveMove) {
		t.Errorf("twin with links off moves %v, want less than %v with them on", noLinks.PassiveMove, only.PassiveMove)
	}
	if !(full.Amplification > 1 && full.Amplification < full.HeadlineMove/noLinks.PassiveMove) {
		t.Errorf("amplification %v: want above 1 and below the %v a links-off twin would give", full.Amplification, full.HeadlineMove/noLinks.PassiveMove)
	}
}
