package agents_test

import (
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/internal/scentest"
)

// TestNoGroupInert: a hedge fund that no carry signal's group test answers
// for has qGroup noGroup, never nil, whose okTick no tick matches, so
// Decide's first test needs no nil check and fails on it. Through aug2024,
// whose funds' carry trades are answered for by their signals' group
// tests and then exit in the yen's unwind, every fund's qGroup is set
// after every tick, a fund is grouped only while one of its trades is
// active, the group tests answer for many rounds, and noGroup is never
// written.
func TestNoGroupInert(t *testing.T) {
	m := scentest.Build(t, "aug2024")
	if !agents.NoGroupIntact() {
		t.Fatal("noGroup written before the run")
	}
	in, out := 0, 0
	for tick := 0; tick < m.Cfg.Ticks; tick++ {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
		if !agents.NoGroupIntact() {
			t.Fatalf("tick %d: noGroup written", tick)
		}
		for _, f := range m.Funds {
			grouped, set := f.Grouped()
			if !set {
				t.Fatalf("tick %d, %s: qGroup nil", tick, f.Holder().ID)
			}
			active := false
			for _, tr := range f.Trades() {
				active = active || tr.Active
			}
			if grouped && !active {
				t.Errorf("tick %d, %s: grouped with no active trade", tick, f.Holder().ID)
			}
			if grouped {
				in++
			} else {
				out++
			}
		}
	}
	quiet := 0
	for _, f := range m.Funds {
		quiet += f.GroupQuiet
	}
	if in < 100 || out < 100 || quiet < 50 {
		t.Errorf("%d fund-ticks grouped, %d not, %d rounds answered by the group tests: the test did not cover both", in, out, quiet)
	}
	t.Logf("%d fund-ticks grouped, %d not; %d rounds answered by the group tests", in, out, quiet)
}
