package core

// Lazy accounting. A holder's balance sheet is brought up to date only when
// it is touched: Settle marks its positions and currency balances from the
// prices and exchange rates it was last marked at, settles variation margin
// on its futures, and accrues interest and coupons since it was last
// settled from cumulative indices the world advances every tick (as a bank
// keeps an interest index rather than crediting every account every day).
// The invariant that makes this exact: a holder's units, cash and balances
// change only while it is settled. Credit and Fill settle before they
// change anything, and whoever reads Book reads it through NAV.

// lazy is the per-holder state of lazy accounting.
type lazy struct {
	markP   []float64 // prices the books were last marked at
	markFX  Money
	markVer uint64
	accStep uint64
	dep0    Money     // deposit index at the last accrual
	fund0   Money     // funding index at the last accrual
	coupon0 []float64 // coupon index per asset at the last accrual
	basis0  float64   // basis index at the last accrual
}

// accrual is the world's side: cumulative indices.
type accrual struct {
	priceVer uint64
	step     uint64
	dep      Money     // Π(1 + policy·dt): growth of a deposit
	fund     Money     // Π(1 + (policy+spread)·dt): growth of a debt
	coupon   []float64 // Σ p·y·dt per unit of each bond, local currency
	basis    float64   // Σ XCCYBasis·dt: what a dollar of hedge has earned (paid, below 0)
	// bonds lists the bond assets, the only entries of coupon that ever
	// move (the others stay 0): the accrual passes over them alone.
	bonds []int
}

// PricesMoved records that prices or exchange rates changed: every holder
// is stale until settled.
func (w *World) PricesMoved() { w.acc.priceVer++ }

// AdvanceAccrual accrues one tick of interest and coupons into the world's
// indices, at the current rates, prices and yields.
func (w *World) AdvanceAccrual() {
	a := &w.acc
	if a.coupon == nil {
		w.makeCoupons()
	}
	for c := 0; c < w.NCur; c++ {
		a.dep[c] *= 1 + float64(w.Policy[c]*w.DT)
		a.fund[c] *= 1 + float64((w.Policy[c]+w.Spread[c])*w.DT)
	}
	for _, i := range a.bonds {
		a.coupon[i] += float64(w.Price[i] * w.Yields[i] * w.DT)
	}
	a.basis += float64(w.XCCYBasis * w.DT)
	a.step++
}

// makeCoupons makes the coupon indices, all 0, and the list of bonds.
func (w *World) makeCoupons() {
	a := &w.acc
	a.coupon = make([]float64, len(w.Assets))
	a.bonds = a.bonds[:0]
	for i := range w.Assets {
		if w.Assets[i].Kind == Bond {
			a.bonds = append(a.bonds, i)
		}
	}
}

// FundingIndex returns the cumulative growth of a debt in currency c since
// the start of the run: Π(1 + (policy + spread)·dt). A loan taken when the
// index was x owes index/x times its principal now.
func (w *World) FundingIndex(c int) float64 {
	if w.acc.coupon == nil {
		return 1
	}
	return w.acc.fund[c]
}

// initLazy starts a holder's lazy state at the current marks and indices.
func (w *World) initLazy(h *Holder) {
	a := &w.acc
	if a.coupon == nil {
		w.makeCoupons()
		for c := range a.dep {
			a.dep[c], a.fund[c] = 1, 1
		}
	}
	h.lz.markP = make([]float64, len(w.Assets))
	copy(h.lz.markP, w.Price)
	h.lz.markFX = w.FXUSD
	h.lz.markVer = a.priceVer
	h.lz.accStep = a.step
	h.lz.dep0, h.lz.fund0 = a.dep, a.fund
	h.lz.basis0 = a.basis
	h.lz.coupon0 = make([]float64, len(w.Assets))
	copy(h.lz.coupon0, a.coupon)
}

// NAV settles the holder and returns its equity in USD.
func (w *World) NAV(h *Holder) float64 {
	w.Settle(h)
	return h.Book
}

// SettleAll settles every holder.
func (w *World) SettleAll() {
	for _, h := range w.Holders {
		w.Settle(h)
	}
}

// Settle brings holder h up to date: revaluation, variation margin,
// interest and coupons since it was last settled.
func (w *World) Settle(h *Holder) {
	// The test is kept apart from the work so that it inlines at every
	// call: most calls find the holder already settled.
	if h.lz.markVer != w.acc.priceVer || h.lz.accStep != w.acc.step {
		w.settle(h)
	}
}

// settle is Settle for a holder that is not up to date.
func (w *World) settle(h *Holder) {
	a := &w.acc
	lz := &h.lz
	// Settle the lenders first: variation margin and interest on accounts
	// at them change their books.
	for k := 1; k < len(h.Accounts); k++ {
		if l := h.Accounts[k].Lender; l != Custody {
			w.Settle(w.Holders[l])
		}
	}
	book := 0.0
	if lz.markVer != a.priceVer {
		book = w.remark(h, w.fxRevaluation(h))
		if r := &h.Reserve; r.Face != 0 {
			// The reserve re-marked: the policyholders' claim moves the
			// other way, no cash moves.
			d := r.usd(w, w.Price[r.Asset], w.FXUSD[r.Cur]) - r.usd(w, lz.markP[r.Asset], lz.markFX[r.Cur])
			book -= d
			out := w.Holders[0]
			out.Book += d
			out.PnL[PnLRevaluation] += d
		}
		h.PnL[PnLRevaluation] += book
		copy(lz.markP, w.Price)
		lz.markFX = w.FXUSD
		lz.markVer = a.priceVer
	}
	if lz.accStep != a.step {
		if h.Index != 0 { // the outside sector pays and receives, it does not accrue
			book += w.accrue(h)
		}
		lz.accStep = a.step
		lz.dep0, lz.fund0 = a.dep, a.fund
		lz.basis0 = a.basis
		// Only the bonds' coupon indices move; the others are 0 in both.
		coupon0, coupon := lz.coupon0[:len(a.coupon)], a.coupon
		for _, i := range a.bonds {
			coupon0[i] = coupon[i]
		}
	}
	h.Book += book
}

// remark adds to book, in the order of h's accounts and of each account's
// Held, the revaluation of h's positions since h was last marked (a
// future's variation margin, which it credits, or a funded position's
// change in USD; nothing for an exchange rate), and returns the sum. It
// reads the assets, prices, marks and exchange rates through locals, the
// units, prices and marks cut to the assets' length, so that the asset's
// bounds check covers them all (TestRemarkWritten).
func (w *World) remark(h *Holder, book float64) float64 {
	assets, fx, markFX := w.Assets, &w.FXUSD, &h.lz.markFX
	n := len(assets)
	price, markP := w.Price[:n], h.lz.markP[:n]
	for k := range h.Accounts {
		acc := &h.Accounts[k]
		units := acc.Units[:n]
		for _, i := range acc.Held {
			as := &assets[i]
			c := as.Currency
			switch as.Kind {
			case Future:
				if dp := price[i] - markP[i]; dp != 0 {
					vm := units[i] * dp
					w.CreditVM(h, k, c, vm)
					book += float64(vm * fx[c])
				}
			case FX:
			default:
				book += float64(units[i] * (float64(price[i]*fx[c]) - float64(markP[i]*markFX[c])))
			}
		}
	}
	return book
}

// fxRevaluation returns the USD change in the value of h's foreign
// currency balances (its cash net of client balances, plus its balances at
// lenders) since h was last marked: the balances have not changed since.
func (w *World) fxRevaluation(h *Holder) float64 {
	r := 0.0
	for c := 1; c < w.NCur; c++ {
		d := w.FXUSD[c] - h.lz.markFX[c]
		if d == 0 {
			continue
		}
		v := h.Cash[c] - h.ClientBal[c]
		for k := 1; k < len(h.Accounts); k++ {
			v += h.Accounts[k].Bal[c]
		}
		r += float64(v * d)
	}
	return r
}

// accrue books interest and coupons since the holder's last accrual and
// returns the USD income (already in PnL, not yet in Book).
func (w *World) accrue(h *Holder) float64 {
	a := &w.acc
	lz := &h.lz
	out := w.Holders[0]
	w.Settle(out)
	growth := func(c int, v float64) float64 {
		if v > 0 {
			return v * (a.dep[c]/lz.dep0[c] - 1)
		}
		return v * (a.fund[c]/lz.fund0[c] - 1)
	}
	income := 0.0
	for c := 0; c < w.NCur; c++ {
		if v := h.Cash[c]; v != 0 {
			i := growth(c, v)
			h.Cash[c] += i
			out.Cash[c] -= i
			u := float64(i * w.FXUSD[c])
			out.Book -= u
			out.PnL[PnLInterest] -= u
			income += u
		}
	}
	for k := range h.Accounts {
		acc := &h.Accounts[k]
		var l *Holder
		if acc.Lender != Custody {
			l = w.Holders[acc.Lender]
		}
		for _, i := range acc.Held {
			if w.Assets[i].Kind != Bond {
				continue
			}
			c := w.Assets[i].Currency
			cp := float64(acc.Units[i] * (a.coupon[i] - lz.coupon0[i]))
			if cp == 0 {
				continue
			}
			if l == nil {
				h.Cash[c] += cp
			} else {
				l.moveBal(acc, c, cp)
				l.Cash[c] += cp
			}
			out.Cash[c] -= cp
			u := float64(cp * w.FXUSD[c])
			out.Book -= u
			out.PnL[PnLInterest] -= u
			income += u
		}
		if l == nil {
			continue
		}
		for c := 0; c < w.NCur; c++ {
			if v := acc.Bal[c]; v != 0 {
				i := growth(c, v)
				l.moveBal(acc, c, i)
				u := float64(i * w.FXUSD[c])
				l.Book -= u
				l.PnL[PnLInterest] -= u
				income += u
			}
		}
	}
	if r := &h.Reserve; r.Face != 0 && r.Rate != 0 {
		// The reserve's fixed rate, paid to the policyholders.
		x := float64(r.Face * r.Rate * w.DT * float64(a.step-lz.accStep))
		h.Cash[r.Cur] -= x
		out.Cash[r.Cur] += x
		u := float64(x * w.FXUSD[r.Cur])
		out.Book += u
		out.PnL[PnLInterest] += u
		income -= u
	}
	if h.Hedge != 0 {
		// The hedge's basis: the dollars owed forward pay the cross-currency
		// basis (a negative basis costs), to the outside sector.
		x := float64(h.Hedge * (a.basis - lz.basis0))
		h.Cash[USD] += x
		out.Cash[USD] -= x
		out.Book -= x
		out.PnL[PnLInterest] -= x
		income += x
	}
	h.PnL[PnLInterest] += income
	return income
}

// AddReserve puts reserve r on h's books at its face value, r.Y0 being its
// asset's current yield: the outside sector pays h the face in cash (the
// premiums that built the reserve) and holds the claim, so neither's
// equity changes.
func (w *World) AddReserve(h *Holder, r Reserve) {
	out := w.Holders[0]
	w.Settle(h)
	w.Settle(out)
	h.Reserve = r
	h.Cash[r.Cur] += r.Face
	out.Cash[r.Cur] -= r.Face
}

// SetHedge sets the USD notional of h's currency hedge on which the
// cross-currency basis accrues (Holder.Hedge), after settling h so that
// the basis accrued so far is charged on the notional it accrued on.
func (w *World) SetHedge(h *Holder, usd float64) {
	w.Settle(h)
	h.Hedge = usd
}

// AccountValue returns the equity of account acc of holder h at the current
// prices without settling h: funded positions at market, the balance, and
// the variation margin its futures have earned since h was last marked.
// Interest and coupons accrued since then are left out (hours of carry).
func (w *World) AccountValue(h *Holder, acc *Account) float64 {
	v := 0.0
	// Locals: the compiler would load each slice again for every asset.
	// The units, prices and marks (one per asset each) are cut to the
	// assets' length, so that the asset's bounds check covers them all.
	assets, fx := w.Assets, &w.FXUSD
	n := len(assets)
	units, price, markP := acc.Units[:n], w.Price[:n], h.lz.markP[:n]
	for _, i := range acc.Held {
		a := &assets[i]
		switch a.Kind {
		case Future:
			v += float64(units[i] * (price[i] - markP[i]) * fx[a.Currency])
		case FX:
		default:
			v += float64(units[i] * price[i] * fx[a.Currency])
		}
	}
	for c, b := range acc.Bal[:w.NCur] {
		v += float64(b * fx[c])
	}
	return v
}
