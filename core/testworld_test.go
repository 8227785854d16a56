package core

import (
	"math"
	"testing"
	"time"
)

// Asset indices of newTestWorld.
const (
	aUSDJPY = iota // FX, JPY per USD (base USD)
	aEURUSD        // FX, USD per EUR (base EUR)
	aUST           // bond, USD
	aTY            // future on aUST, USD
	aNKY           // equity, JPY
	aSPX           // equity, USD
	aJGB           // bond, JPY
	aDAX           // equity, EUR
	nTestAssets
)

// Currency indices of newTestWorld.
const (
	cJPY = 1
	cEUR = 2
)

// newTestWorld returns an hourly world of eight assets in USD, JPY and EUR
// with the outside sector as holder 0, calm estimators, identity calm
// correlations and zero rates. Prices are round numbers chosen so that
// hand computations stay exact where they can (EURUSD = 1.25).
func newTestWorld(t testing.TB) *World {
	t.Helper()
	assets := []Asset{
		{ID: "USDJPY", Kind: FX, Currency: cJPY, Base: USD, Price0: 150, Vol: 0.10, Underlying: -1, ADV: 4e11},
		{ID: "EURUSD", Kind: FX, Currency: USD, Base: cEUR, Price0: 1.25, Vol: 0.08, Underlying: -1, ADV: 3e11},
		{ID: "UST10Y", Kind: Bond, Currency: USD, Base: -1, Price0: 100, Vol: 0.065, Duration: 8, Yield0: 0.042, Underlying: -1, ADV: 6e11},
		{ID: "TY", Kind: Future, Currency: USD, Base: -1, Price0: 110, Vol: 0.065, Duration: 8, Underlying: aUST, Beta: 1, ADV: 5e11},
		{ID: "NKY", Kind: Equity, Currency: cJPY, Base: -1, Price0: 38000, Vol: 0.20, Underlying: -1, ADV: 1e10},
		{ID: "SPX", Kind: Equity, Currency: USD, Base: -1, Price0: 5400, Vol: 0.15, Underlying: -1, ADV: 1e11},
		{ID: "JGB10Y", Kind: Bond, Currency: cJPY, Base: -1, Price0: 100, Vol: 0.03, Duration: 9, Yield0: 0.01, Underlying: -1, ADV: 5e10},
		{ID: "DAX", Kind: Equity, Currency: cEUR, Base: -1, Price0: 18000, Vol: 0.18, Underlying: -1, ADV: 2e10},
	}
	w := &World{
		Start: time.Date(2024, 7, 29, 0, 0, 0, 0, time.UTC), TickLen: time.Hour,
		PerDay: 24, PerYear: 365 * 24, DT: 1.0 / (365 * 24),
		Assets: assets, Currencies: []string{"USD", "JPY", "EUR"}, NCur: 3,
	}
	for c := range w.FXPair {
		w.FXPair[c] = -1
	}
	w.FXPair[cJPY], w.FXPair[cEUR] = aUSDJPY, aEURUSD
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
	w.Est = NewEstimators(vol0, nil)
	w.Channels = AllOn()
	w.AddHolder("outside", Outside)
	return w
}

// setPrices moves the prices given as asset→price, refreshes exchange rates
// and yields and marks every holder stale, as package market does.
func setPrices(w *World, p map[int]float64) {
	for i, v := range p {
		w.Price[i] = v
	}
	w.UpdateFX()
	w.UpdateYields()
	w.PricesMoved()
}

// near reports whether got is within rel (relative to max(|want|, 1)) of want.
func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1)
}

// checkBook fails the test unless every holder's ledger equity (Book) equals
// assets minus liabilities from its balance sheet to 1e-9 relative to the
// gross balance sheet. It settles every holder first.
func checkBook(t *testing.T, w *World, stage string) {
	t.Helper()
	w.SettleAll()
	for _, h := range w.Holders {
		a, l := h.AssetsLiabilities(w)
		if d := math.Abs(h.Book - (a - l)); d > 1e-9*math.Max(a+l, 1) {
			t.Errorf("%s: %s: Book %.12g != assets %.12g - liabilities %.12g (off by %.3g)", stage, h.ID, h.Book, a, l, h.Book-(a-l))
		}
	}
}

// totalsOf returns the units of every asset and the money in every
// currency summed over all holders, the sums of client balances as booked
// by clients and by lenders, and the gross (absolute) size of each sum.
func totalsOf(w *World) (units, grossUnits []float64, cash, bal, clientBal, gross Money) {
	units, grossUnits = make([]float64, len(w.Assets)), make([]float64, len(w.Assets))
	for _, h := range w.Holders {
		for k := range h.Accounts {
			for i, u := range h.Accounts[k].Units {
				units[i] += u
				grossUnits[i] += math.Abs(u)
			}
			for c := 0; c < w.NCur; c++ {
				bal[c] += h.Accounts[k].Bal[c]
				gross[c] += math.Abs(h.Accounts[k].Bal[c])
			}
		}
		for c := 0; c < w.NCur; c++ {
			cash[c] += h.Cash[c]
			clientBal[c] += h.ClientBal[c]
			gross[c] += math.Abs(h.Cash[c])
		}
	}
	return
}

// checkConserved fails the test unless units and money summed over all
// holders equal units0 and cash0 and client balances net against the
// lenders' record of them, to 1e-12 of the gross sums.
func checkConserved(t *testing.T, w *World, units0 []float64, cash0 Money, stage string) {
	t.Helper()
	units, gu, cash, bal, cb, gross := totalsOf(w)
	for i := range units {
		if math.Abs(units[i]-units0[i]) > 1e-12*math.Max(gu[i], 1) {
			t.Errorf("%s: units of %s %.17g, want %.17g", stage, w.Assets[i].ID, units[i], units0[i])
		}
	}
	for c := 0; c < w.NCur; c++ {
		tol := 1e-12 * math.Max(gross[c], 1)
		if math.Abs(cash[c]-cash0[c]) > tol {
			t.Errorf("%s: %s money %.17g, want %.17g", stage, w.Currencies[c], cash[c], cash0[c])
		}
		if math.Abs(bal[c]-cb[c]) > tol {
			t.Errorf("%s: %s client balances %.17g, lenders' record %.17g", stage, w.Currencies[c], bal[c], cb[c])
		}
	}
}
