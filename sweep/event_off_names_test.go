package sweep

import (
	"slices"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/internal/scentest"
	"github.com/cascade-sim/cascade/scenarios"
)

// TestOffDefaultEventNames: an agent a default event names can default,
// and a sweep counts it among those its metrics may read as defaulting;
// with the event switched off (off: true) it names nobody, as the run
// never applies it.
func TestOffDefaultEventNames(t *testing.T) {
	// The first built-in with an agent that cannot default otherwise (not
	// a bank, not a prime broker's client).
	var name, id string
	var plain baseNames
	for _, b := range scenarios.BuiltinNames() {
		m := scentest.Build(t, b)
		plain = namesOf(m, nil)
		for i, a := range plain.agents {
			if !slices.Contains(plain.fails, a) && plain.kinds[i] != core.Outside {
				if _, err := scenarios.Load(b, []string{"events.0={tick: 3, kind: default, agent: " + a + "}"}); err != nil {
					continue // not one a default event may name
				}
				name, id = b, a
				break
			}
		}
		if id != "" {
			break
		}
	}
	if id == "" {
		t.Fatal("every built-in's agents can default: the test needs one that cannot")
	}
	for _, c := range []struct {
		off  string
		want bool
	}{{"false", true}, {"true", false}} {
		m := scentest.Build(t, name, "events.0={tick: 3, kind: default, agent: "+id+", off: "+c.off+"}")
		n := namesOf(m, nil)
		if got := slices.Contains(n.fails, id); got != c.want {
			t.Errorf("%s: default event for %s, off: %s: %s among the agents that can default: %v, want %v (%v)", name, id, c.off, id, got, c.want, n.fails)
		}
		if len(n.fails) != len(plain.fails)+map[bool]int{true: 1, false: 0}[c.want] {
			t.Errorf("off: %s: %d agents can default, want %d and %v", c.off, len(n.fails), len(plain.fails), c.want)
		}
	}
}
