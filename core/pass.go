package core

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
		if u, ok := stays(fu[i], -qi); ok {
			fa.keep(i, u)
		} else {
			fa.Add(i, -qi)
		}
		if a.Kind != Future { // no cash changes hands at a future's mark
			from.Cash[a.Currency] += float64(qi * x)
		}
		if u, ok := stays(tu[i], qi); ok {
			ta.keep(i, u)
		} else {
			ta.Add(i, qi)
		}
		if a.Kind != Future {
			to.Cash[a.Currency] -= float64(qi * x)
		}
	}
}
