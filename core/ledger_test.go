package core

import (
	"math"
	"testing"
)

// clientAndBroker adds a prime broker and a client with one account at it
// to w, endows both with USD, and returns them with the account's index.
func clientAndBroker(w *World, clientCash, brokerCash float64) (client, broker *Holder, acct int) {
	broker = w.AddHolder("broker", PrimeBroker)
	client = w.AddHolder("client", HedgeFund)
	w.Endow(broker, USD, brokerCash)
	w.Endow(client, USD, clientCash)
	acct = w.OpenAccount(client, broker.Index, true)
	return
}

// TestFill books one fill of each asset kind against a mark and checks
// units, money on both sides of the account and the trading P&L.
func TestFill(t *testing.T) {
	type money struct {
		cur int
		amt float64
	}
	for _, c := range []struct {
		name       string
		asset      int
		q, x, mark float64
		units      float64 // position after
		moneyMoves []money // change of the account's money by currency
		pnl        float64 // trading P&L, USD
	}{
		// Buying 10 SPX at 5410 against a mark of 5400 pays 54100 and loses 100.
		{"equity USD", aSPX, 10, 5410, 5400, 10, []money{{USD, -54100}}, -100},
		// Selling 10 SPX at 5390 (mark 5400) receives 53900 and loses 100.
		{"equity USD sold", aSPX, -10, 5390, 5400, -10, []money{{USD, 53900}}, -100},
		// 100 NKY at 37900 JPY (mark 38000): 3.79e6 yen paid, gains 100×100/150 USD.
		{"equity JPY", aNKY, 100, 37900, 38000, 100, []money{{cJPY, -3.79e6}}, 100 * 100.0 / 150},
		// 1000 bonds at 100.25 (mark 100): 100250 paid, 250 lost.
		{"bond", aUST, 1000, 100.25, 100, 1000, []money{{USD, -100250}}, -250},
		// Short 50 futures at 109.5 (mark 110): no cash for the position,
		// variation margin to the mark at once: 50 × (109.5 − 110) = −25.
		{"future", aTY, -50, 109.5, 110, -50, []money{{USD, -25}}, -25},
		// Long 50 futures at 109.5 (mark 110): +25 at once.
		{"future long", aTY, 50, 109.5, 110, 50, []money{{USD, 25}}, 25},
		// Buy $1m at 151 yen (mark 150): +1e6 USD, −1.51e8 JPY; P&L
		// 1e6 × (150 − 151)/150 = −6666.67. No units held.
		{"fx USDJPY", aUSDJPY, 1e6, 151, 150, 0, []money{{USD, 1e6}, {cJPY, -1.51e8}}, -1e6 / 150},
		// Sell €1m at 1.2475 (mark 1.25): −1e6 EUR, +1.2475e6 USD; P&L −2500.
		{"fx EURUSD", aEURUSD, -1e6, 1.2475, 1.25, 0, []money{{cEUR, -1e6}, {USD, 1.2475e6}}, -2500},
	} {
		for _, custody := range []bool{true, false} {
			w := newTestWorld(t)
			client, broker, k := clientAndBroker(w, 1e9, 1e9)
			if custody {
				k = 0
			}
			units0, _, cash0, _, _, _ := totalsOf(w)
			acc := &client.Accounts[k]
			bal0, cashC0, cashB0, cb0 := acc.Bal, client.Cash, broker.Cash, broker.ClientBal
			book0 := client.Book
			w.Fill(client, k, c.asset, c.q, c.x, c.mark, &w.FXUSD)
			name := c.name
			if custody {
				name += " (custody)"
			}
			if acc.Units[c.asset] != c.units {
				t.Errorf("%s: units %v, want %v", name, acc.Units[c.asset], c.units)
			}
			if held := len(acc.Held) == 1 && acc.Held[0] == c.asset; held != (c.units != 0) {
				t.Errorf("%s: Held = %v", name, acc.Held)
			}
			var want Money
			for _, m := range c.moneyMoves {
				want[m.cur] += m.amt
			}
			for cur := 0; cur < w.NCur; cur++ {
				var got float64
				if custody {
					got = client.Cash[cur] - cashC0[cur]
					if broker.Cash[cur] != cashB0[cur] || broker.ClientBal[cur] != cb0[cur] {
						t.Errorf("%s: the broker's money moved on a custody fill", name)
					}
				} else {
					got = acc.Bal[cur] - bal0[cur]
					// The lender holds the money and owes it to the client.
					if d := broker.ClientBal[cur] - cb0[cur]; math.Abs(d-got) > 1e-9 {
						t.Errorf("%s: %s lender's record moved %v, account %v", name, w.Currencies[cur], d, got)
					}
					if d := broker.Cash[cur] - cashB0[cur]; math.Abs(d-got) > 1e-9 {
						t.Errorf("%s: %s lender's cash moved %v, account %v", name, w.Currencies[cur], d, got)
					}
					if client.Cash[cur] != cashC0[cur] {
						t.Errorf("%s: custody cash moved on an account fill", name)
					}
				}
				if math.Abs(got-want[cur]) > 1e-6 {
					t.Errorf("%s: %s moved %v, want %v", name, w.Currencies[cur], got, want[cur])
				}
			}
			if d := client.Book - book0; math.Abs(d-c.pnl) > 1e-6 || math.Abs(client.PnL[PnLTrading]-c.pnl) > 1e-9*math.Abs(c.pnl) {
				t.Errorf("%s: Book moved %v (trading P&L %v), want %v", name, d, client.PnL[PnLTrading], c.pnl)
			}
			// The ledger still agrees with the balance sheet, once the
			// counterparty (the outside sector) is filled at the same price.
			w.Fill(w.Holders[0], 0, c.asset, -c.q, c.x, c.mark, &w.FXUSD)
			checkBook(t, w, name)
			checkConserved(t, w, units0, cash0, name)
		}
	}
}

// TestFillSettlesFirst: a fill on a stale holder first marks its existing
// position to the new price, so the trading P&L is against the mark only.
func TestFillSettlesFirst(t *testing.T) {
	w := newTestWorld(t)
	h := w.AddHolder("fund", HedgeFund)
	w.Endow(h, USD, 1e6)
	w.SetupTrade(h, 0, aSPX, 10)
	setPrices(w, map[int]float64{aSPX: 5500})
	w.Fill(h, 0, aSPX, 5, 5500, 5500, &w.FXUSD)
	w.Fill(w.Holders[0], 0, aSPX, -5, 5500, 5500, &w.FXUSD)
	if h.PnL[PnLTrading] != 0 || h.PnL[PnLRevaluation] != 1000 {
		t.Errorf("P&L trading %v revaluation %v, want 0 and 10 × 100", h.PnL[PnLTrading], h.PnL[PnLRevaluation])
	}
	if h.Book != 1e6+1000 {
		t.Errorf("Book %v, want 1001000", h.Book)
	}
	checkBook(t, w, "after")
}

// TestCreditTransferPay: Credit into a broker account moves the client's
// balance and the lender's cash and record together; Transfer moves money
// without touching equity; Pay moves it as income, booked on both sides.
func TestCreditTransferPay(t *testing.T) {
	w := newTestWorld(t)
	client, broker, k := clientAndBroker(w, 1e6, 1e7)
	_, _, cash0, _, _, _ := totalsOf(w)
	units0 := make([]float64, nTestAssets)
	// Post 4e5 of margin: custody cash down, account up, lender's cash and
	// record up, no equity moves.
	w.Transfer(client, 0, client, k, USD, 4e5)
	acc := &client.Accounts[k]
	if client.Cash[USD] != 6e5 || acc.Bal[USD] != 4e5 || broker.ClientBal[USD] != 4e5 || broker.Cash[USD] != 1e7+4e5 {
		t.Errorf("after Transfer: cash %v bal %v lender record %v lender cash %v", client.Cash[USD], acc.Bal[USD], broker.ClientBal[USD], broker.Cash[USD])
	}
	if !acc.Stale || acc.Dirty {
		t.Errorf("a USD credit marks the account stale but not dirty: stale %v dirty %v", acc.Stale, acc.Dirty)
	}
	if client.Book != 1e6 || broker.Book != 1e7 {
		t.Errorf("Transfer moved equity: client %v broker %v", client.Book, broker.Book)
	}
	checkBook(t, w, "transfer")
	checkConserved(t, w, units0, cash0, "transfer")

	// Pay 1.5e6 yen of income from the account to the broker: 1e4 USD.
	w.Pay(client, k, broker, 0, cJPY, 1.5e6, PnLInterest)
	if !acc.Dirty {
		t.Error("a yen credit did not mark the account dirty (its FX exposure changed)")
	}
	if math.Abs(client.Book-(1e6-1e4)) > 1e-6 || math.Abs(broker.Book-(1e7+1e4)) > 1e-6 {
		t.Errorf("after Pay: client Book %v broker Book %v", client.Book, broker.Book)
	}
	if math.Abs(client.PnL[PnLInterest]+1e4) > 1e-6 || math.Abs(broker.PnL[PnLInterest]-1e4) > 1e-6 {
		t.Errorf("Pay not booked to interest: %v %v", client.PnL[PnLInterest], broker.PnL[PnLInterest])
	}
	if acc.Bal[cJPY] != -1.5e6 || broker.Cash[cJPY] != 0 || broker.ClientBal[cJPY] != -1.5e6 {
		t.Errorf("yen after Pay: account %v, lender cash %v, lender record %v", acc.Bal[cJPY], broker.Cash[cJPY], broker.ClientBal[cJPY])
	}
	checkBook(t, w, "pay")
	checkConserved(t, w, units0, cash0, "pay")
}

// TestEndowAndSetupTrade: Endow pays capital from the outside sector, a
// transfer on both ledgers; SetupTrade puts a position on at the price
// without trading P&L, the outside sector taking the other side.
func TestEndowAndSetupTrade(t *testing.T) {
	w := newTestWorld(t)
	out := w.Holders[0]
	h := w.AddHolder("fund", HedgeFund)
	w.Endow(h, USD, 5e6)
	if h.Cash[USD] != 5e6 || out.Cash[USD] != -5e6 || h.Book != 5e6 || out.Book != -5e6 || h.PnL[PnLTransfer] != 5e6 {
		t.Errorf("Endow: cash %v/%v book %v/%v", h.Cash[USD], out.Cash[USD], h.Book, out.Book)
	}
	w.SetupTrade(h, 0, aNKY, 30)
	if h.Accounts[0].Units[aNKY] != 30 || out.Accounts[0].Units[aNKY] != -30 || h.Cash[cJPY] != -30*38000 || out.Cash[cJPY] != 30*38000 {
		t.Errorf("SetupTrade: units %v/%v yen %v/%v", h.Accounts[0].Units[aNKY], out.Accounts[0].Units[aNKY], h.Cash[cJPY], out.Cash[cJPY])
	}
	if h.PnL[PnLTrading] != 0 || h.Book != 5e6 {
		t.Errorf("SetupTrade booked P&L: %v, Book %v", h.PnL[PnLTrading], h.Book)
	}
	checkBook(t, w, "setup")
}

// TestOpenAccount: a shared account at a lender is reused, an unshared one
// is new; the lender lists its clients' accounts; custody accounts are not
// client accounts.
func TestOpenAccount(t *testing.T) {
	w := newTestWorld(t)
	b := w.AddHolder("pb", PrimeBroker)
	h := w.AddHolder("fund", HedgeFund)
	k1 := w.OpenAccount(h, b.Index, true)
	k2 := w.OpenAccount(h, b.Index, true)
	k3 := w.OpenAccount(h, b.Index, false)
	k4 := w.OpenAccount(h, Custody, true)
	if k1 != 1 || k2 != 1 || k3 != 2 || k4 != 3 {
		t.Errorf("account indices %d %d %d %d, want 1 1 2 3", k1, k2, k3, k4)
	}
	if len(b.Clients) != 2 || b.Clients[0] != (AcctRef{h.Index, 1}) || b.Clients[1] != (AcctRef{h.Index, 2}) {
		t.Errorf("lender's clients %v", b.Clients)
	}
	if w.Acct(AcctRef{h.Index, 2}) != &h.Accounts[2] || h.Accounts[2].Owner != h.Index || h.Accounts[2].Lender != b.Index {
		t.Error("Acct does not name the account")
	}
	if len(h.Accounts[3].Units) != nTestAssets || h.Accounts[3].Lender != Custody {
		t.Error("second custody account malformed")
	}
}

// TestAccountAdd: Held lists the assets with a nonzero position in the
// order they were opened; a position closed exactly or cancelled to within
// 1e-13 of its size is removed; changes mark the account dirty and stale.
func TestAccountAdd(t *testing.T) {
	a := Account{Units: make([]float64, 5)}
	a.Add(3, 2)
	a.Add(1, -4)
	a.Add(3, 1)
	if a.Units[3] != 3 || a.Units[1] != -4 || len(a.Held) != 2 || a.Held[0] != 3 || a.Held[1] != 1 {
		t.Fatalf("after opening: units %v held %v", a.Units, a.Held)
	}
	if !a.Dirty || !a.Stale {
		t.Error("Add did not mark the account dirty and stale")
	}
	a.Add(3, -3) // closed to exactly zero
	if a.Units[3] != 0 || len(a.Held) != 1 || a.Held[0] != 1 {
		t.Fatalf("after closing: units %v held %v", a.Units, a.Held)
	}
	// 0.1 + 0.2 − 0.3 leaves 5.6e-17 in floating point: a cancellation.
	a.Add(2, 0.1)
	a.Add(2, 0.2)
	a.Add(2, -0.3)
	if a.Units[2] != 0 || len(a.Held) != 1 {
		t.Errorf("cancellation not snapped: units %v held %v", a.Units[2], a.Held)
	}
	// A genuinely small position is kept.
	a.Add(0, 1e-10)
	if a.Units[0] != 1e-10 || len(a.Held) != 2 || a.Held[1] != 0 {
		t.Errorf("small position lost: units %v held %v", a.Units[0], a.Held)
	}
	// Crossing through zero keeps the asset in Held once.
	a.Add(1, 10)
	if a.Units[1] != 6 || len(a.Held) != 2 {
		t.Errorf("crossing zero: units %v held %v", a.Units[1], a.Held)
	}
	// Closing the first-opened of several keeps the order of the rest.
	a.Add(4, 1)
	a.Add(1, -6)
	if len(a.Held) != 2 || a.Held[0] != 0 || a.Held[1] != 4 {
		t.Errorf("held after removing the first: %v", a.Held)
	}
	for _, i := range a.Held {
		if a.Units[i] == 0 {
			t.Errorf("asset %d held with zero units", i)
		}
	}
}

// TestHolderHelpers: Units sums accounts, FreeCashUSD floors at zero,
// SetPassive flags every account, Account.Equity counts funded positions
// and balances but not futures.
func TestHolderHelpers(t *testing.T) {
	w := newTestWorld(t)
	client, _, k := clientAndBroker(w, 1e6, 1e7)
	w.SetupTrade(client, 0, aSPX, 10)
	w.SetupTrade(client, k, aSPX, 5)
	w.SetupTrade(client, k, aTY, -20)
	w.SetupTrade(client, k, aNKY, 3)
	if client.Units(aSPX) != 15 {
		t.Errorf("Units = %v, want 15", client.Units(aSPX))
	}
	if client.FreeCashUSD() != 1e6-54000 {
		t.Errorf("FreeCashUSD = %v", client.FreeCashUSD())
	}
	w.Transfer(client, 0, client, k, USD, 2e6)
	if client.FreeCashUSD() != 0 {
		t.Errorf("FreeCashUSD with negative cash = %v", client.FreeCashUSD())
	}
	// Account: 5 SPX (27000) − 27000 + 3 NKY (760) − 760 + 2e6 = 2e6.
	if e := client.Accounts[k].Equity(w); math.Abs(e-2e6) > 1e-6 {
		t.Errorf("account equity %v, want 2e6", e)
	}
	client.SetPassive(true)
	for k := range client.Accounts {
		if !client.Accounts[k].Inactive {
			t.Error("passive holder with an active account")
		}
	}
	client.Accounts[k].Seized = true
	client.SetPassive(false)
	if client.Accounts[0].Inactive || !client.Accounts[k].Inactive {
		t.Error("SetPassive(false) must reactivate all but seized accounts")
	}
	checkBook(t, w, "helpers")
}

// TestPassAtMark: passing inventory at the mark books exactly what two
// Fills at the mark book, for every kind of asset, and keeps the books;
// so does PassSettledAtMark after settling both holders.
func TestPassAtMark(t *testing.T) {
	for _, tc := range []struct {
		name  string
		asset int
		q     float64
	}{
		{"fx", aUSDJPY, 2e6}, {"fx base EUR", aEURUSD, -3e5}, {"bond", aUST, 1500},
		{"future", aTY, -40}, {"foreign equity", aNKY, 12}, {"close out", aSPX, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			worlds := [3]*World{newTestWorld(t), newTestWorld(t), newTestWorld(t)}
			var dealers [3]*Holder
			for k, w := range worlds {
				d := w.AddHolder("dealer", Dealer)
				w.Endow(d, USD, 1e9)
				w.SetupTrade(d, 0, tc.asset, 100)
				setPrices(w, map[int]float64{aUSDJPY: 151, aUST: 99, aTY: 108.5, aNKY: 37500, aSPX: 5300})
				dealers[k] = d
			}
			w := worlds[0]
			p := w.Price[tc.asset]
			w.Fill(dealers[0], 0, tc.asset, -tc.q, p, p, &w.FXUSD)
			w.Fill(w.Holders[0], 0, tc.asset, tc.q, p, p, &w.FXUSD)
			worlds[1].PassAtMark(dealers[1], worlds[1].Holders[0], tc.asset, tc.q)
			w2 := worlds[2]
			w2.Settle(dealers[2])
			w2.Settle(w2.Holders[0])
			w2.PassSettledAtMark(dealers[2], w2.Holders[0], tc.asset, tc.q)
			for k := 1; k < len(worlds); k++ {
				for h := range worlds[0].Holders {
					a, b := worlds[0].Holders[h], worlds[k].Holders[h]
					if a.Cash != b.Cash || a.Book != b.Book || a.PnL != b.PnL {
						t.Errorf("%s (%d): Fill gives cash %v book %v pnl %v; passing gives %v %v %v", a.ID, k, a.Cash, a.Book, a.PnL, b.Cash, b.Book, b.PnL)
					}
					ua, ub := a.Accounts[0], b.Accounts[0]
					if ua.Units[tc.asset] != ub.Units[tc.asset] || len(ua.Held) != len(ub.Held) {
						t.Errorf("%s (%d): units %v held %v, want %v held %v", a.ID, k, ub.Units[tc.asset], ub.Held, ua.Units[tc.asset], ua.Held)
					}
				}
				checkBook(t, worlds[k], "pass")
			}
		})
	}
}

// TestBuiltinMaxIsMathMax: moveBal, and the dealers' depth and capital and
// the funding spread in market, use the builtin max where they used
// math.Max (a call on amd64), always with one argument finite (zero or a
// validated parameter). The two differ only on max(+Inf, NaN) (math.Max
// gives +Inf, the builtin NaN); this pins that with a finite argument they
// give the same bits.
func TestBuiltinMaxIsMathMax(t *testing.T) {
	vals := []float64{math.Copysign(0, -1), 0, 1e-300, -1e-300, 1, -1, 1e300, -1e300,
		math.Inf(1), math.Inf(-1), math.NaN()}
	finite := func(v float64) bool { return !math.IsInf(v, 0) && !math.IsNaN(v) }
	for _, x := range vals {
		for _, y := range vals {
			if !finite(x) && !finite(y) {
				continue
			}
			a, b := max(x, y), math.Max(x, y)
			if math.IsNaN(a) != math.IsNaN(b) || !math.IsNaN(a) && math.Float64bits(a) != math.Float64bits(b) {
				t.Errorf("max(%v, %v) = %v, math.Max gives %v", x, y, a, b)
			}
		}
	}
}
