package core

import (
	"math"
	"math/rand"
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
			if !sameBooks(a, b) {
				t.Errorf("shift %d, %s: units %v held %v cash %v dirty %v stale %v; one asset at a time: units %v held %v cash %v dirty %v stale %v",
					shift, a.ID, aa.Units, aa.Held, a.Cash, aa.Dirty, aa.Stale, ba.Units, ba.Held, b.Cash, ba.Dirty, ba.Stale)
			}
		}
	}
}

// TestFillEachExact compares FillEach with Fill called for each listed
// asset in turn, store for store: units to the bit, held lists, cash,
// balances at the lender and its sums, the ledger and the flags, for a
// custody account and a client account at a broker, through amounts that
// keep, close, flip, open and cancel positions, at prices off the mark, on
// lists of every asset, a few, one and none.
func TestFillEachExact(t *testing.T) {
	amounts := []float64{37.5, -100, -160, -100 * (1 - 1e-14), 25, 3e-3, -0.7, 12}
	lists := [][]int{{0, 1, 2, 3, 4, 5, 6, 7}, {aUST, aTY, aSPX}, {aUSDJPY}, {aNKY}, {aTY}, {aJGB, aDAX}, nil}
	for _, acct := range []int{0, 1} {
		for li, list := range lists {
			for shift := range amounts {
				var w [2]*World
				var h [2]*Holder
				var watch [2]bool
				for k := range w {
					w[k] = newTestWorld(t)
					b := w[k].AddHolder("broker", PrimeBroker)
					w[k].Endow(b, USD, 1e9)
					h[k] = w[k].AddHolder("fund", HedgeFund)
					if acct == 1 {
						w[k].OpenAccount(h[k], b.Index, false)
					}
					w[k].Endow(h[k], USD, 1e9)
					for i := 0; i < nTestAssets; i++ {
						if w[k].Assets[i].Kind != FX && i != aDAX { // DAX opens from nothing
							w[k].SetupTrade(h[k], acct, i, 100)
						}
					}
					setPrices(w[k], map[int]float64{aUSDJPY: 151, aEURUSD: 1.09, aUST: 99, aTY: 108.5, aNKY: 37500, aSPX: 5300, aJGB: 98, aDAX: 18000})
					w[k].Settle(h[k])
					acc := &h[k].Accounts[acct]
					acc.Dirty, acc.Stale, acc.Watch = false, false, &watch[k]
				}
				q, x, mark := make([]float64, nTestAssets), make([]float64, nTestAssets), make([]float64, nTestAssets)
				for i := range q {
					q[i] = amounts[(i+shift)%len(amounts)]
					mark[i] = w[0].Price[i]
					x[i] = mark[i] * (1 + 0.003*float64(i-3))
				}
				fx := w[0].FXUSD
				share := []float64{1, 0.37, 2.0 / 3}[shift%3]
				w[0].FillEach(h[0], acct, list, q, share, x, mark, &fx)
				for _, i := range list {
					w[1].Fill(h[1], acct, i, q[i]*share, x[i], mark[i], &fx)
				}
				if watch[0] != watch[1] {
					t.Errorf("account %d, list %d, shift %d: watch %v, one asset at a time %v", acct, li, shift, watch[0], watch[1])
				}
				for k := range w[0].Holders {
					a, b := w[0].Holders[k], w[1].Holders[k]
					same := a.Cash == b.Cash && a.Book == b.Book && a.PnL == b.PnL && a.ClientBal == b.ClientBal && a.Debits == b.Debits &&
						len(a.Accounts) == len(b.Accounts)
					for j := range a.Accounts {
						aa, ba := &a.Accounts[j], &b.Accounts[j]
						same = same && slices.Equal(aa.Held, ba.Held) && aa.Dirty == ba.Dirty && aa.Stale == ba.Stale && aa.Bal == ba.Bal
						for i := range aa.Units {
							same = same && sameBits(aa.Units[i], ba.Units[i])
						}
					}
					if !same {
						t.Errorf("account %d, list %d, shift %d, %s: cash %v book %v pnl %v; one asset at a time: cash %v book %v pnl %v",
							acct, li, shift, a.ID, a.Cash, a.Book, a.PnL, b.Cash, b.Book, b.PnL)
					}
				}
			}
		}
	}
}

// TestStaysAt compares staysAt with stays bit for bit and verdict for
// verdict, at the cancellation bound and around it, at zeros of both
// signs, infinities and NaNs, and over random pairs of every magnitude.
func TestStaysAt(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 100, -100, 1e-300, 5e-324, math.MaxFloat64, inf, -inf, nan, 3.7, -2.5e7}
	var pairs [][2]float64
	for _, a := range vals {
		for _, b := range vals {
			pairs = append(pairs, [2]float64{a, b})
		}
	}
	for _, old := range []float64{100, -37.5, 1e9, 3e-7} {
		for _, r := range []float64{1e-13, 1e-13 * (1 + 1e-15), 1e-13 * (1 - 1e-15), 9.99e-14, 1.01e-13, 0, 1e-12, 2} {
			pairs = append(pairs, [2]float64{old, -old * (1 - r)}, [2]float64{old, -old * (1 + r)})
		}
	}
	rng := rand.New(rand.NewSource(5))
	for k := 0; k < 200000; k++ {
		old := math.Exp2(-80+160*rng.Float64()) * (rng.Float64() - 0.5)
		q := -old * (1 + math.Exp2(-60*rng.Float64())*(rng.Float64()-0.5))
		if k%2 == 1 {
			q = math.Exp2(-80+160*rng.Float64()) * (rng.Float64() - 0.5)
		}
		pairs = append(pairs, [2]float64{old, q})
	}
	kept := 0
	for _, p := range pairs {
		u0, ok0 := stays(p[0], p[1])
		u1, ok1 := staysAt(p[0], p[1])
		if ok0 != ok1 || math.Float64bits(u0) != math.Float64bits(u1) && !(math.IsNaN(u0) && math.IsNaN(u1)) {
			t.Fatalf("staysAt(%v, %v) = %v, %v; stays gives %v, %v", p[0], p[1], u1, ok1, u0, ok0)
		}
		if ok0 {
			kept++
		}
	}
	if kept == 0 || kept == len(pairs) {
		t.Fatalf("%d of %d pairs stay held: the test does not see both verdicts", kept, len(pairs))
	}
}
