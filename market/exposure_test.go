package market

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestDealerExposureWritten compares Dealer.Exposure bit for bit with its
// sum written out: each custody position's |notional| in the order held
// (the last asset included), not the account it holds at another lender,
// then the FX inventory, the weighted client financing and the seized
// currency, at prices and a rate moved off their opens.
func TestDealerExposureWritten(t *testing.T) {
	w := newWorld(t)
	other := fund(w, "other-pb", core.PrimeBroker, 1e8)
	h := fund(w, "pb", core.PrimeBroker, 1e8)
	client := fund(w, "client", core.HedgeFund, 0)
	w.SetupTrade(client, w.OpenAccount(client, h.Index, true), aEQ, 2e4)
	for i, q := range []float64{0, 1e4, 3e3, -1e4, 25} { // USDJPY (FX) held as cash, then EQ, UST, TY, NKY
		if q != 0 {
			w.SetupTrade(h, 0, i, q)
		}
	}
	w.SetupTrade(h, w.OpenAccount(h, other.Index, true), aUST, 7e3) // at another lender: not counted
	d := Dealer{Holder: h.Index, Share: 1, LevLimit: 4, UStar: 0.5, Floor: 0.2, FinancingWeight: 0.5,
		Seized: func(*core.World) float64 { return 1234.5 }}
	m := newMarket(t, w, liqs(linear(0, 1, 0)), Conventions{}, []Dealer{d}, Funding{})
	m.Dealers[0].inv[aUSDJPY] = -5e5
	for i, r := range []float64{0.003, -0.011, 0.002, 0.0021, -0.017} {
		w.Price[i] *= 1 + r
	}
	w.UpdateFX()
	w.PricesMoved()
	want := 0.0
	for _, i := range h.Accounts[0].Held {
		want += math.Abs(w.NotionalUSD(i, h.Accounts[0].Units[i]))
	}
	want += math.Abs(w.NotionalUSD(aUSDJPY, -5e5))
	want += float64(0.5 * w.ClientDebitsUSD(h))
	want += 1234.5
	if got := m.Dealers[0].Exposure(w); math.Float64bits(got) != math.Float64bits(want) || len(h.Accounts[0].Held) != 4 {
		t.Errorf("exposure %v, written out %v (custody holds %v)", got, want, h.Accounts[0].Held)
	}
}
