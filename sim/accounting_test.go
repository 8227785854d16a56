package sim

import (
	"context"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestAccounting runs a world holding every agent kind, with noise, through
// a carry unwind, and checks at every tick and every clearing round that
// units of every asset and money in every currency are conserved over all
// holders, claims net to zero, and every holder's ledger equity equals its
// assets minus liabilities, to 1e-9 relative.
func TestAccounting(t *testing.T) {
	cfg := testWorld(12)
	cfg.Events = unwindEvents()
	cfg.Noise = NoiseSpec{Distribution: "student_t", DF: 4}
	m, err := Build(cfg, core.RunSeed(cfg.Seed, 0))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[core.AgentKind]int{}
	for _, h := range m.W.Holders {
		kinds[h.Kind]++
	}
	for k := core.AgentKind(0); k < core.NumAgentKinds; k++ {
		if kinds[k] == 0 {
			t.Errorf("test world has no %s", k)
		}
	}
	a := NewAudit(m, 1e-9)
	c := NewCollector()
	rounds := 0
	count := &probe{fn: func(_ *Model, f *Frame) { rounds += f.Rounds }}
	if err := m.Run(context.Background(), c, count); err != nil {
		t.Fatal(err)
	}
	s := c.S
	t.Logf("%d audits; margin calls %d; defaults %d; sales %.3g USD; unwound %v; NKY %.0f->%.0f min %.0f; USDJPY min %.2f",
		a.Checks, s.MarginCalls.Count, len(s.Defaults), s.ForcedSales.Total, s.UnwoundPct, s.Assets["NKY"].Start, s.Assets["NKY"].End, s.Assets["NKY"].Min, s.Assets["USDJPY"].Min)
	if want := 2*cfg.Ticks + rounds; a.Checks != want {
		t.Errorf("%d audits for %d ticks and %d clearing rounds, want %d", a.Checks, cfg.Ticks, rounds, want)
	}
	// The run must exercise the paths the identities are about.
	if s.MarginCalls.Count == 0 {
		t.Error("no margin calls: the accounting test does not exercise margining")
	}
	if s.ForcedSales.ByReason["margin_call"] == 0 {
		t.Error("no margin-call sales")
	}
	if len(s.Defaults) == 0 || s.ForcedSales.ByReason["default_liquidation"] == 0 {
		t.Error("no default with liquidation of seized collateral")
	}
}
