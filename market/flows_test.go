package market

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestFlowsByKindAsset: over several ticks of random orders from agents of
// four kinds, in two clearing rounds a tick, SoldKindAsset and
// BoughtKindAsset hold each kind's sales and purchases of each asset,
// every order valued at the price and exchange rate before its round (the
// valuation of Sold and Bought, whose sums over assets they equal); and
// what the orders of a tick net to in an asset, Σ kinds bought − sold, is
// the value of what the market's side took the other side of: the
// dealers' units (their FX inventory for an exchange rate), or without
// dealers the outside sector's, valued at each round's same prices.
func TestFlowsByKindAsset(t *testing.T) {
	for _, tc := range []struct {
		name    string
		dealers bool
	}{{"dealers", true}, {"outside sector", false}} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			var dealers []Dealer
			if tc.dealers {
				pb := fund(w, "pb", core.PrimeBroker, 1e10)
				d := fund(w, "dealer", core.Dealer, 1e10)
				dealers = []Dealer{
					{Holder: pb.Index, Share: 1, LevLimit: 20, UStar: 0.5, Floor: 0.2, LayoffHalfLife: 3},
					{Holder: d.Index, Share: 2, LevLimit: 10, UStar: 0.5, Floor: 0.2, LayoffHalfLife: 5},
				}
			}
			var traders []*core.Holder
			for _, k := range []core.AgentKind{core.HedgeFund, core.CTA, core.Bank, core.ValueInvestor} {
				traders = append(traders, fund(w, k.String(), k, 1e9))
			}
			absorbers := []*core.Holder{w.Holders[0]}
			for _, d := range dealers {
				absorbers = append(absorbers, w.Holders[d.Holder])
			}
			sq := Liquidity{Impact: SquareRoot, Y: 1, DailyVol: 0.01, ADV: 1e10, Permanent: 0.5, HalfLife: 12, FlowHalfLife: 6}
			m := newMarket(t, w, liqs(sq), Conventions{Execution: ExecPost}, dealers, Funding{})
			nk := int(core.NumAgentKinds)
			// held returns what the market's side holds of asset i.
			held := func(i int) float64 {
				if w.Assets[i].Kind == core.FX {
					s := 0.0
					for k := range m.Dealers {
						s += m.Dealers[k].inv[i]
					}
					return s
				}
				s := 0.0
				for _, h := range absorbers {
					for a := range h.Accounts {
						s += h.Accounts[a].Units[i]
					}
				}
				return s
			}
			rng := rand.New(rand.NewPCG(1, 2))
			size := []float64{2e6, 500, 3e4, 2e4, 30} // units of USDJPY, EQ, UST, TY, NKY
			for tick := 0; tick < 6; tick++ {
				w.Tick = tick
				if tick > 0 {
					m.Open(w)
				}
				x := make([]float64, nAssets)
				x[aUSDJPY], x[aNKY] = 0.003*float64(tick%3-1), -0.01
				m.ApplyExogenous(w, x)
				w.AdvanceAccrual()
				sold, bought := make([]float64, nk*nAssets), make([]float64, nk*nAssets)
				net, took := make([]float64, nAssets), make([]float64, nAssets)
				for round := 0; round < 2; round++ {
					w.ResetOrders()
					for _, h := range traders {
						for i := 0; i < nAssets; i++ {
							if rng.Float64() < 0.3 {
								continue
							}
							w.Submit(core.Order{Holder: h.Index, Asset: i, Units: size[i] * (2*rng.Float64() - 1)})
						}
					}
					v, before := make([]float64, nAssets), make([]float64, nAssets)
					for i := range v {
						v[i], before[i] = w.NotionalUSD(i, 1), held(i)
					}
					for _, o := range w.Orders() {
						usd := math.Abs(o.Units) * v[o.Asset]
						if k := int(w.Holders[o.Holder].Kind)*nAssets + o.Asset; o.Units < 0 {
							sold[k] += usd
						} else {
							bought[k] += usd
						}
						net[o.Asset] += o.Units * v[o.Asset]
					}
					m.Clear(w)
					for i := range took {
						took[i] += (held(i) - before[i]) * v[i]
					}
				}
				for k := 0; k < nk; k++ {
					var s, b float64
					for i := 0; i < nAssets; i++ {
						j := k*nAssets + i
						if !closeTo(m.SoldKindAsset[j], sold[j], 1e-9*sold[j]) || !closeTo(m.BoughtKindAsset[j], bought[j], 1e-9*bought[j]) {
							t.Errorf("tick %d: %s in %s sold %v, bought %v; want %v and %v", tick, core.AgentKind(k), w.Assets[i].ID,
								m.SoldKindAsset[j], m.BoughtKindAsset[j], sold[j], bought[j])
						}
						s += m.SoldKindAsset[j]
						b += m.BoughtKindAsset[j]
					}
					var rs, rb float64
					for r := range m.Sold[k] {
						rs += m.Sold[k][r]
						rb += m.Bought[k][r]
					}
					if !closeTo(s, rs, 1e-9*rs) || !closeTo(b, rb, 1e-9*rb) {
						t.Errorf("tick %d: %s sold %v and bought %v over assets, %v and %v over reasons", tick, core.AgentKind(k), s, b, rs, rb)
					}
				}
				for i := 0; i < nAssets; i++ {
					flow, gross := 0.0, 0.0
					for k := 0; k < nk; k++ {
						flow += m.BoughtKindAsset[k*nAssets+i] - m.SoldKindAsset[k*nAssets+i]
						gross += m.BoughtKindAsset[k*nAssets+i] + m.SoldKindAsset[k*nAssets+i]
					}
					if gross == 0 {
						t.Fatalf("tick %d: no order in %s", tick, w.Assets[i].ID)
					}
					if !closeTo(flow, net[i], 1e-9*gross) {
						t.Errorf("tick %d: %s: orders net to %v, bought − sold %v", tick, w.Assets[i].ID, net[i], flow)
					}
					if w.Assets[i].Kind == core.FX && !tc.dealers {
						continue // the outside sector keeps no FX inventory apart from its cash
					}
					if !closeTo(flow, -took[i], 1e-9*gross) {
						t.Errorf("tick %d: %s: bought − sold %v, the market's side took %v", tick, w.Assets[i].ID, flow, took[i])
					}
				}
				m.Close(w)
			}
		})
	}
}
