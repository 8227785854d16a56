package scenarios

import (
	"context"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/sim"
)

// TestInsurerInertSettings: settings of an insurer that nothing would
// read. The calm allocation rule moves foreign holdings only with both
// sensitivity and alloc_speed above 0, so either alone (given, or drawn
// by vary) is refused at its position; with both, the rule trades. A
// max_hedge at or below the starting hedge_ratio, with a hedge_speed,
// stops the insurer from ever hedging up: the build says so in a note
// (mini's lifer starts hedged 44%).
func TestInsurerInertSettings(t *testing.T) {
	const vary = "agents.lifer.count=2"
	for _, c := range []struct {
		name string
		sets []string
		err  string // the refusal, after the position; "" loads
		note string // the start of the build's note on insurers; "" none
	}{
		{"sensitivity alone", []string{"agents.lifer.sensitivity=0.5"}, "agents[1].sensitivity: sensitivity is not read without alloc_speed", ""},
		{"alloc_speed alone", []string{"agents.lifer.alloc_speed=0.01"}, "agents[1].alloc_speed: alloc_speed is not read without sensitivity", ""},
		{"sensitivity drawn alone", []string{vary, "agents.lifer.vary=[{field: sensitivity, dist: {kind: uniform, min: 0.1, max: 0.5}}]"},
			"agents[1].vary[0].field: sensitivity is not read without alloc_speed", ""},
		{"both", []string{"agents.lifer.sensitivity=0.5", "agents.lifer.alloc_speed=0.01"}, "", ""},
		{"alloc_speed drawn, sensitivity given", []string{vary, "agents.lifer.sensitivity=0.5", "agents.lifer.vary=[{field: alloc_speed, dist: {kind: uniform, min: 0.005, max: 0.02}}]"}, "", ""},
		{"max_hedge below", []string{"agents.lifer.max_hedge=0.4"}, "",
			"1 insurer starts hedged at or above its max_hedge, the ratio hedging up stops at, so when triggered they never hedge up and hedge_speed does nothing (they still repatriate): lifer (hedge_ratio 0.44, max_hedge 0.4)"},
		{"max_hedge at it, a population", []string{vary, "agents.lifer.max_hedge=0.44"}, "",
			"2 insurers start hedged at or above their max_hedge, the ratio hedging up stops at, so when triggered they never hedge up and hedge_speed does nothing (they still repatriate): lifer-001 (hedge_ratio 0.44, max_hedge 0.44), lifer-002 (hedge_ratio 0.44, max_hedge 0.44)"},
		{"max_hedge below, no hedge_speed", []string{"agents.lifer.max_hedge=0.4", "agents.lifer.hedge_speed=0"}, "", ""},
		{"max_hedge above", []string{"agents.lifer.max_hedge=0.45"}, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := Load("mini", c.sets)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), ": "+c.err) {
					t.Fatalf("got %v\nwant %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			m, err := sim.Build(&sc.File.Config, 1)
			if err != nil {
				t.Fatal(err)
			}
			var note string
			for _, n := range m.Notes {
				if strings.Contains(n, "max_hedge") {
					note = n
				}
			}
			if c.note == "" && note != "" || !strings.HasPrefix(note, c.note) {
				t.Errorf("note %q\nwant one beginning %q", note, c.note)
			}
		})
	}
	// With both, the rule trades: the insurer's foreign bonds differ from a
	// run without it (mini's lifer sells 1.9% of them once triggered).
	sold := func(sets ...string) float64 {
		t.Helper()
		sc, err := Load("mini", sets)
		if err != nil {
			t.Fatal(err)
		}
		s, err := sim.RunSummary(context.Background(), &sc.File.Config, 1, false)
		if err != nil {
			t.Fatal(err)
		}
		return float64(s.Insurers["lifer"].ForeignSoldPct)
	}
	if off, on := sold(), sold("agents.lifer.sensitivity=5", "agents.lifer.alloc_speed=0.01"); off == on {
		t.Errorf("foreign bonds sold %v%% with the allocation rule and without: want the rule to trade", on)
	}
}
