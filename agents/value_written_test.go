package agents_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// TestValueInvestorDecideWritten compares each value investor's Decide
// with the rule as it was written before it was tuned (DecideWritten), bit
// for bit: the orders it queues and the state it leaves (anchors, trading
// ticks counted, next review, currency needs). Two investors, one reviewing
// every hour and one every three hours (so that a review covers one
// trading tick or several), watch dollar and yen assets through 400 ticks
// of random moves of up to 4%, with each market, the exchange rate's
// included, shut at random one tick in four; their orders are filled
// after each tick, so that they buy, hold and sell.
func TestValueInvestorDecideWritten(t *testing.T) {
	cfg := config("USDJPY", "UST10Y", "SPX", "NKY", "GOLD", "JGB10Y")
	cfg.Agents = []sim.AgentSpec{
		{Kind: "value_investor", Value: &agents.ValueInvestorSpec{ID: "hourly", Equity: 1e9,
			Assets: []string{"SPX", "NKY", "GOLD", "UST10Y"}, Intensity: 2, MaxShare: 0.3}},
		{Kind: "value_investor", Value: &agents.ValueInvestorSpec{ID: "slow", Equity: 5e8,
			Assets: []string{"NKY", "JGB10Y", "SPX"}, Intensity: 1, MaxShare: 0.5, ReviewDays: 3.0 / 24, Band: 0.02}},
	}
	m, _ := build(t, cfg)
	w := m.W
	investors := []*agents.ValueInvestor{agentOf[*agents.ValueInvestor](t, m, "hourly"), agentOf[*agents.ValueInvestor](t, m, "slow")}
	rng := rand.New(rand.NewPCG(7, 11))
	var buys, sells, shut, orders int
	for tick := 1; tick <= 400; tick++ {
		w.Tick = tick
		r := map[string]float64{}
		for _, a := range cfg.Assets {
			r[a.ID] = 0.04 * (2*rng.Float64() - 1)
		}
		move(t, m, r)
		w.Trading = nil
		if tick%5 != 0 {
			w.Trading = make([]bool, len(w.Assets))
			for i := range w.Trading {
				w.Trading[i] = rng.IntN(4) != 0
				if !w.Trading[i] {
					shut++
				}
			}
		}
		for _, v := range investors {
			s := v.State()
			got := decide(m, v)
			after := v.State()
			v.SetState(s)
			w.ResetOrders()
			v.DecideWritten(w)
			want := w.Orders()
			if len(got) != len(want) {
				t.Fatalf("tick %d, %s: %d orders, want %d: %+v, want %+v", tick, v.Holder().ID, len(got), len(want), got, want)
			}
			for k := range got {
				g, x := got[k], want[k]
				if g.Holder != x.Holder || g.Acct != x.Acct || g.Asset != x.Asset || g.Reason != x.Reason || math.Float64bits(g.Units) != math.Float64bits(x.Units) {
					t.Fatalf("tick %d, %s: order %d %+v, want %+v", tick, v.Holder().ID, k, g, x)
				}
				if w.Assets[g.Asset].Kind != core.FX {
					if g.Units > 0 {
						buys++
					} else {
						sells++
					}
				}
			}
			orders += len(got)
			ref := v.State()
			for k := range ref.Anchor {
				if math.Float64bits(after.Anchor[k]) != math.Float64bits(ref.Anchor[k]) || after.Open[k] != ref.Open[k] {
					t.Fatalf("tick %d, %s: asset %d anchor %v after %d ticks, want %v after %d", tick, v.Holder().ID, k, after.Anchor[k], after.Open[k], ref.Anchor[k], ref.Open[k])
				}
			}
			for c := range ref.FXNeed {
				if math.Float64bits(after.FXNeed[c]) != math.Float64bits(ref.FXNeed[c]) {
					t.Fatalf("tick %d, %s: currency %d needs %v, want %v", tick, v.Holder().ID, c, after.FXNeed[c], ref.FXNeed[c])
				}
			}
			if after.Next != ref.Next {
				t.Fatalf("tick %d, %s: next review at %d, want %d", tick, v.Holder().ID, after.Next, ref.Next)
			}
			v.SetState(after)
			m.M.Clear(w)
		}
	}
	// The comparison covered purchases, sales and shut markets.
	if buys < 50 || sells < 50 || shut < 200 {
		t.Errorf("%d orders: %d purchases and %d sales, %d shut markets: too few to compare", orders, buys, sells, shut)
	}
	t.Logf("%d orders: %d purchases, %d sales; %d shut markets", orders, buys, sells, shut)
}
