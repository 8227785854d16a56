package sim

import (
	"context"
	"regexp"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestBlownUpRunStops: a world whose markets are far too shallow for its
// flows (depth a ten-thousandth of the test world's, a BOJ hike) drives a
// price out of the finite numbers. The run stops at that tick with an
// error naming the tick, its time, the asset and where to look, rather
// than record the rest (it once ran to the end, reporting a fall of 100%
// and prices of NaN). At the test world's depth the run completes.
func TestBlownUpRunStops(t *testing.T) {
	for _, c := range []struct {
		depth float64
		fails bool
	}{{1, false}, {1e-4, true}} {
		cfg := testWorld(10)
		cfg.Events = bojEvents()
		cfg.DepthScale = c.depth
		m, err := Build(cfg, core.RunSeed(1, 0))
		if err != nil {
			t.Fatal(err)
		}
		err = m.Run(context.Background())
		switch {
		case !c.fails && err != nil:
			t.Errorf("depth × %v: %v", c.depth, err)
		case c.fails && err == nil:
			t.Errorf("depth × %v: the run completed; want it stopped where a price left the finite numbers", c.depth)
		case c.fails:
			re := regexp.MustCompile(`^tick (\d+) \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\): [A-Z0-9]+'s price is (NaN|\+Inf|-Inf|0|-\S+): .*depth_scale`)
			if !re.MatchString(err.Error()) {
				t.Errorf("depth × %v: %q; want the tick, its time, the asset, its price and depth_scale named", c.depth, err)
			}
			t.Log(err)
			if m.W.Tick >= cfg.Ticks {
				t.Errorf("stopped at tick %d of %d", m.W.Tick, cfg.Ticks)
			}
		}
	}
}
