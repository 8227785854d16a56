package sim_test

import (
	"context"
	"math"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/internal/scentest"
	"github.com/cascade-sim/cascade/sim"
)

// pickupCheck compares, after every tick, each insurer's pickups read at
// the frame's yields (what the collector, the recorder and a sweep's
// series read) with the pickups computed from the world's prices.
type pickupCheck struct {
	t        *testing.T
	name     string
	ins      []*agents.Insurer
	ticks, n int
}

func (c *pickupCheck) Begin(m *sim.Model) error { c.ins = m.Insurers(); return nil }
func (c *pickupCheck) End(*sim.Model) error     { return nil }
func (c *pickupCheck) Observe(f *sim.Frame) error {
	w := f.Model.W
	for _, n := range c.ins {
		ph, pu := n.PickupsAt(w, f.Yield)
		if wh, wu := n.Pickup(w), n.PickupUnhedged(w); math.Float64bits(ph) != math.Float64bits(wh) || math.Float64bits(pu) != math.Float64bits(wu) {
			c.t.Errorf("%s tick %d %s: pickups at the frame's yields %v, %v; from the prices %v, %v", c.name, f.Tick, n.Holder().ID, ph, pu, wh, wu)
		}
		c.n++
	}
	c.ticks++
	return nil
}

// TestInsurerPickupsAt: the observers read an insurer's pickups at the
// frame's yields, which the engine has already taken, instead of
// computing the bonds' yields again; the two are the same bits at every
// tick, with a home bond (aug2024, boj2026, with a fx_risk_premium) and
// without one (mini).
func TestInsurerPickupsAt(t *testing.T) {
	for _, c := range []struct {
		name string
		sets []string
	}{
		{"mini", nil},
		{"aug2024", nil},
		{"boj2026", []string{"agents.*.fx_risk_premium=0.03"}},
	} {
		m := scentest.Build(t, c.name, c.sets...)
		chk := &pickupCheck{t: t, name: c.name}
		if err := m.Run(context.Background(), chk); err != nil {
			t.Fatal(err)
		}
		if chk.n == 0 || chk.n < chk.ticks {
			t.Errorf("%s: %d checks over %d ticks: no insurer read", c.name, chk.n, chk.ticks)
		}
	}
}
