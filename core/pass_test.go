package core

import (
	"slices"
	"testing"
)

// TestPassAllSettledExact compares PassAllSettledAtMark with
// PassSettledAtMark called for each asset with a nonzero amount, in asset
// order, store for store: units to the bit, held lists, cash, flags and
// the watch, for a dealer holding every asset and passing part of a
// position, all of it, more (a short opens), a hair less than all (Add's
// cancellation), adding to it, or nothing, spread over the assets in
// turn, with the outside sector holding some of them before; and passes
// that leave every position held, where only keep raises the flags.
func TestPassAllSettledExact(t *testing.T) {
	mixed := []float64{37.5, 100, 0, 160, 100 * (1 - 1e-14), -25, 0, 3e-3}
	var patterns [][]float64
	for shift := range mixed { // every amount on every asset
		q := make([]float64, nTestAssets)
		for i := range q {
			q[i] = mixed[(i+shift)%len(mixed)]
		}
		patterns = append(patterns, q)
	}
	// Positions that all stay held, on both sides: only keep raises the
	// flags; and one asset alone, of each kind.
	patterns = append(patterns, []float64{0, 0, 37.5, -25, 0, 3e-3, 0, 0}, []float64{0, 0, 0, 0, 0, 12, 0, 0},
		[]float64{0, 7, 0, 0, 0, 0, 0, 0}, []float64{0, 0, 0, 5, 0, 0, 0, 0})
	for shift, q := range patterns {
		var w [2]*World
		var d [2]*Holder
		var watch [2][2]bool
		for k := range w {
			w[k] = newTestWorld(t)
			d[k] = w[k].AddHolder("dealer", Dealer)
			w[k].Endow(d[k], USD, 1e9)
			for i := 0; i < nTestAssets; i++ {
				if w[k].Assets[i].Kind != FX {
					w[k].SetupTrade(d[k], 0, i, 100)
				}
			}
			out := w[k].Holders[0]
			out.Accounts[0].Units[aSPX] = 50 // held before: its side stays held
			out.Accounts[0].Held = append(out.Accounts[0].Held, aSPX)
			d[k].Accounts[0].Watch, out.Accounts[0].Watch = &watch[k][0], &watch[k][1]
			setPrices(w[k], map[int]float64{aUSDJPY: 151, aEURUSD: 1.09, aUST: 99, aTY: 108.5, aNKY: 37500, aSPX: 5300, aJGB: 98, aDAX: 18000})
			w[k].Settle(d[k])
			w[k].Settle(out)
			d[k].Accounts[0].Dirty, d[k].Accounts[0].Stale = false, false
			out.Accounts[0].Dirty, out.Accounts[0].Stale = false, false
		}
		w[0].PassAllSettledAtMark(d[0], w[0].Holders[0], q)
		for i, qi := range q {
			if qi != 0 {
				w[1].PassSettledAtMark(d[1], w[1].Holders[0], i, qi)
			}
		}
		if watch[0] != watch[1] {
			t.Errorf("shift %d: watches %v, one asset at a time %v", shift, watch[0], watch[1])
		}
		for h := range w[0].Holders {
			a, b := w[0].Holders[h], w[1].Holders[h]
			aa, ba := &a.Accounts[0], &b.Accounts[0]
			same := a.Cash == b.Cash && a.Book == b.Book && a.PnL == b.PnL &&
				slices.Equal(aa.Held, ba.Held) && aa.Dirty == ba.Dirty && aa.Stale == ba.Stale
			for i := range aa.Units {
				same = same && sameBits(aa.Units[i], ba.Units[i])
			}
			if !same {
				t.Errorf("shift %d, %s: units %v held %v cash %v dirty %v stale %v; one asset at a time: units %v held %v cash %v dirty %v stale %v",
					shift, a.ID, aa.Units, aa.Held, a.Cash, aa.Dirty, aa.Stale, ba.Units, ba.Held, b.Cash, ba.Dirty, ba.Stale)
			}
		}
	}
}
