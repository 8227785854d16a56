package sim

import (
	"runtime"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestFollowAllocs: following agents allocates nothing in the tick loop
// either (the follower's tables are sized at the build), and its fills
// reach the trades table.
func TestFollowAllocs(t *testing.T) {
	cfg := benchWorld()
	cfg.Ticks = 2000
	// Shocks inside the measured window, so that the followed funds trade there.
	for _, tick := range []int{300, 700, 1100} {
		cfg.Events = append(cfg.Events, EventSpec{Tick: tick, Kind: "shock", Shocks: map[string]float64{"USDJPY": -0.04, "SPX": -0.05}})
	}
	m, err := Build(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range m.W.Holders {
		if h.Kind == core.HedgeFund || h.Kind == core.PrimeBroker {
			cfg.Report.Follow = append(cfg.Report.Follow, h.ID)
		}
	}
	if m, err = Build(cfg, 1); err != nil {
		t.Fatal(err)
	}
	m.rec.obs = []Observer{NewCollector()}
	if err := m.rec.obs[0].Begin(m); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
	}
	// Count every allocation (AllocsPerRun rounds a few growths down to 0).
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < 1500; i++ {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if n := after.Mallocs - before.Mallocs; n != 0 {
		t.Errorf("%d allocations in 1500 ticks following %d agents, want 0", n, len(cfg.Report.Follow))
	}
	tr, _, _ := m.Followed()
	if len(tr.Tick) == 0 {
		t.Error("no fills followed")
	}
	t.Logf("%d agents followed, %d trade rows (room for %d)", len(cfg.Report.Follow), len(tr.Tick), cap(tr.Tick))
}
