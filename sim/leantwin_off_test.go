package sim

import "testing"

// TestLeanTwinOffEvent: the passive twin drops the agent population unless
// an event names one of its agents (a scripted default); an event switched
// off names nobody, so it drops them as without the event.
func TestLeanTwinOffEvent(t *testing.T) {
	for _, c := range []struct {
		off  bool
		keep bool
	}{{false, true}, {true, false}} {
		cfg := vulnWorld()
		if len(cfg.Agents) == 0 {
			t.Fatal("vulnWorld has no agents: the test needs some")
		}
		cfg.Events = append(cfg.Events, EventSpec{Tick: 0, Kind: "default", Agent: "x", Off: c.off})
		lean := leanTwin(cfg)
		if kept := lean == cfg && len(lean.Agents) > 0; kept != c.keep {
			t.Errorf("default event off: %v: population kept %v, want %v", c.off, kept, c.keep)
		}
		if !c.keep && (lean.Agents != nil || len(lean.Events) != len(cfg.Events)) {
			t.Errorf("off: %d agents, %d events in the twin, want none and the %d events", len(lean.Agents), len(lean.Events), len(cfg.Events))
		}
	}
}
