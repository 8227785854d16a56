package market

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestResetReportsClearsAll: Open clears only the per-tick reports of the
// assets that traded and the agent kinds that traded (resetReports), and
// that leaves every report all zero (+0, bit for bit), as a clear of every
// entry does. Ticks of random orders from agents of four kinds, for
// reasons at random, on a random subset of the assets (none in some
// ticks), with and without dealers, netted and sequential.
func TestResetReportsClearsAll(t *testing.T) {
	for _, tc := range []struct {
		name       string
		dealers    bool
		sequential bool
	}{{"dealers", true, false}, {"outside sector", false, false}, {"sequential", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			var dealers []Dealer
			if tc.dealers {
				d := fund(w, "dealer", core.Dealer, 1e10)
				dealers = []Dealer{{Holder: d.Index, Share: 1, LevLimit: 10, UStar: 0.5, Floor: 0.2, LayoffHalfLife: 5}}
			}
			var traders []*core.Holder
			for _, k := range []core.AgentKind{core.HedgeFund, core.CTA, core.Bank, core.ValueInvestor} {
				traders = append(traders, fund(w, k.String(), k, 1e9))
			}
			sq := Liquidity{Impact: SquareRoot, Y: 1, DailyVol: 0.01, ADV: 1e10, Permanent: 0.5, HalfLife: 12, FlowHalfLife: 6}
			m := newMarket(t, w, liqs(sq), Conventions{Sequential: tc.sequential}, dealers, Funding{})
			rng := rand.New(rand.NewPCG(3, 4))
			size := []float64{2e6, 500, 3e4, 2e4, 30} // units of USDJPY, EQ, UST, TY, NKY
			dirty, quiet := 0, 0
			for tick := 0; tick < 40; tick++ {
				w.Tick = tick
				m.ApplyExogenous(w, make([]float64, nAssets))
				w.AdvanceAccrual()
				if tick%5 == 4 {
					quiet++ // nothing trades
				} else {
					for round := 0; round < 1+rng.IntN(2); round++ {
						w.ResetOrders()
						for _, h := range traders {
							for i := 0; i < nAssets; i++ {
								if rng.IntN(3) != 0 {
									continue
								}
								w.Submit(core.Order{Holder: h.Index, Asset: i, Units: size[i] * (2*rng.Float64() - 1),
									Reason: core.Reason(rng.IntN(int(core.NumReasons)))})
							}
						}
						m.Clear(w)
					}
				}
				if m.Kinds != 0 {
					dirty++
				}
				m.Close(w)
				m.Open(w)
				for _, r := range []struct {
					name string
					v    []float64
				}{{"Impact", m.Impact}, {"SoldAsset", m.SoldAsset}, {"AttrKind", m.AttrKind}, {"AttrReason", m.AttrReason},
					{"SoldKindAsset", m.SoldKindAsset}, {"BoughtKindAsset", m.BoughtKindAsset}} {
					for j, x := range r.v {
						if math.Float64bits(x) != 0 {
							t.Errorf("tick %d: after Open, %s[%d] = %v, want +0", tick, r.name, j, x)
						}
					}
				}
				for k := range m.Sold {
					for r := range m.Sold[k] {
						if math.Float64bits(m.Sold[k][r]) != 0 || math.Float64bits(m.Bought[k][r]) != 0 {
							t.Errorf("tick %d: after Open, Sold[%d][%d] = %v, Bought %v, want +0", tick, k, r, m.Sold[k][r], m.Bought[k][r])
						}
					}
				}
				if len(m.Traded) != 0 || m.Kinds != 0 || m.Reasons != 0 || m.Rounds != 0 {
					t.Errorf("tick %d: after Open, Traded %v, Kinds %b, Reasons %b, Rounds %d", tick, m.Traded, m.Kinds, m.Reasons, m.Rounds)
				}
				for i, tr := range m.traded {
					if tr {
						t.Errorf("tick %d: after Open, asset %d still marked traded", tick, i)
					}
				}
			}
			if dirty < 20 || quiet == 0 {
				t.Fatalf("%d ticks with trades and %d without: the test exercises too little", dirty, quiet)
			}
		})
	}
}
