package output

import (
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestPopulationDraws: a build records every parameter it drew for a
// population, in the order of the agents, with the value the agent's
// field was set to; population.csv holds them.
func TestPopulationDraws(t *testing.T) {
	sc, err := scenarios.Load("mini", nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Build(&sc.File.Config, 1)
	if err != nil {
		t.Fatal(err)
	}
	// mini: eight hedge funds hf-001..hf-008, each drawing carry_exit
	// (uniform 0.15-0.35) and trades.1.leverage (triangular 4-8-12).
	if len(m.Draws) != 16 {
		t.Fatalf("%d draws, want 16: %+v", len(m.Draws), m.Draws)
	}
	funds := map[string]*agents.HedgeFund{}
	for _, f := range m.Funds {
		funds[f.Spec.ID] = f
	}
	for i, d := range m.Draws {
		wantField := []string{"carry_exit", "trades.1.leverage"}[i%2]
		wantAgent := "hf-00" + string(rune('1'+i/2))
		if d.Agent != wantAgent || d.Kind != "hedge_fund" || d.Field != wantField {
			t.Errorf("draw %d: %+v, want %s's %s", i, d, wantAgent, wantField)
		}
		f := funds[d.Agent]
		switch {
		case f == nil:
			t.Errorf("draw %d: no fund %s", i, d.Agent)
		case d.Field == "carry_exit" && (f.Spec.CarryExit != d.Value || d.Value < 0.15 || d.Value > 0.35):
			t.Errorf("%s: carry_exit drawn %v, the fund's %v", d.Agent, d.Value, f.Spec.CarryExit)
		case d.Field == "trades.1.leverage" && (d.Value < 4 || d.Value > 12):
			t.Errorf("%s: leverage drawn %v, outside 4-12", d.Agent, d.Value)
		}
	}
	tab := PopulationTable(m.Draws)
	if err := tab.Validate(); err != nil || tab.Rows() != 16 {
		t.Fatalf("table: %d rows (%v)", tab.Rows(), err)
	}
	if v, _ := tab.Column("value"); v.Value(0).Float() != m.Draws[0].Value {
		t.Errorf("row 0 value %v, draw %v", v.Value(0), m.Draws[0].Value)
	}
	// Another seed draws other values for the same agents and fields.
	m2, err := sim.Build(&sc.File.Config, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(m2.Draws) != 16 || m2.Draws[0].Agent != "hf-001" || m2.Draws[0].Value == m.Draws[0].Value {
		t.Errorf("seed 2: %+v", m2.Draws[:1])
	}
}
