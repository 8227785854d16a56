package output_test

import (
	"context"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// meter is a sim.Observer that hands every call on to obs and counts the
// process's heap allocations between the last Begin and the first End: the
// whole tick loop, the observers' work in it included, and nothing of the
// build or of the observers' set-up and wrap-up.
type meter struct {
	obs    []sim.Observer
	before runtime.MemStats
	allocs uint64
}

func (m *meter) Begin(md *sim.Model) error {
	for _, o := range m.obs {
		if err := o.Begin(md); err != nil {
			return err
		}
	}
	// A collection queues the finalizers of earlier garbage (files, for
	// one), which allocate when they run: collect and let them run before
	// the window, not in it.
	runtime.GC()
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	runtime.ReadMemStats(&m.before)
	return nil
}

func (m *meter) Observe(f *sim.Frame) error {
	for _, o := range m.obs {
		if err := o.Observe(f); err != nil {
			return err
		}
	}
	return nil
}

func (m *meter) End(md *sim.Model) error {
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	m.allocs = after.Mallocs - m.before.Mallocs
	for _, o := range m.obs {
		if err := o.End(md); err != nil {
			return err
		}
	}
	return nil
}

// loopAllocs builds and runs a model three times, at most, and returns the
// fewest allocations of its tick loop: the runtime's own allocations can
// land in a window now and then, the engine's would land in every one.
// Each run's observers are made by observers.
func loopAllocs(t *testing.T, cfg *sim.Config, twin bool, observers func() []sim.Observer) uint64 {
	t.Helper()
	fewest := uint64(math.MaxUint64)
	for try := 0; try < 3 && fewest > 0; try++ {
		m, err := sim.Build(cfg, cfg.Seed)
		if err != nil {
			t.Fatal(err)
		}
		if twin {
			m.SetChannels(core.AllOff())
		}
		mt := &meter{obs: observers()}
		if err := m.Run(context.Background(), mt); err != nil {
			t.Fatal(err)
		}
		fewest = min(fewest, mt.allocs)
	}
	return fewest
}

// TestReplayAllocs: every built-in scenario, built and run as `cascade run`
// runs it, allocates nothing from its first tick to its last:
//   - the run itself, observed by the summary collector and the recorder,
//     with and without agent detail;
//   - its passive twin (every channel off), observed by a collector.
//
// What the tick loop needs is sized at Build (Model.reserve) and at the
// observers' Begin (the recorder's series from the horizon), and events
// keep their text unformatted (core.Note) until events.jsonl is written.
// The one thing without a bound is the number of events: the recorder
// makes room for two a tick, and a run that logs more allocates as its log
// grows. The built-in scenarios log at most 1.7 a tick.
func TestReplayAllocs(t *testing.T) {
	for _, name := range scenarios.BuiltinNames() {
		t.Run(name, func(t *testing.T) {
			sc, err := scenarios.Load(name, nil)
			if err != nil {
				t.Fatal(err)
			}
			cfg := &sc.File.Config
			for _, detail := range []bool{false, true} {
				var rec *output.Recorder
				n := loopAllocs(t, cfg, false, func() []sim.Observer {
					rec = output.NewRecorder(detail || sc.File.Output.AgentDetail)
					return []sim.Observer{sim.NewCollector(), rec}
				})
				events := len(rec.Events())
				t.Logf("agent detail %v: %d allocations in %d ticks (%d events)", detail, n, cfg.Ticks, events)
				if n != 0 {
					t.Errorf("agent detail %v: %d allocations in the %d ticks of the run (the fewest of three runs; %d events), want 0",
						detail, n, cfg.Ticks, events)
				}
			}
			n := loopAllocs(t, cfg, true, func() []sim.Observer { return []sim.Observer{sim.NewCollector()} })
			if n != 0 {
				t.Errorf("passive twin: %d allocations in the %d ticks of the run (the fewest of three runs), want 0", n, cfg.Ticks)
			}
		})
	}
}
