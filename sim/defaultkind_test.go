package sim

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/core"
)

// feedDefaults hands the collector a frame in which every fund of the
// model defaults.
type feedDefaults struct {
	c     *Collector
	stop  context.CancelFunc
	taken time.Duration
}

func (o *feedDefaults) Begin(m *Model) error { return o.c.Begin(m) }
func (o *feedDefaults) End(*Model) error     { return nil }
func (o *feedDefaults) Observe(f *Frame) error {
	f.Events = f.Events[:0]
	for _, fund := range f.Model.Funds {
		f.Events = append(f.Events, core.Event{Tick: f.Tick, Kind: core.EvDefault, Agent: fund.Holder().ID})
	}
	t := time.Now()
	err := o.c.Observe(f)
	o.taken = time.Since(t)
	o.stop()
	return err
}

// TestManyDefaultsInATick: the summary names each defaulted agent's kind
// when 40,000 funds default in one tick. The collector scanned every
// holder for each default, quadratic: a 100,000-agent cascade run spent
// minutes in one tick (and ignored Ctrl-C there); it looks the kinds up in
// a map now. (How long it takes is for benchmarks, not tests: the time is
// only logged.)
func TestManyDefaultsInATick(t *testing.T) {
	cfg := testWorld(20_000)
	m, err := Build(cfg, core.RunSeed(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := &feedDefaults{c: NewCollector(), stop: cancel}
	if err := m.Run(ctx, o); !errors.Is(err, context.Canceled) {
		t.Fatalf("run: %v, want context canceled after one tick", err)
	}
	d := o.c.defaults
	if len(d) != len(m.Funds) || len(d) < 40_000 {
		t.Fatalf("%d defaults recorded, want one for each of the %d funds", len(d), len(m.Funds))
	}
	for _, k := range []int{0, len(d) / 2, len(d) - 1} {
		if d[k].Kind != "hedge_fund" || d[k].Agent != m.Funds[k].Holder().ID {
			t.Errorf("default %d: %+v, want %s, a hedge_fund", k, d[k], m.Funds[k].Holder().ID)
		}
	}
	t.Logf("the collector took %v over %d defaults", o.taken, len(d))
}
