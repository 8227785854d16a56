package market

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestLayoffDustAtNotional: at the close a dealer passes on a slice of each
// inventory whose value in USD (w.NotionalUSD at the close's prices and
// rates) is at least 1e-5 of its capacity, and keeps a smaller one, for
// every kind of asset: an FX inventory valued at its base currency's rate,
// an equity priced in yen valued through the yen's rate, and prices moved
// a percent off their opens. Each inventory sits 0.1% above or below the
// bound.
func TestLayoffDustAtNotional(t *testing.T) {
	for _, above := range []bool{true, false} {
		w := newWorld(t)
		dh := fund(w, "dealer", core.Dealer, 1e8)
		m := newMarket(t, w, liqs(linear(0, 1, 0)), Conventions{}, []Dealer{{Holder: dh.Index, Share: 1, LevLimit: 10, UStar: 0.5, Floor: 0.2, LayoffHalfLife: 2}}, Funding{})
		m.Refresh(w)
		for i, r := range []float64{0.01, -0.01, 0.012, -0.011, 0.013} {
			w.Price[i] *= 1 + r
		}
		w.UpdateFX()
		w.PricesMoved()
		dust := 1e-5 * m.Dealers[0].Capacity()
		scale := 0.999
		if above {
			scale = 1.001
		}
		inv := make([]float64, nAssets)
		for i := range inv {
			inv[i] = -scale * dust / w.NotionalUSD(i, 1) // short: the dealer sold to a buyer
			if i == aUSDJPY {
				m.Dealers[0].inv[i] = inv[i] // its record of the dollars it is short
				continue
			}
			w.SetupTrade(dh, 0, i, inv[i])
		}
		m.Close(w)
		for i := range inv {
			now := dh.Accounts[0].Units[i]
			if i == aUSDJPY {
				now = m.Dealers[0].inv[i]
			}
			if passed := now != inv[i]; passed != above {
				t.Errorf("%s worth %.6g USD against dust %.6g: passed %v, want %v", w.Assets[i].ID, math.Abs(w.NotionalUSD(i, inv[i])), dust, passed, above)
			}
		}
	}
}
