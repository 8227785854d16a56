package market

import (
	"math"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/core"
)

// Asset indices of newWorld.
const (
	aUSDJPY = iota // FX, JPY per USD, 150
	aEQ            // equity, USD, 100
	aUST           // bond, USD, 100
	aTY            // future on aUST, USD, 110
	aNKY           // equity, JPY, 38000
	nAssets
)

// newWorld returns an hourly world of five assets in USD and JPY with the
// outside sector as holder 0, calm estimators and zero rates.
func newWorld(t testing.TB) *core.World {
	t.Helper()
	assets := []core.Asset{
		{ID: "USDJPY", Kind: core.FX, Currency: 1, Base: core.USD, Price0: 150, Vol: 0.10, Underlying: -1, ADV: 4e11},
		{ID: "EQ", Kind: core.Equity, Currency: core.USD, Base: -1, Price0: 100, Vol: 0.16, Underlying: -1, ADV: 1e9},
		{ID: "UST", Kind: core.Bond, Currency: core.USD, Base: -1, Price0: 100, Vol: 0.06, Duration: 8, Yield0: 0.04, Underlying: -1, ADV: 6e11},
		{ID: "TY", Kind: core.Future, Currency: core.USD, Base: -1, Price0: 110, Vol: 0.06, Duration: 8, Underlying: aUST, Beta: 1, ADV: 5e11},
		{ID: "NKY", Kind: core.Equity, Currency: 1, Base: -1, Price0: 38000, Vol: 0.2, Underlying: -1, ADV: 1e10},
	}
	w := &core.World{Start: time.Date(2024, 8, 5, 0, 0, 0, 0, time.UTC), TickLen: time.Hour, PerDay: 24, PerYear: 8760, DT: 1.0 / 8760,
		Assets: assets, Currencies: []string{"USD", "JPY"}, NCur: 2}
	for c := range w.FXPair {
		w.FXPair[c] = -1
	}
	w.FXPair[1] = aUSDJPY
	n := len(assets)
	w.Price, w.Open, w.Price0, w.Yields = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	vol0 := make([]float64, n)
	for i := range assets {
		w.Price[i] = assets[i].Price0
		w.Yields[i] = math.NaN()
		vol0[i] = assets[i].Vol / math.Sqrt(w.PerYear)
	}
	copy(w.Open, w.Price)
	copy(w.Price0, w.Price)
	w.UpdateFX()
	w.UpdateYields()
	w.Est = core.NewEstimators(vol0, nil)
	w.Channels = core.AllOn()
	w.AddHolder("outside", core.Outside)
	return w
}

// linear returns a linear impact of lambda per unit with the given
// permanent share and temporary half-life (ticks).
func linear(lambda, permanent, halfLife float64) Liquidity {
	return Liquidity{Impact: Linear, Lambda: lambda, Permanent: permanent, HalfLife: halfLife}
}

// liqs returns one liquidity spec per asset of newWorld, l for every asset.
func liqs(l Liquidity) []Liquidity {
	out := make([]Liquidity, nAssets)
	for i := range out {
		out[i] = l
	}
	return out
}

// newMarket builds a market on w and opens the first tick.
func newMarket(t testing.TB, w *core.World, liq []Liquidity, conv Conventions, dealers []Dealer, f Funding) *Market {
	t.Helper()
	m, err := New(w, liq, conv, dealers, f)
	if err != nil {
		t.Fatal(err)
	}
	m.Open(w)
	return m
}

// fund adds a holder of the given kind with cash in USD.
func fund(w *core.World, id string, kind core.AgentKind, cash float64) *core.Holder {
	h := w.AddHolder(id, kind)
	w.Endow(h, core.USD, cash)
	return h
}

// audit fails the test unless units and money summed over all holders equal
// units0 and cash0 and every holder's Book equals its assets minus
// liabilities (after settling), each to 1e-9 of the gross sums.
func audit(t *testing.T, w *core.World, units0 []float64, cash0 core.Money, stage string) {
	t.Helper()
	w.SettleAll()
	units, cash := make([]float64, len(w.Assets)), core.Money{}
	gu, gc := make([]float64, len(w.Assets)), core.Money{}
	for _, h := range w.Holders {
		for k := range h.Accounts {
			for i, u := range h.Accounts[k].Units {
				units[i] += u
				gu[i] += math.Abs(u)
			}
		}
		for c := 0; c < w.NCur; c++ {
			cash[c] += h.Cash[c]
			gc[c] += math.Abs(h.Cash[c])
		}
		a, l := h.AssetsLiabilities(w)
		if d := math.Abs(h.Book - (a - l)); d > 1e-9*math.Max(a+l, 1) {
			t.Errorf("%s: %s Book %.12g != equity %.12g", stage, h.ID, h.Book, a-l)
		}
	}
	for i := range units {
		if units0 != nil && math.Abs(units[i]-units0[i]) > 1e-9*math.Max(gu[i], 1) {
			t.Errorf("%s: units of %s %v, want %v", stage, w.Assets[i].ID, units[i], units0[i])
		}
	}
	for c := 0; c < w.NCur; c++ {
		if math.Abs(cash[c]-cash0[c]) > 1e-9*math.Max(gc[c], 1) {
			t.Errorf("%s: %s money %v, want %v", stage, w.Currencies[c], cash[c], cash0[c])
		}
	}
}

// totals returns units per asset and money per currency over all holders.
func totals(w *core.World) ([]float64, core.Money) {
	u := make([]float64, len(w.Assets))
	var c core.Money
	for _, h := range w.Holders {
		for k := range h.Accounts {
			for i, v := range h.Accounts[k].Units {
				u[i] += v
			}
		}
		for j := 0; j < w.NCur; j++ {
			c[j] += h.Cash[j]
		}
	}
	return u, c
}

// closeTo reports whether got is within tol of want.
func closeTo(got, want, tol float64) bool { return math.Abs(got-want) <= tol }
