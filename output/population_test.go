package output

import (
	"math"
	"strings"
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
		if d.Agent != wantAgent || d.Entry != "hf" || d.Kind != "hedge_fund" || d.Field != wantField {
			t.Errorf("draw %d: %+v, want %s's %s, of entry hf", i, d, wantAgent, wantField)
		}
		if d.Applied != d.Value {
			t.Errorf("draw %d: applied %v, want the value drawn %v (leverage_scale 1, every fund fits its equity)", i, d.Applied, d.Value)
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
	var names []string
	for _, c := range tab.Columns {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, ","); got != "agent,entry,kind,field,value,applied" {
		t.Errorf("columns %s", got)
	}
	if v, _ := tab.Column("value"); v.Value(0).Float() != m.Draws[0].Value {
		t.Errorf("row 0 value %v, draw %v", v.Value(0), m.Draws[0].Value)
	}
	if e, _ := tab.Column("entry"); e.S[3] != "hf" {
		t.Errorf("row 3 entry %q, want hf", e.S[3])
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

// TestPopulationApplied: the applied column holds what the built agents
// hold. Under leverage_scale 4 a fund's drawn leverage is applied four
// times over (hf-001: 7.3768 drawn, 29.5070 held), and hf-003, whose
// positions at 4 × 11.3533 do not fit its equity, holds the leverage its
// trade was opened at: the notional per unit of equity, 91.6% of 45.41. A
// CTA entry that draws max_leverage holds it times the scale, as a
// vol-control fund does a drawn target_vol, an entry of one agent is its
// own entry, and a field nothing transforms (rebalance_days) is applied as
// drawn.
func TestPopulationApplied(t *testing.T) {
	sc, err := scenarios.Load("mini", []string{"leverage_scale=4",
		"agents.cta.vary=[{field: max_leverage, dist: {kind: list, values: [2.5]}}]",
		"agents.rp.vary=[{field: rebalance_days, dist: {kind: list, values: [2]}}]",
		"agents.vc.vary=[{field: target_vol, dist: {kind: list, values: [0.15]}}]"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Build(&sc.File.Config, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Draws) != 19 {
		t.Fatalf("%d draws, want 19: %+v", len(m.Draws), m.Draws)
	}
	funds := map[string]*agents.HedgeFund{}
	for _, f := range m.Funds {
		funds[f.Spec.ID] = f
	}
	got := map[string]sim.Draw{}
	for _, d := range m.Draws {
		got[d.Agent+" "+d.Field] = d
		if d.Field == "carry_exit" && d.Applied != d.Value {
			t.Errorf("%s: carry_exit applied %v, drawn %v: nothing scales it", d.Agent, d.Applied, d.Value)
		}
		if d.Field == "trades.1.leverage" {
			if f := funds[d.Agent]; math.Abs(d.Applied*f.Spec.Equity/f.Trade[1].Notional0-1) > 1e-12 {
				t.Errorf("%s: applied leverage %v, but the trade opened at %v per unit of equity", d.Agent, d.Applied, f.Trade[1].Notional0/f.Spec.Equity)
			}
		}
	}
	for _, c := range []struct {
		key, entry     string
		value, applied float64
	}{
		{"hf-001 trades.1.leverage", "hf", 7.376760124881823, 4 * 7.376760124881823}, // 29.507040499527292
		{"cta max_leverage", "cta", 2.5, 10},
		{"rp rebalance_days", "rp", 2, 2},
		{"vc target_vol", "vc", 0.15, 4 * 0.15},
	} {
		d, ok := got[c.key]
		if !ok || d.Entry != c.entry || d.Value != c.value || d.Applied != c.applied {
			t.Errorf("%s: %+v, want entry %s, value %v, applied %v", c.key, d, c.entry, c.value, c.applied)
		}
	}
	d := got["hf-003 trades.1.leverage"]
	if d.Value != 11.353339010806081 || !(d.Applied < 4*d.Value) || math.Abs(d.Applied/(4*d.Value)-0.916) > 0.001 {
		t.Errorf("hf-003: drawn %v, applied %v (%.4f of 4 × drawn), want 11.3533 drawn, fitted to 91.6%% of 4 × it", d.Value, d.Applied, d.Applied/(4*d.Value))
	}
	tab := PopulationTable(m.Draws)
	if a, _ := tab.Column("applied"); a.F[1] != 4*7.376760124881823 {
		t.Errorf("row 1 applied %v, want %v", a.F[1], 4*7.376760124881823)
	}
	// population.csv's header and population.parquet's columns, in one order.
	var csv strings.Builder
	if err := WriteCSV(&csv, tab); err != nil {
		t.Fatal(err)
	}
	header, row, _ := strings.Cut(csv.String(), "\n")
	if header != "agent,entry,kind,field,value,applied" || !strings.HasPrefix(row, "hf-001,hf,hedge_fund,carry_exit,") {
		t.Errorf("population.csv begins %q, %q", header, row)
	}
	back := readParquet(t, writeParquet(t, tab))
	var names []string
	for _, c := range back.Columns {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, ","); got != header {
		t.Errorf("population.parquet's columns %s, population.csv's %s", got, header)
	}
	if a, _ := back.Column("applied"); a.F[1] != 4*7.376760124881823 {
		t.Errorf("population.parquet row 1 applied %v", a.F[1])
	}
}
