package core

import "math"

// PassAllSettledAtMark passes q[i] units of every asset i with q[i] ≠ 0
// from one settled holder to another at the mark, in asset order: what
// PassSettledAtMark(from, to, i, q[i]) does for each of them in turn,
// store for store (TestPassAllSettledExact), in one call. The dealers'
// lay-off at the close passes most assets every tick, and this reads the
// assets, prices and both custody accounts once, cut to one length, rather
// than once per asset. q has one entry per asset.
func (w *World) PassAllSettledAtMark(from, to *Holder, q []float64) {
	assets := w.Assets
	n := len(assets)
	q, price := q[:n], w.Price[:n]
	fa, ta := &from.Accounts[0], &to.Accounts[0]
	// Passing changes units and cash only: the units' storage stays put.
	fu, tu := fa.Units[:n], ta.Units[:n]
	kf, kt := false, false // whether a position stayed held: keep's flags, raised once below
	for i, qi := range q {
		if qi == 0 {
			continue
		}
		a := &assets[i]
		x := price[i]
		if a.Kind == FX {
			from.Cash[a.Base] -= qi
			from.Cash[a.Currency] += float64(qi * x)
			to.Cash[a.Base] += qi
			to.Cash[a.Currency] -= float64(qi * x)
			continue
		}
		if u, ok := staysAt(fu[i], -qi); ok {
			fu[i] = u
			kf = true
		} else {
			fa.Add(i, -qi)
		}
		if a.Kind != Future { // no cash changes hands at a future's mark
			from.Cash[a.Currency] += float64(qi * x)
		}
		if u, ok := staysAt(tu[i], qi); ok {
			tu[i] = u
			kt = true
		} else {
			ta.Add(i, qi)
		}
		if a.Kind != Future {
			to.Cash[a.Currency] -= float64(qi * x)
		}
	}
	if kf {
		fa.touched()
	}
	if kt {
		ta.touched()
	}
}

// FillEach fills holder h's account acct with q[i]·share units of each
// asset i of list (the product rounded), in its order, at price x[i]
// against mark[i] and rates fx: what Fill(h, acct, i, q[i]·share, x[i],
// mark[i], fx) does for each of them in turn,
// store for store (TestFillEachExact), in one call. Dealers absorb the net
// flow of every asset a round moves, and this settles the holder once and
// reads its account and the assets once, rather than once per asset; the
// ledger's sums take the same terms in the same order. q, x and mark have
// one entry per asset.
func (w *World) FillEach(h *Holder, acct int, list []int, q []float64, share float64, x, mark []float64, fx *Money) {
	w.Settle(h) // a fill moves no price and accrues nothing: once settles for all
	assets := w.Assets
	n := len(assets)
	q, x, mark = q[:n], x[:n], mark[:n]
	acc := &h.Accounts[acct]
	units := acc.Units[:n] // a fill changes units, never their storage
	book, trading := h.Book, h.PnL[PnLTrading]
	kept := false // whether a position stayed held: keep's flags, raised once below
	for _, i := range list {
		a := &assets[i]
		qi, xi, mi := float64(q[i]*share), x[i], mark[i]
		switch a.Kind {
		case FX:
			w.credit(h, acc, a.Base, qi)
			w.credit(h, acc, a.Currency, float64(-qi*xi))
		default:
			if u, ok := staysAt(units[i], qi); ok {
				units[i] = u
				kept = true
			} else {
				acc.Add(i, qi)
			}
			if a.Kind == Future {
				w.credit(h, acc, a.Currency, float64(qi*(mi-xi)))
			} else {
				w.credit(h, acc, a.Currency, float64(-qi*xi))
			}
		}
		pnl := float64(qi * (mi - xi) * fx[a.Currency])
		book += pnl
		trading += pnl
	}
	h.Book, h.PnL[PnLTrading] = book, trading
	if kept {
		acc.touched()
	}
}

// touched raises the flags keep raises. Nothing reads them while positions
// move, so raising them once after a pass that kept positions ends as
// raising them at each.
func (a *Account) touched() {
	a.Dirty, a.Stale = true, true
	if a.Watch != nil {
		*a.Watch = true
	}
}

// staysAt is stays to the bit (TestStaysAt): 10⁻¹³·max(|old|, |q|) is the
// larger of 10⁻¹³·|old| and 10⁻¹³·|q|, since rounding a product by a
// positive constant keeps order, and |u| exceeds the larger exactly when
// it exceeds both (a NaN fails both ways), without max's care for NaNs and
// signed zeros.
func staysAt(old, q float64) (float64, bool) {
	u := old + q
	au := math.Abs(u)
	return u, old != 0 && au > float64(1e-13*math.Abs(old)) && au > float64(1e-13*math.Abs(q))
}
