package scenarios_test

import (
	"context"
	"testing"

	"github.com/cascade-sim/cascade/internal/scentest"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestBuiltinsAudited: the accounting identities (MODEL.md §7) hold over
// the whole run of every built-in scenario at its own seed, after the
// exogenous move and after every clearing round: units of every asset and
// cash in every currency summed over all holders unchanged to 1e-9
// relative, and every holder's equity equal to assets minus liabilities
// (sim.Audit). The run fails at the first tick and round where one does
// not hold.
func TestBuiltinsAudited(t *testing.T) {
	names := scenarios.BuiltinNames()
	if len(names) < 5 {
		t.Fatalf("%d built-in scenarios: %v", len(names), names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := scentest.Build(t, name)
			sim.NewAudit(m, 1e-9)
			if err := m.Run(context.Background()); err != nil {
				t.Fatalf("tick %d: %v", m.W.Tick, err)
			}
			if m.W.Tick == 0 {
				t.Fatal("ran no tick")
			}
		})
	}
}
