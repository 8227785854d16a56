package sim_test

import (
	"context"
	"math"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// brokerProbe keeps each tick's broker state, the kinds' margin
// requirement and the stress events of each broker.
type brokerProbe struct {
	stats    [][]sim.BrokerStats
	kindsReq []float64
	events   []core.Event
	ticks    []int
}

func (p *brokerProbe) Begin(*sim.Model) error { return nil }
func (p *brokerProbe) End(*sim.Model) error   { return nil }
func (p *brokerProbe) Observe(f *sim.Frame) error {
	p.stats = append(p.stats, append([]sim.BrokerStats(nil), f.Brokers()...))
	req := 0.0
	for _, k := range f.Kinds() {
		req += k.MarginReq
	}
	p.kindsReq = append(p.kindsReq, req)
	for _, e := range f.Events {
		if e.Kind == core.EvStress {
			p.events = append(p.events, e)
			p.ticks = append(p.ticks, f.Tick)
		}
	}
	return nil
}

// TestBrokerStats checks the per-broker series against what else the run
// reports: the brokers' client requirements add up to the kinds'; a
// broker is stressed from the tick it logs "offsets dropped" to the tick
// it logs "offsets restored"; a scripted margin change shows in its
// haircut multiple exactly; and the summary's brokers section is the
// series summed up.
func TestBrokerStats(t *testing.T) {
	const at, mult = 10, 1.5
	// mini's broker GS without procyclical widening or tightening: its
	// haircuts move by the scripted change alone.
	sc, err := scenarios.Load("mini", []string{"brokers.0.kappa=0", "brokers.0.tighten=0"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &sc.File.Config
	cfg.Events = append(cfg.Events, sim.EventSpec{Tick: at, Kind: "haircut", Broker: "GS", Multiplier: mult})
	m, err := sim.Build(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	p, c := &brokerProbe{}, sim.NewCollector()
	if err := m.Run(context.Background(), p, c); err != nil {
		t.Fatal(err)
	}
	if len(p.stats) != cfg.Ticks || len(p.stats[0]) != 1 || p.stats[0][0].ID != "GS" {
		t.Fatalf("%d ticks of %d brokers, want %d of GS", len(p.stats), len(p.stats[0]), cfg.Ticks)
	}
	// The stress events, in order, turn the flag on and off.
	stressed, next, nStressed := false, 0, 0
	peak, peakTick := math.Inf(-1), -1
	for tick, bs := range p.stats {
		b := bs[0]
		for ; next < len(p.ticks) && p.ticks[next] == tick; next++ {
			stressed = p.events[next].Detail != "offsets restored"
		}
		if b.Stressed != stressed {
			t.Errorf("tick %d: stressed %v, but the stress events say %v", tick, b.Stressed, stressed)
		}
		if b.Stressed {
			nStressed++
		}
		if b.Util > peak {
			peak, peakTick = b.Util, tick
		}
		if d := math.Abs(b.MarginReq - p.kindsReq[tick]); d > 1e-9*p.kindsReq[tick] {
			t.Errorf("tick %d: GS's clients' requirement %.6g, the kinds' %.6g", tick, b.MarginReq, p.kindsReq[tick])
		}
		want := 1.0
		if tick >= at {
			want = mult
		}
		if math.Abs(b.HaircutMultiple-want) > 1e-12 {
			t.Errorf("tick %d: haircut multiple %.15g, want %g", tick, b.HaircutMultiple, want)
		}
		if b.Equity <= 0 || b.Util <= 0 || b.Util > 1 {
			t.Errorf("tick %d: equity %g, utilization %g", tick, b.Equity, b.Util)
		}
	}
	if nStressed == 0 || nStressed == cfg.Ticks {
		t.Errorf("GS stressed in %d of %d ticks: the test needs both states", nStressed, cfg.Ticks)
	}
	s := c.S.Brokers["GS"]
	if s == nil {
		t.Fatal("no summary of GS")
	}
	if s.StressedTicks != nStressed || s.FirstStressedTick != p.ticks[0] {
		t.Errorf("summary: stressed %d ticks from %d, the series %d from %d", s.StressedTicks, s.FirstStressedTick, nStressed, p.ticks[0])
	}
	if float64(s.UtilPeak) != peak || s.UtilPeakTick != peakTick || float64(s.UtilStart) != p.stats[0][0].Util {
		t.Errorf("summary: utilization %g at start, peak %g at %d; the series %g, %g at %d", s.UtilStart, s.UtilPeak, s.UtilPeakTick, p.stats[0][0].Util, peak, peakTick)
	}
	if float64(s.HaircutMultiplePeak) != mult {
		t.Errorf("summary: haircut multiple peak %g, want %g", s.HaircutMultiplePeak, mult)
	}
}
