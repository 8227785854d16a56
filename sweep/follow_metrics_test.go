package sweep

import (
	"math"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/sim"
)

// TestFollowMetrics: a followed agent's summary (follow.ID) is read as
// metrics; a reason it did not sell for reads 0; an id the base does not
// follow is refused, naming the one it does; and a run that does not
// follow it has no value.
func TestFollowMetrics(t *testing.T) {
	base := &sim.Summary{Follow: map[string]*sim.FollowSummary{"cro-fund": {
		PnLPct: -8.69, MaxDrawdownPct: 10.45, MarginCalls: 5, Defaulted: true,
		SoldUSD: map[string]sim.Num{"carry_exit": 6.18e9}, BoughtUSD: map[string]sim.Num{}}}}
	for _, c := range []struct {
		path string
		want float64
		err  string
	}{
		{"follow.cro-fund.pnl_pct", -8.69, ""},
		{"follow.cro-fund.max_drawdown_pct", 10.45, ""},
		{"follow.cro-fund.margin_calls", 5, ""},
		{"follow.cro-fund.defaulted", 1, ""},
		{"follow.cro-fund.sold_usd.carry_exit", 6.18e9, ""},
		{"follow.cro-fund.sold_usd.stop_loss", 0, ""},
		{"follow.cro-fnd.pnl_pct", 0, `no "cro-fnd" in follow (did you mean "cro-fund"?) (the base run has cro-fund)`},
		{"follow.cro-fund", 0, "is a group"},
	} {
		t.Run(c.path, func(t *testing.T) {
			g, ok := resolved(t, base, c.path, baseNames{}, c.want, c.err)
			if !ok {
				return
			}
			if Indicator(c.path) != strings.HasSuffix(c.path, ".defaulted") {
				t.Errorf("Indicator(%q) = %v", c.path, Indicator(c.path))
			}
			if got := g.value(&sim.Summary{}); !math.IsNaN(got) {
				t.Errorf("a run that follows nobody reads %v, want NaN", got)
			}
		})
	}
}
