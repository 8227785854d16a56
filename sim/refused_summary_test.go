package sim_test

import (
	"context"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// closedSender sends one order to the Nikkei's market at every tick it is
// closed, as a rule that does not wait for the open would.
type closedSender struct {
	m    *sim.Model
	nky  int
	sent int
}

func (c *closedSender) Begin(*sim.Model) error { return nil }
func (c *closedSender) End(*sim.Model) error   { return nil }
func (c *closedSender) Observe(f *sim.Frame) error {
	w := c.m.W
	if !w.Trades(c.nky) {
		w.Submit(core.Order{Holder: 1, Acct: 0, Asset: c.nky, Units: -1, Reason: core.Discretionary})
		c.sent++
	}
	return nil
}

// TestSummaryOrdersRefused: the summary counts the orders sent to a closed
// market over the run; aug2024's own agents send none.
func TestSummaryOrdersRefused(t *testing.T) {
	for _, send := range []bool{false, true} {
		sc, err := scenarios.Load("aug2024", nil)
		if err != nil {
			t.Fatal(err)
		}
		m, err := sim.Build(&sc.File.Config, 1)
		if err != nil {
			t.Fatal(err)
		}
		c := &closedSender{m: m, nky: -1}
		for i, a := range m.W.Assets {
			if a.ID == "NKY" {
				c.nky = i
			}
		}
		col := sim.NewCollector()
		obs := []sim.Observer{col}
		if send {
			obs = append([]sim.Observer{c}, obs...)
		}
		if err := m.Run(context.Background(), obs...); err != nil {
			t.Fatal(err)
		}
		got := col.S.OrdersRefused
		t.Logf("sending %v: %d sent to a closed market, %d counted", send, c.sent, got)
		if got != c.sent || send && c.sent < 10 {
			t.Errorf("sending %v: summary counts %d orders refused, %d were sent to a closed market", send, got, c.sent)
		}
	}
}
