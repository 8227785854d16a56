package output

import (
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/sim"
)

// TestCompareFollowRows: compare shows the agents both sides follow, and
// only those, with their numbers.
func TestCompareFollowRows(t *testing.T) {
	a := &sim.Summary{Follow: map[string]*sim.FollowSummary{
		"cro-fund": {PnLPct: -8.69, MaxDrawdownPct: 10.45, MarginCalls: 5, MarginCallUSD: 1.66e9, SoldUSD: map[string]sim.Num{"carry_exit": 6e9, "stop_loss": 2e9}},
		"only-a":   {PnLPct: 1},
	}}
	b := &sim.Summary{Follow: map[string]*sim.FollowSummary{
		"cro-fund": {PnLPct: -8.70, MaxDrawdownPct: 10.45, MarginCalls: 1, MarginCallUSD: 1.73e9, Defaulted: true, SoldUSD: map[string]sim.Num{"carry_exit": 6e9}},
	}}
	got := map[string][2]sim.Num{}
	for _, r := range CompareRows(a, b) {
		if strings.HasPrefix(r.Name, "only-a") {
			t.Errorf("row %q of an agent only one side follows", r.Name)
		}
		if strings.HasPrefix(r.Name, "cro-fund") {
			got[r.Name] = [2]sim.Num{r.A, r.B}
		}
	}
	for name, want := range map[string][2]sim.Num{
		"cro-fund P&L %":               {-8.69, -8.70},
		"cro-fund max drawdown %":      {10.45, 10.45},
		"cro-fund margin calls":        {5, 1},
		"cro-fund margin calls USD bn": {1.66, 1.73},
		"cro-fund defaulted":           {0, 1},
		"cro-fund sold USD bn":         {8, 6},
	} {
		if g, ok := got[name]; !ok || g != want {
			t.Errorf("%s: %v (shown %v), want %v", name, g, ok, want)
		}
	}
}
