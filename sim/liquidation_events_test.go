package sim_test

import (
	"context"
	"math"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// liquidations compares, tick by tick, the brokers' liquidation events with
// their default_liquidation sales.
type liquidations struct {
	logged, sold   float64
	covers, ticks  int
	worst, worstAt float64
}

func (l *liquidations) Begin(*sim.Model) error { return nil }
func (l *liquidations) End(*sim.Model) error   { return nil }
func (l *liquidations) Observe(f *sim.Frame) error {
	logged := 0.0
	for _, e := range f.Events {
		if e.Kind == core.EvLiquidation {
			logged += e.Amount
		}
	}
	sold := f.Sold[core.PrimeBroker][core.DefaultLiquidation]
	l.logged += logged
	l.sold += sold
	if sold > 0 {
		l.ticks++
	}
	if f.Bought[core.PrimeBroker][core.DefaultLiquidation] > 0 {
		l.covers++
	}
	if d := math.Abs(logged - sold); d > 1e-9*sold && d > l.worst {
		l.worst, l.worstAt = d, float64(f.Tick)
	}
	return nil
}

// TestLiquidationEventsAreSales: a broker's liquidation events add up, tick
// by tick, to its default_liquidation sales in the series: the seized
// collateral it sells and the currencies it sells to square the seized
// books, not the shorts it buys back. aug2024 at 2.5 times its leverage
// has many defaults, carry trades (yen to square) and basis trades (futures
// to buy back) among them.
func TestLiquidationEventsAreSales(t *testing.T) {
	sc, err := scenarios.Load("aug2024", []string{"leverage_scale=2.5"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Build(sc.File.Config.Clone(), sc.File.Seed)
	if err != nil {
		t.Fatal(err)
	}
	l := &liquidations{}
	if err := m.Run(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	t.Logf("events $%.4g, sales $%.4g over %d ticks; buy-backs in %d ticks", l.logged, l.sold, l.ticks, l.covers)
	if l.ticks < 10 || l.covers == 0 {
		t.Fatalf("%d ticks of liquidation sales, %d of buy-backs: the run does not exercise what the test is about", l.ticks, l.covers)
	}
	if l.worst > 0 {
		t.Errorf("liquidation events and sales differ by up to $%.6g (tick %.0f); in all, events $%.6g against sales $%.6g", l.worst, l.worstAt, l.logged, l.sold)
	}
}
