package core

// Peek is a read-only view of every holder's balance sheet as if it were
// settled now. Observers (recorders, summaries, indices) read books through
// a Peek rather than by settling, because settling changes when variation
// margin and coupons start to earn interest: an observer that settled would
// change the run it watches, by second-order amounts that a margin
// threshold can turn into first-order ones.
type Peek struct {
	Book    []float64 // equity, USD, per holder index
	CashUSD []float64 // deposits at their own current values, USD, per holder index
}

// PeekAll fills p with every holder's equity and deposits as SettleAll
// would leave them, without changing anything. It matches SettleAll to rounding:
// each holder is valued as if its lenders had been settled just before it,
// as Settle does.
func (w *World) PeekAll(p *Peek) {
	n := len(w.Holders)
	if cap(p.Book) < n {
		p.Book = make([]float64, n)
		p.CashUSD = make([]float64, n)
	}
	p.Book, p.CashUSD = p.Book[:n], p.CashUSD[:n]
	for i, h := range w.Holders {
		p.Book[i] = h.Book
		p.CashUSD[i] = w.usd(&h.Cash)
	}
	for _, h := range w.Holders {
		w.peekHolder(h, p)
	}
}

// PeekBook returns h's equity as PeekAll would give it, without changing
// anything or valuing any other holder: for a holder that is nobody's
// lender (it has no clients) and not the outside sector, only its own
// settling moves its equity. p is scratch with room for every holder, as
// PeekAll leaves it; PeekBook overwrites some of its entries.
func (w *World) PeekBook(h *Holder, p *Peek) float64 {
	p.Book[h.Index] = h.Book
	w.peekHolder(h, p)
	return p.Book[h.Index]
}

// peekHolder adds to p what settling h would add to each holder's equity
// and deposits: h's own, its lenders' and the outside sector's.
func (w *World) peekHolder(h *Holder, p *Peek) {
	a := &w.acc
	lz := &h.lz
	reval := lz.markVer != a.priceVer
	accrue := lz.accStep != a.step && h.Index != 0
	if !reval && !accrue {
		return
	}
	book, cash := p.Book, p.CashUSD
	delta, own := 0.0, 0.0 // h's equity and deposits, USD
	if reval {
		delta = w.fxRevaluation(h)
		if r := &h.Reserve; r.Face != 0 {
			d := r.usd(w, w.Price[r.Asset], w.FXUSD[r.Cur]) - r.usd(w, lz.markP[r.Asset], lz.markFX[r.Cur])
			delta -= d
			book[0] += d
		}
	}
	// Settle credits variation margin first, then accrues interest on
	// deposits (custody margin included), then coupons, then interest on
	// each broker account's balance; the peek follows the same order.
	var vmCash Money // custody variation margin, which earns from now on
	if reval {
		for k := range h.Accounts {
			acc := &h.Accounts[k]
			for _, i := range acc.Held {
				as := &w.Assets[i]
				c := as.Currency
				switch as.Kind {
				case Future:
					if dp := w.Price[i] - lz.markP[i]; dp != 0 {
						vm := float64(acc.Units[i] * dp)
						u := float64(vm * w.FXUSD[c])
						if acc.Lender == Custody {
							own += u
							vmCash[c] += vm
						} else {
							cash[acc.Lender] += u // the broker holds the client's money
						}
						delta += u
					}
				case FX:
				default:
					delta += float64(acc.Units[i] * (float64(w.Price[i]*w.FXUSD[c]) - float64(lz.markP[i]*lz.markFX[c])))
				}
			}
		}
	}
	if accrue {
		for c := 0; c < w.NCur; c++ {
			if v := h.Cash[c] + vmCash[c]; v != 0 {
				u := float64(w.growth(lz, c, v) * w.FXUSD[c])
				book[0] -= u
				cash[0] -= u
				own += u
				delta += u
			}
		}
		for k := range h.Accounts {
			acc := &h.Accounts[k]
			bal := acc.Bal // the broker account's balance after settling
			for _, i := range acc.Held {
				as := &w.Assets[i]
				c := as.Currency
				if reval && as.Kind == Future && acc.Lender != Custody {
					bal[c] += float64(acc.Units[i] * (w.Price[i] - lz.markP[i]))
				}
				if as.Kind != Bond {
					continue
				}
				if cp := float64(acc.Units[i] * (a.coupon[i] - lz.coupon0[i])); cp != 0 {
					u := float64(cp * w.FXUSD[c])
					if acc.Lender == Custody {
						own += u
					} else {
						bal[c] += cp
						cash[acc.Lender] += u
					}
					book[0] -= u
					cash[0] -= u
					delta += u
				}
			}
			if acc.Lender == Custody {
				continue
			}
			for c := 0; c < w.NCur; c++ {
				if v := bal[c]; v != 0 {
					u := float64(w.growth(lz, c, v) * w.FXUSD[c])
					book[acc.Lender] -= u
					delta += u
				}
			}
		}
		if r := &h.Reserve; r.Face != 0 && r.Rate != 0 {
			u := float64(float64(r.Face*r.Rate*w.DT*float64(a.step-lz.accStep)) * w.FXUSD[r.Cur])
			book[0] += u
			cash[0] += u
			own -= u
			delta -= u
		}
		if h.Hedge != 0 {
			u := float64(h.Hedge * (a.basis - lz.basis0))
			book[0] -= u
			cash[0] -= u
			own += u
			delta += u
		}
	}
	book[h.Index] += delta
	cash[h.Index] += own
}

// Settled reports whether h's books are up to date (Settle would change
// nothing).
func (w *World) Settled(h *Holder) bool {
	return h.lz.markVer == w.acc.priceVer && h.lz.accStep == w.acc.step
}

// growth is the interest a balance v in currency c has earned (v > 0) or
// owes (v < 0) since the holder's last accrual.
func (w *World) growth(lz *lazy, c int, v float64) float64 {
	if v > 0 {
		return v * (w.acc.dep[c]/lz.dep0[c] - 1)
	}
	return v * (w.acc.fund[c]/lz.fund0[c] - 1)
}

// usd values an amount of each currency in USD.
func (w *World) usd(m *Money) float64 {
	v := 0.0
	for c := 0; c < w.NCur; c++ {
		v += float64(m[c] * w.FXUSD[c])
	}
	return v
}
