package output

import (
	"image/color"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestStableColors: every agent kind and every reason has a colour of its
// own, the same whatever else a run's figure shows (its position there),
// and the kinds' colours avoid the greys of the attribution chart.
func TestStableColors(t *testing.T) {
	rgb := func(c color.Color) [3]uint32 { r, g, b, _ := c.RGBA(); return [3]uint32{r, g, b} }
	seen := map[[3]uint32]string{}
	for _, k := range core.AgentKindNames()[1:] {
		c := rgb(kindColorOf(k, 0))
		if c != rgb(kindColorOf(k, 7)) {
			t.Errorf("%s: its colour moves with its position", k)
		}
		if o, ok := seen[c]; ok {
			t.Errorf("%s and %s share a colour", k, o)
		}
		if c[0] == c[1] && c[1] == c[2] {
			t.Errorf("%s: grey or black %v, like the attribution chart's exogenous, links and other", k, c)
		}
		seen[c] = k
	}
	seen = map[[3]uint32]string{}
	for _, r := range core.ReasonNames() {
		c := rgb(reasonColor(r, 0))
		if c != rgb(reasonColor(r, 5)) {
			t.Errorf("%s: its colour moves with its position", r)
		}
		if o, ok := seen[c]; ok {
			t.Errorf("%s and %s share a colour", r, o)
		}
		seen[c] = r
	}
	if len(seen) != 14 {
		t.Errorf("%d reasons' colours, want 14", len(seen))
	}
	if len(kindColors) != len(core.AgentKindNames())-1 {
		t.Errorf("%d kinds' colours for %d kinds", len(kindColors), len(core.AgentKindNames())-1)
	}
	for k, want := range map[string]color.NRGBA{"hedge_fund": okabeIto[1], "cta": okabeIto[0], "bank": okabeIto[9]} {
		if rgb(kindColorOf(k, 0)) != rgb(want) {
			t.Errorf("%s's colour %v, want %v", k, kindColorOf(k, 0), want)
		}
	}
}
