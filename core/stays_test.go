package core

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// sameBits reports whether two floats are the same bits (any NaN equals any NaN).
// sameBooks says whether two holders' cash, book, P&L and first
// account (units to the bit, which are held, dirty and stale) are alike.
func sameBooks(a, b *Holder) bool {
	aa, ba := &a.Accounts[0], &b.Accounts[0]
	same := a.Cash == b.Cash && a.Book == b.Book && a.PnL == b.PnL &&
		slices.Equal(aa.Held, ba.Held) && aa.Dirty == ba.Dirty && aa.Stale == ba.Stale
	for i := range aa.Units {
		same = same && sameBits(aa.Units[i], ba.Units[i])
	}
	return same
}

func sameBits(a, b float64) bool {
	return math.IsNaN(a) && math.IsNaN(b) || math.Float64bits(a) == math.Float64bits(b)
}

// TestAddStaysExact: Fill and PassSettledAtMark move units through stays and
// keep where Account.Add's common case holds (a held position that stays
// held), and call Add otherwise. The two ways must leave an account the
// same: units to the bit, Held in the same order, Dirty, Stale and the
// lender's watch flag.
func TestAddStaysExact(t *testing.T) {
	specials := []float64{0, math.Copysign(0, -1), 5e-324, -5e-324, 1e-300, 1, -1, 0.1, 100, -2.5e6, 1e13,
		math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN()}
	type pair struct{ old, q float64 }
	var pairs []pair
	for _, old := range specials {
		for _, q := range specials {
			pairs = append(pairs, pair{old, q})
		}
		// At and around Add's cancellation bound.
		for _, f := range []float64{1, 1 - 1e-15, 1 - 1e-13, 1 - 2e-13, 1 - 1e-12, 1 + 1e-13, 2, 0.5} {
			pairs = append(pairs, pair{old, -old * f})
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		old := r.NormFloat64() * math.Pow(10, float64(r.IntN(20)-5))
		q := -old * (1 + r.NormFloat64()*math.Pow(10, -float64(r.IntN(16))))
		if r.IntN(4) == 0 {
			q = r.NormFloat64() * 1e3
		}
		pairs = append(pairs, pair{old, q})
	}
	kept := 0
	for _, p := range pairs {
		var accs [2]Account
		var watch [2]bool
		for k := range accs {
			a := &accs[k]
			a.Units = []float64{7, 0, 3}
			a.Held = []int{2, 0}
			a.Units[1] = p.old
			if p.old != 0 {
				a.Held = append(a.Held, 1)
			}
			a.Watch = &watch[k]
		}
		accs[0].Add(1, p.q)
		if u, ok := stays(accs[1].Units[1], p.q); ok {
			accs[1].keep(1, u)
			kept++
		} else {
			accs[1].Add(1, p.q)
		}
		a, b := &accs[0], &accs[1]
		if !sameBits(a.Units[1], b.Units[1]) || !slices.Equal(a.Held, b.Held) ||
			a.Dirty != b.Dirty || a.Stale != b.Stale || watch[0] != watch[1] {
			t.Errorf("old %v + q %v: Add gives units %v held %v flags %v %v %v; stays and keep give %v %v %v %v %v",
				p.old, p.q, a.Units[1], a.Held, a.Dirty, a.Stale, watch[0], b.Units[1], b.Held, b.Dirty, b.Stale, watch[1])
		}
	}
	if kept < len(pairs)/2 {
		t.Errorf("the common case held for %d of %d pairs: the test does not exercise it", kept, len(pairs))
	}
}

// TestPassAndFillAddExact: PassSettledAtMark and Fill, which move units
// through stays and keep, leave both holders as the same books through
// Account.Add do (the code before the shortcut, written out here), for
// positions that stay held, open, close and cancel, in every kind of asset.
func TestPassAndFillAddExact(t *testing.T) {
	passRef := func(w *World, from, to *Holder, i int, q float64) {
		a := &w.Assets[i]
		x := w.Price[i]
		switch a.Kind {
		case FX:
			from.Cash[a.Base] -= q
			from.Cash[a.Currency] += float64(q * x)
			to.Cash[a.Base] += q
			to.Cash[a.Currency] -= float64(q * x)
		case Future:
			from.Accounts[0].Add(i, -q)
			to.Accounts[0].Add(i, q)
		default:
			from.Accounts[0].Add(i, -q)
			from.Cash[a.Currency] += float64(q * x)
			to.Accounts[0].Add(i, q)
			to.Cash[a.Currency] -= float64(q * x)
		}
	}
	fillRef := func(w *World, h *Holder, acct, i int, q, x, mark float64, fx *Money) {
		w.Settle(h)
		a := &w.Assets[i]
		acc := &h.Accounts[acct]
		switch a.Kind {
		case FX:
			w.credit(h, acc, a.Base, q)
			w.credit(h, acc, a.Currency, float64(-q*x))
		case Future:
			acc.Add(i, q)
			w.credit(h, acc, a.Currency, float64(q*(mark-x)))
		default:
			acc.Add(i, q)
			w.credit(h, acc, a.Currency, float64(-q*x))
		}
		pnl := float64(q * (mark - x) * fx[a.Currency])
		h.Book += pnl
		h.PnL[PnLTrading] += pnl
	}
	for _, asset := range []int{aUSDJPY, aUST, aTY, aNKY, aSPX} {
		// The dealer holds 100; q passes part of it, all of it (a close),
		// more (a short opens), a hair less than all (Add's cancellation),
		// or adds to it.
		for _, q := range []float64{37.5, 100, 160, 100 * (1 - 1e-14), -25} {
			var w [2]*World
			var d [2]*Holder
			for k := range w {
				w[k] = newTestWorld(t)
				d[k] = w[k].AddHolder("dealer", Dealer)
				w[k].Endow(d[k], USD, 1e9)
				w[k].SetupTrade(d[k], 0, asset, 100)
				setPrices(w[k], map[int]float64{aUSDJPY: 151, aUST: 99, aTY: 108.5, aNKY: 37500, aSPX: 5300})
				w[k].Settle(d[k])
				w[k].Settle(w[k].Holders[0])
			}
			w[0].PassSettledAtMark(d[0], w[0].Holders[0], asset, q)
			passRef(w[1], d[1], w[1].Holders[0], asset, q)
			// Then a fill of another q/3 at a price off the mark, each
			// side booked.
			x := w[0].Price[asset] * 1.01
			w[0].Fill(d[0], 0, asset, q/3, x, w[0].Price[asset], &w[0].FXUSD)
			w[0].Fill(w[0].Holders[0], 0, asset, -q/3, x, w[0].Price[asset], &w[0].FXUSD)
			fillRef(w[1], d[1], 0, asset, q/3, x, w[1].Price[asset], &w[1].FXUSD)
			fillRef(w[1], w[1].Holders[0], 0, asset, -q/3, x, w[1].Price[asset], &w[1].FXUSD)
			for h := range w[0].Holders {
				a, b := w[0].Holders[h], w[1].Holders[h]
				aa, ba := &a.Accounts[0], &b.Accounts[0]
				if !sameBooks(a, b) {
					t.Errorf("%s, asset %d, q %v: units %v held %v cash %v book %v; through Add: units %v held %v cash %v book %v",
						a.ID, asset, q, aa.Units, aa.Held, a.Cash, a.Book, ba.Units, ba.Held, b.Cash, b.Book)
				}
			}
		}
	}
}
